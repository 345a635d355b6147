"""Upload handling for evidence: an oversized file is counted, never kept in memory or on disk.

Django would otherwise stream a 2 GB "screenshot" to a temporary file before the view sees it.
`EvidenceSizeLimitHandler` sits first among the upload handlers: it passes chunks on until a
file exceeds the limit, then swallows the rest and hands the view an empty `OversizedUpload`
whose size tells `attempts.evidence.validate_upload` to refuse it with a clear message.
"""

from functools import wraps

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room for the other form fields and the multipart boundaries.
FORM_OVERHEAD_BYTES = 1024 * 1024


class OversizedUpload(UploadedFile):
    def __init__(self, name, content_type, size):
        super().__init__(file=None, name=name, content_type=content_type, size=size)

    def chunks(self, chunk_size=None):
        return iter(())

    def seek(self, *args):
        return 0


class EvidenceSizeLimitHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        self.oversized = bool(content_length and content_length > settings.EVIDENCE_MAX_BYTES)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.EVIDENCE_MAX_BYTES:
            self.oversized = True
        return None if self.oversized else raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(
                self.file_name, self.content_type, max(self.received, settings.EVIDENCE_MAX_BYTES + 1)
            )
        return None


def limit_evidence_uploads(view):
    """Install the size handler before CSRF reads the body (the pattern from Django's docs)."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            limit = settings.EVIDENCE_MAX_BYTES * settings.EVIDENCE_MAX_FILES + FORM_OVERHEAD_BYTES
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return HttpResponse(
                    _("Envoi trop volumineux : réduisez le nombre ou la taille des fichiers."),
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
            request.upload_handlers.insert(0, EvidenceSizeLimitHandler(request))
        return protected(request, *args, **kwargs)

    return wrapped
