"""The référé dossier: one PDF with a bookmark per exhibit (CJA R.414-3), plus a ZIP for Télérecours.

WeasyPrint lays out the cover, the summary, the bordereau and a numbered cover per exhibit; an
image exhibit follows its cover full width. A PDF exhibit gets one empty "slot" page per page of
the original, laid out by WeasyPrint with its page number and header; pypdf then draws the original
page, scaled to fit, onto its slot. So page numbers and bookmarks come from one layout and stay
right, whatever the exhibits contain.
"""

import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from litigation.documents.context import CaseDocumentData
from litigation.documents.render import render_document

logger = logging.getLogger(__name__)

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
# The slot's drawing area, inside the margins of `.pdf-slot` pages (see pdf/_style.css).
SLOT_LEFT, SLOT_RIGHT, SLOT_TOP, SLOT_BOTTOM = 15 * MM, 15 * MM, 24 * MM, 20 * MM


@dataclass
class PdfExhibit:
    """An evidence PDF that could be opened, and its page count (0 when unreadable)."""

    reader: PdfWriter | None
    pages: int


def open_pdf_exhibits(data: CaseDocumentData) -> dict[int, PdfExhibit]:
    opened = {}
    for exhibit in data.evidence_exhibits:
        if exhibit.kind != "pdf":
            continue
        try:
            with exhibit.evidence.file.open("rb") as handle:
                reader = PdfReader(io.BytesIO(handle.read()))
            if reader.is_encrypted:
                reader.decrypt("")
            # A writer copy, so a rotated page can be straightened before it is drawn on its slot.
            pages = PdfWriter(clone_from=reader)
            for page in pages.pages:
                page.transfer_rotation_to_content()
            opened[exhibit.number] = PdfExhibit(pages, len(pages.pages))
        except (PyPdfError, OSError, ValueError) as exc:
            logger.warning("Exhibit %s: unreadable PDF (%s)", exhibit.number, exc)
            opened[exhibit.number] = PdfExhibit(None, 0)
    return opened


def _fit(page) -> Transformation:
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    avail_w, avail_h = PAGE_W - SLOT_LEFT - SLOT_RIGHT, PAGE_H - SLOT_TOP - SLOT_BOTTOM
    scale = min(avail_w / width, avail_h / height)
    tx = SLOT_LEFT + (avail_w - width * scale) / 2 - float(box.left) * scale
    ty = SLOT_BOTTOM + (avail_h - height * scale) / 2 - float(box.bottom) * scale
    return Transformation().scale(scale, scale).translate(tx, ty)


def build_dossier_pdf(data: CaseDocumentData, context: dict, target: Path) -> int:
    """Write the dossier to `target`; returns its page count."""
    pdfs = open_pdf_exhibits(data)
    evidence_by_id = {e.evidence.pk: e.evidence for e in data.evidence_exhibits}
    for exhibit in data.evidence_exhibits:
        if exhibit.number in pdfs:
            exhibit.pdf_pages = range(1, pdfs[exhibit.number].pages + 1)
    document = render_document("litigation/pdf/refere_dossier.html", context, evidence_by_id=evidence_by_id)
    laid_out = target.with_suffix(".layout.pdf")
    document.write_pdf(laid_out)
    slots = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("slot-"):
                _prefix, number, page_number = anchor.split("-")
                slots[index] = (int(number), int(page_number))
    writer = PdfWriter(clone_from=str(laid_out))
    for index, (number, page_number) in slots.items():
        source = pdfs[number].reader.pages[page_number - 1]
        writer.pages[index].merge_transformed_page(source, _fit(source))
    with target.open("wb") as handle:
        writer.write(handle)
    laid_out.unlink()
    return len(writer.pages)


def build_exhibit_zip(data: CaseDocumentData, log_pdf: Path, target: Path) -> None:
    """One file per exhibit, named as in the bordereau; evidence files byte for byte (same SHA-256)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(log_pdf, data.exhibits[0].filename)
        for exhibit in data.evidence_exhibits:
            with exhibit.evidence.file.open("rb") as handle, archive.open(exhibit.filename, "w") as out:
                for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                    out.write(chunk)
