"""Evidence files are checked by their content, never by their name or the browser's claim.

A court reads these files years later, and a caseworker opens them on an old laptop: a file
that is not what it says (an HTML page named .png, an SVG with script, an image with a web page
glued after its end, a PDF that runs JavaScript) is refused with a message saying why, before
anything is written. `validate_upload` is the only entry point; it returns the bytes to keep.
"""

import email
import email.policy
import email.utils
import hashlib
import io
import re
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "message/rfc822": "eml",
}
# Markers of active web content. Compressed image data never spells them by chance in practice
# (a fixed 7-byte sequence); their presence means a polyglot meant to be opened as a web page.
ACTIVE_CONTENT = re.compile(rb"<\s*(script|html|svg|iframe|object|embed|body|!doctype|\?php)\b", re.IGNORECASE)
# PDF names that make a reader run something when the file is opened or clicked.
PDF_ACTIVE_KEYS = {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/RichMedia", "/EmbeddedFile"}
PDF_MAX_OBJECTS = 200_000
THUMBNAIL_BOX = (480, 480)


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the content checks: what will be stored, byte for byte."""

    data: bytes
    sha256: str
    size: int
    content_type: str
    original_name: str

    @property
    def extension(self):
        return EXTENSIONS[self.content_type]

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


def _refuse(message, name):
    raise ValidationError(message % {"name": name}, code="invalid_evidence")


def _read_bounded(upload, limit):
    """Read at most limit + 1 bytes: a size that lied cannot make us hold a huge body."""
    upload.seek(0)
    chunks, total = [], 0
    for chunk in upload.chunks():
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            break
    return b"".join(chunks)


def validate_upload(upload, *, max_bytes=None) -> CheckedFile:
    """Check one uploaded file and return what to store, or raise ValidationError (French message)."""
    max_bytes = max_bytes or settings.EVIDENCE_MAX_BYTES
    name = (getattr(upload, "name", "") or "fichier").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    limit_mb = max_bytes / (1024 * 1024)
    too_large = _("« %(name)s » dépasse la taille maximale de {limit} Mo : fichier refusé.").replace(
        "{limit}", f"{limit_mb:g}"
    )
    # The declared (or counted, see uploads.py) size is checked before reading the body.
    if upload.size is not None and upload.size > max_bytes:
        _refuse(too_large, name)
    if not upload.size:
        _refuse(_("« %(name)s » est vide (0 octet) : fichier refusé."), name)
    data = _read_bounded(upload, max_bytes)
    if len(data) > max_bytes:
        _refuse(too_large, name)
    if not data:
        _refuse(_("« %(name)s » est vide (0 octet) : fichier refusé."), name)
    content_type = _check_content(data, name)
    return CheckedFile(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type=content_type,
        original_name=name,
    )


def _check_content(data: bytes, name: str) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith(PNG_SIGNATURE) or data.startswith(JPEG_SIGNATURE) or _is_webp(data):
        return _check_image(data, name)
    if data.startswith(PDF_SIGNATURE):
        return _check_pdf(data, name)
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        _refuse(
            _(
                "« %(name)s » est une image SVG, qui peut contenir du code : fichier refusé. "
                "Envoyez une capture PNG ou JPEG."
            ),
            name,
        )
    if head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<script")) or ACTIVE_CONTENT.match(head):
        _refuse(_("« %(name)s » est une page web (HTML), pas une capture d'écran : fichier refusé."), name)
    if data.startswith(OLE_SIGNATURE):
        _refuse(
            _(
                "« %(name)s » est un message Outlook (.msg) : fichier refusé. "
                "Enregistrez le courriel au format .eml ou PDF."
            ),
            name,
        )
    return _check_email(data, name)


def _is_webp(data):
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _check_image(data: bytes, name: str) -> str:
    corrupt = _("« %(name)s » n'est pas une image lisible (fichier abîmé ou incomplet) : fichier refusé.")
    max_pixels = settings.EVIDENCE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                width, height = image.size
                if width * height > max_pixels:
                    _refuse(_("« %(name)s » a des dimensions démesurées (image piégée) : fichier refusé."), name)
                image.verify()  # checksums and structure, without decoding pixels
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # decodes every pixel: a truncated image fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(_("« %(name)s » a des dimensions démesurées (image piégée) : fichier refusé."), name)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError):
        _refuse(corrupt, name)
    if image_format not in IMAGE_TYPES:
        _refuse(corrupt, name)
    trailing = _trailing_bytes(data, image_format)
    if trailing is None:
        _refuse(corrupt, name)
    if trailing.strip(b"\x00\r\n\t ") or ACTIVE_CONTENT.search(data):
        _refuse(
            _("« %(name)s » contient des données cachées après l'image (fichier piégé) : fichier refusé."),
            name,
        )
    return IMAGE_TYPES[image_format]


def _trailing_bytes(data: bytes, image_format: str) -> bytes | None:
    """What follows the image's own end marker (None when the structure cannot be walked)."""
    if image_format == "PNG":
        pos = len(PNG_SIGNATURE)
        while pos + 8 <= len(data):
            length, chunk_type = struct.unpack(">I4s", data[pos : pos + 8])
            pos += 12 + length
            if chunk_type == b"IEND":
                return data[pos:]
        return None
    if image_format == "WEBP":
        riff_size = struct.unpack("<I", data[4:8])[0]
        return data[8 + riff_size :] if 8 + riff_size <= len(data) else None
    return _jpeg_trailing(data)


def _jpeg_trailing(data: bytes) -> bytes | None:
    pos = 2
    while pos + 2 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            return data[pos + 2 :]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        if pos + 4 > len(data):
            return None
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        pos += 2 + length
        if marker == 0xDA:  # start of scan: skip entropy-coded data up to the next real marker
            while pos + 1 < len(data):
                if data[pos] == 0xFF and data[pos + 1] not in (0x00, *range(0xD0, 0xD8)):
                    break
                pos += 1
    return None


def _check_pdf(data: bytes, name: str) -> str:
    unreadable = _("« %(name)s » n'est pas un PDF lisible : fichier refusé.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _refuse(_("« %(name)s » est un PDF protégé par mot de passe : enregistrez-le sans protection."), name)
        if len(reader.pages) == 0:
            _refuse(unreadable, name)
        found = _pdf_active_keys(reader)
    except ValidationError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, struct.error):
        _refuse(unreadable, name)
    if found:
        _refuse(
            _(
                "« %(name)s » est un PDF qui contient du code ou des actions automatiques "
                "(JavaScript, lancement, pièce jointe) : fichier refusé. Imprimez-le en PDF "
                "ou faites une capture d'écran."
            ),
            name,
        )
    return "application/pdf"


def _pdf_active_keys(reader: PdfReader) -> set[str]:
    """Walk every object reachable from the trailer and collect the names that run something."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise ValueError("too many PDF objects")
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            stack.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            found.update(k for k in obj if k in PDF_ACTIVE_KEYS)
            if obj.get("/S") in ("/JavaScript", "/Launch"):
                found.add(str(obj["/S"]))
            stack.extend(v for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found


def _check_email(data: bytes, name: str) -> str:
    not_email = _("« %(name)s » n'est ni une image (PNG, JPEG, WebP), ni un PDF, ni un courriel .eml : fichier refusé.")
    if b"\x00" in data[:65536]:
        _refuse(not_email, name)
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        sender, date = message.get("From"), message.get("Date")
    except (ValueError, TypeError, IndexError, LookupError):
        _refuse(not_email, name)
    if not sender or not date:
        _refuse(not_email, name)
    try:
        email.utils.parsedate_to_datetime(str(date))
    except (TypeError, ValueError):
        _refuse(_("« %(name)s » ressemble à un courriel mais sa date est illisible : fichier refusé."), name)
    return "message/rfc822"


def make_thumbnail(checked: CheckedFile) -> bytes | None:
    """A small JPEG re-encoded from the pixels (no metadata, nothing of the original's bytes)."""
    if not checked.is_image:
        return None
    with Image.open(io.BytesIO(checked.data)) as image:
        # Shrink first, then turn upright: the box is square, and rotating the small copy is cheap.
        image.thumbnail(THUMBNAIL_BOX)
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()
