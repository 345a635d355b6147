"""Synthetic litigation demo: enough attempts, actions and referrals for every queue to show rows.

Idempotent: does nothing when the organisation already has a court action. Evidence images are
drawn here (a plain page with the booking module's message); nothing real is shipped.
"""

import datetime
import hashlib
import io
import zoneinfo

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Organisation
from attempts.enums import MESSAGE_NO_SLOT, Channel, Outcome
from attempts.models import Attempt, Evidence
from cases.models import Case
from litigation.enums import ActionOutcome, LegalAid, ReferralChannel
from litigation.models import DefenderReferral, LitigationAction
from litigation.services import readiness_refresh_organisation

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PATTERN_DAYS_AGO = [30, 28, 26, 23, 21, 19, 16, 12, 10, 5]


def _screenshot(moment: datetime.datetime, url: str) -> bytes:
    image = Image.new("RGB", (800, 450), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 40), fill=(230, 230, 230))
    draw.text((10, 12), url, fill="black")
    draw.text((40, 180), MESSAGE_NO_SLOT[:70], fill="black")
    draw.text((40, 210), MESSAGE_NO_SLOT[70:], fill="black")
    draw.text((600, 420), moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M"), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _attempt(case, moment, *, channel=Channel.PREFECTURE_WEB, outcome=Outcome.NO_SLOT):
    url = case.prefecture.booking_url or "https://www.rdv-prefecture.interieur.gouv.fr/"
    attempt = Attempt.objects.create(
        case=case,
        moment=moment,
        channel=channel,
        outcome=outcome,
        url=url if channel == Channel.PREFECTURE_WEB else "",
        message=MESSAGE_NO_SLOT if outcome == Outcome.NO_SLOT else "",
    )
    content = _screenshot(moment, url)
    evidence = Evidence(
        attempt=attempt,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_type="image/png",
        original_name="capture.png",
        received_at=moment + datetime.timedelta(minutes=1),
    )
    evidence.file.save("capture.png", ContentFile(content), save=False)
    evidence.save()
    Attempt.objects.filter(pk=attempt.pk).update(evidence_count=1)
    return attempt


def _moment(days_ago, hour, minute=0):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def _pattern(case, *, email_days_ago=8):
    for i, days in enumerate(PATTERN_DAYS_AGO):
        _attempt(case, _moment(days, 9 if i % 2 == 0 else 18, 10 + i))
    _attempt(case, _moment(email_days_ago, 10), channel=Channel.EMAIL, outcome=Outcome.NO_REPLY)


def seed_litigation(organisation: Organisation) -> int:
    """Attempts, actions and referrals on a few demo cases; returns the number of cases touched."""
    if LitigationAction.objects.filter(case__team__organisation=organisation).exists():
        return 0
    open_cases = Case.objects.filter(team__organisation=organisation, deleted_at__isnull=True).open()
    # Cases without attempts first: their readiness then follows from the attempts made here alone.
    free = list(open_cases.filter(attempts__isnull=True).select_related("prefecture").order_by("pk"))
    others = list(open_cases.exclude(pk__in=[c.pk for c in free]).select_related("prefecture").order_by("pk"))
    cases = (free + others)[:12]
    if len(cases) < 12:
        return 0
    today = timezone.localdate()
    for case in cases[:6]:  # ready for a référé (2 of them then filed, 1 ordered but not executed)
        _pattern(case)
    for case in cases[6:8]:  # a written request unanswered for 5 weeks: referral possible
        _attempt(case, _moment(35, 11), channel=Channel.EMAIL, outcome=Outcome.NO_REPLY)
    Case.objects.filter(pk=cases[8].pk).update(has_unexecuted_oqtf=True)
    _pattern(cases[8])  # complete evidence but an ignored OQTF: lawyer review
    for case in cases[9:12]:  # a start: a few attempts, not yet
        for days in (6, 4, 1):
            _attempt(case, _moment(days, 14))
    for case in cases[3:5]:
        LitigationAction.objects.create(
            case=case,
            court=case.prefecture.tribunal_administratif,
            court_case_number=f"26{case.pk:05d}",
            lawyer="Me Camille Exemple",
            legal_aid=LegalAid.REQUESTED,
            filed_on=today - datetime.timedelta(days=6),
            hearing_on=today + datetime.timedelta(days=4),
        )
    ordered = cases[5]
    LitigationAction.objects.create(
        case=ordered,
        court=ordered.prefecture.tribunal_administratif,
        court_case_number=f"26{ordered.pk:05d}",
        lawyer="Me Camille Exemple",
        legal_aid=LegalAid.GRANTED,
        filed_on=today - datetime.timedelta(days=40),
        hearing_on=today - datetime.timedelta(days=30),
        order_on=today - datetime.timedelta(days=25),
        outcome=ActionOutcome.GRANTED,
        ordered_appointment_within_days=15,
        ordered_held_within_days=30,
        daily_penalty_eur=100,
        execution_due_on=today - datetime.timedelta(days=10),
    )
    DefenderReferral.objects.create(
        case=cases[7],
        channel=ReferralChannel.DELEGATE,
        delegate_name="Permanence du délégué (exemple)",
        sent_on=today - datetime.timedelta(days=3),
    )
    readiness_refresh_organisation(organisation.pk)
    return len(cases)
