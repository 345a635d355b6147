"""Synthetic attempts and evidence for the litigation tests (files are generated, never real)."""

import datetime
import hashlib
import io
import zoneinfo

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from attempts.enums import MESSAGE_NO_SLOT, Channel, Outcome, RecordedVia
from attempts.models import Attempt, Evidence

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
BOOKING_URL = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/1234/cgu/"


def png_bytes(seed: int, size=(320, 180)) -> bytes:
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes(pages: int = 2, text: str = "Courriel") -> bytes:
    """A small real PDF (WeasyPrint) with `pages` pages."""
    from weasyprint import HTML

    html = "".join(f'<p style="break-after: page">{text} — page {n}</p>' for n in range(1, pages + 1))
    return HTML(string=f"<html><body>{html}</body></html>").write_pdf()


def paris_moment(days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def add_evidence(attempt: Attempt, content: bytes, *, content_type="image/png", name="capture.png") -> Evidence:
    sha = hashlib.sha256(content).hexdigest()
    evidence = Evidence(
        attempt=attempt,
        sha256=sha,
        size=len(content),
        content_type=content_type,
        original_name=name,
        received_at=attempt.moment + datetime.timedelta(minutes=2),
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    Attempt.objects.filter(pk=attempt.pk).update(
        evidence_count=attempt.evidence.filter(deleted_at__isnull=True).count()
    )
    return evidence


def add_attempt(
    case,
    moment,
    *,
    channel=Channel.PREFECTURE_WEB,
    outcome=Outcome.NO_SLOT,
    evidence=True,
    recorded_via=RecordedVia.CASEWORKER,
    reply="",
) -> Attempt:
    attempt = Attempt.objects.create(
        case=case,
        moment=moment,
        channel=channel,
        outcome=outcome,
        url=BOOKING_URL if channel == Channel.PREFECTURE_WEB else "",
        message=MESSAGE_NO_SLOT if outcome == Outcome.NO_SLOT else "",
        recorded_via=recorded_via,
        reply=reply,
    )
    if evidence:
        add_evidence(attempt, png_bytes(attempt.pk))
    return attempt


# The granted pattern of DOMAIN.md: over 3 weeks, 10 distinct days, mornings and evenings.
GRANTED_DAYS_AGO = [30, 28, 26, 23, 21, 19, 16, 12, 10, 5]


def granted_pattern(case, *, evidence=True, email_days_ago=8):
    attempts = [
        add_attempt(case, paris_moment(days, 9 if i % 2 == 0 else 18, 15 + i), evidence=evidence)
        for i, days in enumerate(GRANTED_DAYS_AGO)
    ]
    attempts.append(
        add_attempt(case, paris_moment(email_days_ago, 10), channel=Channel.EMAIL, outcome=Outcome.NO_REPLY)
    )
    return attempts
