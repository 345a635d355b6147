"""Synthetic attempts for the demo cases, written through the real services (hashes, thumbnails,
journal). The screenshots in demo_data/ are synthetic. Idempotent: a case that already has
attempts is left alone."""

import datetime
import random
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation, User
from attempts.enums import MESSAGE_NO_SLOT, MESSAGE_TECHNICAL_ERROR, Channel, Outcome, RecordedVia, Reply
from attempts.evidence import validate_upload
from attempts.services import attempt_record, self_report_link_create
from cases.enums import CaseStatus
from cases.models import Case

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
# Thumbnails cost a few milliseconds each: cap the files so `seed_demo --persons 5000` stays fast.
MAX_EVIDENCE_FILES = 80


def _screenshots():
    shots = {}
    for path in sorted(DEMO_DATA.glob("*.png")):
        upload = SimpleUploadedFile(path.name, path.read_bytes(), "image/png")
        shots[path.name] = validate_upload(upload)
    return shots


def _moment(rng, day):
    # People retry at varying hours: mornings before work, lunch breaks, evenings.
    hour = rng.choice([7, 8, 9, 9, 10, 12, 13, 13, 14, 18, 19, 20, 21, 22])
    moment = datetime.datetime.combine(
        day, datetime.time(hour, rng.randint(0, 59)), tzinfo=timezone.get_current_timezone()
    )
    return min(moment, timezone.now())


def seed_attempts(organisation: Organisation, *, seed: int = 2026) -> int:
    """Attempts for the organisation's cases that have none yet. Returns the number created."""
    cases = list(
        Case.objects.filter(team__organisation=organisation, attempts__isnull=True)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("prefecture", "team__organisation")
        .order_by("id")
    )
    if not cases:
        return 0
    shots = _screenshots()
    desktop = [v for k, v in shots.items() if k.startswith("noslot-desktop")]
    phone, tech = shots["noslot-phone-no-date.png"], shots["tech-error-desktop-2026-10-20-1305.png"]
    team_users = {}
    for user in User.objects.filter(memberships__team__organisation=organisation).distinct():
        for team_id in user.team_ids():
            team_users.setdefault(team_id, []).append(user)
    files_left = MAX_EVIDENCE_FILES
    created = 0
    today = timezone.localdate()
    for case in cases:
        # Every choice depends on the case alone, so a second run makes the same ones.
        index, rng = case.pk, random.Random(seed + case.pk)
        if index % 5 == 4:
            continue  # some cases have no attempt yet (intake)
        caseworker = case.assignee or rng.choice(team_users.get(case.team_id) or [None])
        link = None
        if index % 3 == 0 and caseworker is not None:
            link, _token = self_report_link_create(case=case, created_by=caseworker, language=rng.choice(["fr", "ar"]))
        span = rng.randint(6, 60)
        days = sorted({today - datetime.timedelta(days=rng.randint(1, span)) for _ in range(rng.randint(3, 16))})
        for day in days:
            technical = rng.random() < 0.15
            self_reported = link is not None and rng.random() < 0.4
            files = []
            if files_left > 0 and rng.random() < 0.45:
                files = [tech if technical else (phone if self_reported else rng.choice(desktop))]
                files_left -= 1
            attempt_record(
                case=case,
                moment=_moment(rng, day),
                outcome=Outcome.TECHNICAL_ERROR if technical else Outcome.NO_SLOT,
                url=case.prefecture.booking_url,
                message=MESSAGE_TECHNICAL_ERROR if technical else MESSAGE_NO_SLOT,
                recorded_by=None if self_reported else caseworker,
                recorded_via=RecordedVia.SELF_REPORT if self_reported else RecordedVia.CASEWORKER,
                self_report_link=link if self_reported else None,
                files=files,
            )
            created += 1
        if index % 4 == 1 and caseworker is not None:
            sent = days[0] + datetime.timedelta(days=1)
            attempt_record(
                case=case,
                moment=_moment(rng, sent),
                channel=rng.choice([Channel.EMAIL, Channel.LRAR]),
                outcome=Outcome.NO_REPLY,
                note="Demande de rendez-vous (courrier type de l'association).",
                recorded_by=caseworker,
                acknowledgement_number=f"1A {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                acknowledgement_date=sent + datetime.timedelta(days=2),
                reply=Reply.NONE,
            )
            created += 1
        if index % 7 == 2 and caseworker is not None:
            attempt_record(
                case=case,
                moment=_moment(rng, days[-1] + datetime.timedelta(days=1)),
                outcome=Outcome.BOOKED,
                note="Rendez-vous obtenu après plusieurs semaines.",
                recorded_by=caseworker,
            )
            created += 1
    return created
