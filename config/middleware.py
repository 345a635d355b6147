def french_first(get_response):
    """Ignore the browser's Accept-Language: the interface is French unless the user picks
    another language with the switcher (cookie). Volunteers often share laptops set up in
    another language, and a French legal vocabulary must not flip unexpectedly."""

    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware


def request_size_limit(get_response):
    """Refuse a request whose declared body exceeds REQUEST_MAX_BYTES before anything reads it.

    Django keeps non-file fields under DATA_UPLOAD_MAX_MEMORY_SIZE, but would stream any
    multipart file, to any view, into a temporary file. The evidence views add their own,
    tighter, per-file limits (attempts/uploads.py).
    """
    from django.conf import settings
    from django.http import HttpResponse
    from django.utils.translation import gettext as _

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return HttpResponse(
                _("Envoi trop volumineux (%(size)s Mo au maximum) : réduisez le nombre ou la taille des fichiers.")
                % {"size": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware
