"""Synthetic data at the scale of a national association, for the benchmarks only.

    python -m bench.generate                      # PostgreSQL `benchdata`: 100,000 people (if missing or outdated)
    python -m bench.generate --force              # rebuild even if up to date
    BENCH_SQLITE=/tmp/bench.sqlite3 python -m bench.generate --persons 10000

100,000 people, about 120,000 cases over 3 organisations and 30 teams, about 1,000,000 attempts
(most cases 5 to 30, a hundred with 300), about 50,000 evidence rows pointing to a few real
screenshot files in storage (with their real hashes and thumbnails), residence documents, harms,
court actions, referrals, notifications, audit events. Rows go in with PostgreSQL COPY (SQLite:
executemany in large batches), never one save per row. The denormalised fields are then computed
by the app's own code: deadlines and readiness (`flags_recompute_all`, what `recompute_flags`
runs), attempt and evidence counters (the same aggregates as the attempts services, set-based),
today's urgency snapshot; then ANALYZE.

The database carries a fingerprint (GENERATOR_VERSION, the migrations, the size): `--check` exits 1 when
it is missing or different, which is how scripts/bench.sh decides to regenerate.
"""

import argparse
import datetime
import hashlib
import io
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from accounts.enums import AuditAction, Role  # noqa: E402
from accounts.models import AuditEvent, Membership, Organisation, Team, User  # noqa: E402
from attempts.enums import MESSAGE_NO_SLOT, MESSAGE_TECHNICAL_ERROR, Channel, Outcome, RecordedVia  # noqa: E402
from attempts.evidence import make_thumbnail, validate_upload  # noqa: E402
from attempts.models import Attempt, Evidence  # noqa: E402
from bench.names import FIRST_NAMES, LAST_NAMES, NATIONALITIES  # noqa: E402, I001
from bench.writer import Writer, is_postgres, recreate_database, stored_fingerprint  # noqa: E402, I001
from cases.enums import CaseStatus, DocumentKind, HarmKind, ProcedureType  # noqa: E402
from cases.models import Case, HarmEvent, Person, Prefecture, ResidenceDocument  # noqa: E402
from cases.names import search_key  # noqa: E402
from litigation.enums import ActionKind, ActionOutcome, NotificationKind, ReferralChannel  # noqa: E402
from litigation.models import DefenderReferral, LitigationAction, Notification  # noqa: E402

GENERATOR_VERSION = 2
SEED = 20260
PASSWORD = "bench-plage-libre-2026"  # noqa: S105 - synthetic benchmark accounts on a throwaway database
ORGANISATIONS = [  # name, share of the people, number of teams
    ("Association nationale (banc d'essai)", 0.60, 18),
    ("Réseau régional (banc d'essai)", 0.25, 8),
    ("Collectif local (banc d'essai)", 0.15, 4),
]
CASEWORKERS_PER_TEAM = 6
BOOKING_URL = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/1234/cgu/"
SCREENSHOTS = 6

PROCEDURES = [
    (ProcedureType.FIRST_APPLICATION, 30),
    (ProcedureType.RENEWAL, 35),
    (ProcedureType.CHANGE_OF_STATUS, 10),
    (ProcedureType.DUPLICATE, 4),
    (ProcedureType.CHANGE_OF_SITUATION, 5),
    (ProcedureType.DCEM, 3),
    (ProcedureType.REFUGEE_TRAVEL_DOCUMENT, 3),
    (ProcedureType.NATURALISATION_DECREE, 5),
    (ProcedureType.NATURALISATION_DECLARATION, 2),
    (ProcedureType.PROTECTION_CARD, 3),
]
# Statuses of cases that have attempts, and of those that have none (yet, or any more).
ACTIVE_STATUSES = [
    (CaseStatus.ATTEMPTING, 60),
    (CaseStatus.WRITTEN_REQUEST_SENT, 15),
    (CaseStatus.READY_FOR_LITIGATION, 8),
    (CaseStatus.WITH_LAWYER, 4),
    (CaseStatus.FILED, 3),
    (CaseStatus.ORDER_GRANTED, 2),
    (CaseStatus.APPOINTMENT_OBTAINED, 5),
    (CaseStatus.LODGED, 3),
]
QUIET_STATUSES = [
    (CaseStatus.INTAKE, 40),
    (CaseStatus.WINDOW_NOT_OPEN, 15),
    (CaseStatus.PROVISIONAL_DOCUMENT_RECEIVED, 15),
    (CaseStatus.DECIDED, 10),
    (CaseStatus.CLOSED, 20),
]
CHANNELS = [
    (Channel.PREFECTURE_WEB, 70),
    (Channel.NATIONAL_WEB, 8),
    (Channel.ANEF, 8),
    (Channel.DEMARCHES_SIMPLIFIEES, 3),
    (Channel.EMAIL, 5),
    (Channel.LRAR, 1),
    (Channel.COUNTER, 2),
    (Channel.PHONE, 2),
    (Channel.ANEF_CONTACT_CENTRE, 1),
]
OUTCOMES = [
    (Outcome.NO_SLOT, 80),
    (Outcome.TECHNICAL_ERROR, 8),
    (Outcome.CAPTCHA_BLOCKED, 4),
    (Outcome.SLOT_LOST, 3),
    (Outcome.NO_REPLY, 3),
    (Outcome.AUTOMATIC_REPLY, 1),
    (Outcome.BOOKED, 1),
]
HARMS = [k for k, _label in HarmKind.choices]


def columns(names: str) -> list[str]:
    return names.split()


def weighted(pairs):
    values = [v for v, _w in pairs]
    cumulative, total = [], 0
    for _v, w in pairs:
        total += w
        cumulative.append(total)
    return values, cumulative


def fingerprint(persons: int) -> str:
    """The data's identity: GENERATOR_VERSION (bump it when the generated data changes), the size,
    and the migrations (a new migration means a new schema: regenerate)."""
    digest = hashlib.sha256()
    digest.update(f"{GENERATOR_VERSION}:{persons}".encode())
    for app in ("accounts", "cases", "attempts", "litigation", "reports"):
        folder = Path(apps.get_app_config(app).path) / "migrations"
        for name in sorted(p.name for p in folder.glob("[0-9]*.py")):
            digest.update(f"{app}/{name}".encode())
    return digest.hexdigest()[:20]


# --- reference rows (ORM: a few hundred rows) --------------------------------------------------


def make_accounts(password_hash):
    orgs, teams_by_org, caseworkers, leads = [], {}, {}, []
    for index, (name, _share, team_count) in enumerate(ORGANISATIONS):
        org = Organisation.objects.create(name=name)
        orgs.append(org)
        teams = Team.objects.bulk_create(
            [Team(organisation=org, name=f"Permanence {index + 1}-{t + 1:02d}") for t in range(team_count)]
        )
        teams_by_org[org.pk] = teams
        users, roles = [], []
        for role, count in ((Role.ADMIN, 1), (Role.COORDINATOR, 2)):
            for n in range(count):
                users.append(
                    User(
                        email=f"{role}{n + 1}.org{index + 1}@bench.test",
                        first_name=role.label,
                        last_name=f"Org{index + 1}",
                        organisation=org,
                        password=password_hash,
                    )
                )
                roles.append((role, teams[0]))
        for team in teams:
            for n in range(CASEWORKERS_PER_TEAM):
                users.append(
                    User(
                        email=f"cw{n + 1}.team{team.pk}@bench.test",
                        first_name=f"Bénévole {n + 1}",
                        last_name=team.name,
                        organisation=org,
                        password=password_hash,
                    )
                )
                roles.append((Role.CASEWORKER, team))
        users = User.objects.bulk_create(users)
        Membership.objects.bulk_create(
            [Membership(user=u, team=t, role=r) for u, (r, t) in zip(users, roles, strict=True)]
        )
        for user, (role, team) in zip(users, roles, strict=True):
            if role == Role.CASEWORKER:
                caseworkers.setdefault(team.pk, []).append(user.pk)
            else:
                leads.append(user.pk)
    return orgs, teams_by_org, caseworkers, leads


def make_screenshots() -> list[dict]:
    """A few real PNG screenshots of the booking page's refusal, stored like uploads, with thumbnails."""
    rng = random.Random(SEED)
    shots = []
    for n in range(SCREENSHOTS):
        image = Image.new("RGB", (1280, 800), (245, 246, 248))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 1280, 90), fill=(0, 0, 145))
        draw.text((40, 30), "Préfecture - Prise de rendez-vous", fill="white")
        draw.text((120, 240), MESSAGE_NO_SLOT if n % 2 == 0 else MESSAGE_TECHNICAL_ERROR, fill=(20, 20, 20))
        draw.text((120, 300), f"Capture {n + 1} - {2025 + n % 2}-0{n + 1}-1{n} 0{n + 7}:1{n}:0{n}", fill=(90, 90, 90))
        for _ in range(4000):  # browser chrome noise so the file has a realistic size
            x, y = rng.randrange(1280), rng.randrange(90, 800)
            draw.point((x, y), fill=(rng.randrange(200, 256),) * 3)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        checked = validate_upload(SimpleUploadedFile(f"capture-{n + 1}.png", buffer.getvalue(), "image/png"))
        name = f"evidence/bench/{checked.sha256}.{checked.extension}"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(checked.data))
        thumb_name = f"thumbnails/bench/{checked.sha256}.jpg"
        if not default_storage.exists(thumb_name):
            default_storage.save(thumb_name, ContentFile(make_thumbnail(checked)))
        shots.append(
            {
                "file": name,
                "thumbnail": thumb_name,
                "sha256": checked.sha256,
                "size": checked.size,
                "name": f"capture-{n + 1}.png",
            }
        )
    return shots


# --- the bulk ------------------------------------------------------------------------------------


def attempt_count_for(rng: random.Random, active: bool, heavy: bool) -> int:
    if heavy:
        return 300
    if not active:
        return 0
    roll = rng.random()
    if roll < 0.08:
        return rng.randint(1, 4)
    if roll < 0.92:
        return int(5 + (rng.random() ** 1.6) * 25)  # 5 to 30, most near the low end
    return rng.randint(31, 80)


def generate(persons: int) -> dict:
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    counts = {}
    started = time.monotonic()

    password_hash = make_password(PASSWORD)
    orgs, teams_by_org, caseworkers, leads = make_accounts(password_hash)
    shots = make_screenshots()
    prefectures = list(Prefecture.objects.filter(kind=Prefecture.Kind.PREFECTURE).values_list("pk", flat=True))
    team_prefectures = {}
    for teams in teams_by_org.values():
        for team in teams:
            team_prefectures[team.pk] = rng.sample(prefectures, 2)

    procedures, procedure_w = weighted(PROCEDURES)
    active_statuses, active_w = weighted(ACTIVE_STATUSES)
    quiet_statuses, quiet_w = weighted(QUIET_STATUSES)
    channels, channel_w = weighted(CHANNELS)
    outcomes, outcome_w = weighted(OUTCOMES)

    # People and their documents.
    person_w = Writer(
        Person,
        columns(
            "id organisation team last_name first_name aliases search_key birth_date birth_place nationality phone "
            "email foreigner_number consent_at created_at updated_at"
        ),
    )
    document_w = Writer(
        ResidenceDocument,
        columns("id person kind number valid_from valid_until duration_years created_at"),
        parents=[person_w],
    )
    people = []  # (person_id, org_id, team_id)
    document_id = 0
    person_id = 0
    for org, (_name, share, _teams) in zip(orgs, ORGANISATIONS, strict=True):
        teams = teams_by_org[org.pk]
        for _ in range(round(persons * share)):
            person_id += 1
            team = teams[rng.randrange(len(teams))]
            last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
            if rng.random() < 0.3:
                first = f"{first} {rng.choice(FIRST_NAMES)}"
            aliases = f"{last.upper()} {first.split()[0]}" if rng.random() < 0.1 else ""
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 47))
            created = now - datetime.timedelta(days=rng.uniform(0, 900))
            person_w.add(
                person_id, org.pk, team.pk, last, first, aliases, search_key(last, first, aliases), birth,
                "Bamako" if rng.random() < 0.5 else "", rng.choice(NATIONALITIES),
                f"06{rng.randrange(10**8):08d}" if rng.random() < 0.8 else "",
                f"p{person_id}@exemple.test" if rng.random() < 0.6 else "",
                f"{rng.randrange(10**10):010d}" if rng.random() < 0.7 else "",
                created.date(), created, created,
            )  # fmt: skip
            people.append((person_id, org.pk, team.pk, created))
            if rng.random() < 0.8:
                document_id += 1
                kind = rng.choice((DocumentKind.TEMPORARY_CARD, DocumentKind.MULTI_YEAR_CARD, DocumentKind.VLS_TS))
                until = today + datetime.timedelta(days=rng.randint(-400, 700))
                years = 4 if kind == DocumentKind.MULTI_YEAR_CARD else 1
                document_w.add(
                    document_id,
                    person_id,
                    kind,
                    f"T{document_id:09d}",
                    until - datetime.timedelta(days=365 * years),
                    until,
                    years if kind == DocumentKind.MULTI_YEAR_CARD else None,
                    created,
                )
            if rng.random() < 0.2:
                document_id += 1
                kind = rng.choice((DocumentKind.RECEPISSE, DocumentKind.API))
                until = today + datetime.timedelta(days=rng.randint(-120, 180))
                document_w.add(
                    document_id, person_id, kind, "", until - datetime.timedelta(days=180), until, None, created
                )
    counts["persons"] = person_w.close()
    counts["documents"] = document_w.close()

    # Cases (about 1.2 per person), then their attempts and evidence.
    case_w = Writer(
        Case,
        columns(
            "id person team assignee procedure prefecture uses_anef status entry_date filing_date has_unexecuted_oqtf "
            "notes created_by created_at updated_at closed_at"
        ),
    )
    cases = []  # (case_id, team_id, created, n_attempts, heavy)
    heavy_every = max(1, round(persons * 1.2 / 100))  # about 100 cases with 300 attempts
    case_id = 0
    for pid, _org_id, team_id, created in people:
        for second in range(2 if rng.random() < 0.2 else 1):
            case_id += 1
            heavy = case_id % heavy_every == heavy_every // 2
            active = heavy or rng.random() < 0.5
            status = (active_statuses if active else quiet_statuses)[_pick(rng, active_w if active else quiet_w)]
            team_cw = caseworkers[team_id]
            assignee = team_cw[rng.randrange(len(team_cw))] if rng.random() < 0.9 else None
            procedure = procedures[_pick(rng, procedure_w)]
            opened = created + datetime.timedelta(days=second * rng.uniform(0, 200))
            opened = min(opened, now - datetime.timedelta(hours=1))
            filing = (opened.date() - datetime.timedelta(days=rng.randint(0, 300))) if rng.random() < 0.3 else None
            case_w.add(
                case_id, pid, team_id, assignee, procedure, rng.choice(team_prefectures[team_id]),
                procedure in (ProcedureType.RENEWAL, ProcedureType.CHANGE_OF_STATUS) and rng.random() < 0.5,
                status, datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3600)), filing,
                rng.random() < 0.02, "", assignee, opened, opened,
                opened + datetime.timedelta(days=30) if status == CaseStatus.CLOSED else None,
            )  # fmt: skip
            cases.append((case_id, team_id, opened, attempt_count_for(rng, active, heavy), heavy, assignee))
    counts["cases"] = case_w.close()

    attempt_w = Writer(
        Attempt,
        columns(
            "id case moment channel outcome url message recorded_via recorded_by evidence_count created_at updated_at"
        ),
    )
    evidence_w = Writer(
        Evidence,
        [
            "id",
            "attempt",
            "file",
            "thumbnail",
            "sha256",
            "size",
            "content_type",
            "original_name",
            "received_at",
            "uploaded_by",
            "uploaded_via",
        ],
        parents=[attempt_w],
    )
    audit_w = Writer(
        AuditEvent,
        columns("organisation actor actor_label action object_type object_id case_id details at"),
    )
    org_of_team = {t.pk: org_id for org_id, teams in teams_by_org.items() for t in teams}
    attempt_id = evidence_id = 0
    dossier_case = next(c[0] for c in cases if c[4])  # the référé dossier benchmark's case: exactly 100 exhibits
    for cid, team_id, opened, n, heavy, assignee in cases:
        audit_w.add(org_of_team[team_id], assignee, "", AuditAction.CASE_CREATE, "case", str(cid), cid, {}, opened)
        if not n:
            continue
        span = max(60.0, (now - opened).total_seconds() - 3600)
        moments = sorted(opened + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in range(n))
        evidence_rate = 0.4 if heavy else 0.035
        exhibits = set(rng.sample(range(n), 100)) if cid == dossier_case else None
        for index, moment in enumerate(moments):
            # Attempts are made from 7:00 to 23:00 Paris time; spread them over the day.
            moment = moment.replace(hour=rng.randint(5, 21), minute=rng.randrange(60))
            moment = min(moment, now - datetime.timedelta(minutes=5))
            attempt_id += 1
            channel = channels[_pick(rng, channel_w)]
            outcome = outcomes[_pick(rng, outcome_w)]
            via_roll = rng.random()
            via = (
                RecordedVia.CASEWORKER
                if via_roll < 0.85
                else RecordedVia.SELF_REPORT
                if via_roll < 0.95
                else RecordedVia.IMPORT
            )
            files = 0
            if (index in exhibits) if exhibits is not None else rng.random() < evidence_rate:
                files = 1 if exhibits is not None or rng.random() >= 0.1 else 2
            attempt_w.add(
                attempt_id, cid, moment, channel, outcome,
                BOOKING_URL if channel == Channel.PREFECTURE_WEB else "",
                MESSAGE_NO_SLOT if outcome == Outcome.NO_SLOT else "",
                via, assignee if via == RecordedVia.CASEWORKER else None, files, moment, moment,
            )  # fmt: skip
            for _ in range(files):  # after its attempt: a flush of evidence flushes the attempts first
                evidence_id += 1
                shot = shots[rng.randrange(len(shots))]
                evidence_w.add(
                    evidence_id, attempt_id, shot["file"], shot["thumbnail"], shot["sha256"], shot["size"],
                    "image/png", shot["name"], moment + datetime.timedelta(minutes=1),
                    assignee if via == RecordedVia.CASEWORKER else None, via,
                )  # fmt: skip
    counts["attempts"] = attempt_w.close()
    counts["evidence"] = evidence_w.close()
    counts["audit_events"] = audit_w.close()

    # Harms, court actions, referrals, notifications: small tables, still without one save per row.
    harm_w = Writer(HarmEvent, columns("case kind occurred_on note recorded_by"))
    action_w = Writer(LitigationAction, columns("case kind court filed_on outcome created_by updated_by"))
    referral_w = Writer(DefenderReferral, columns("case channel sent_on created_by updated_by"))
    notification_w = Writer(Notification, columns("user case kind ref message day"))
    for cid, _team_id, opened, n, heavy, assignee in cases:
        if rng.random() < 0.08 or heavy:
            for _ in range(rng.randint(1, 2)):
                harm_w.add(
                    cid, rng.choice(HARMS), opened.date() + datetime.timedelta(days=rng.randint(0, 60)), "", assignee
                )
        if n >= 20 and rng.random() < 0.03:
            filed = today - datetime.timedelta(days=rng.randint(5, 200))
            action_w.add(
                cid,
                ActionKind.REFERE_MESURES_UTILES,
                "Tribunal administratif de Montreuil",
                filed,
                rng.choice([ActionOutcome.PENDING, ActionOutcome.GRANTED]),
                assignee,
                assignee,
            )
        if n >= 10 and rng.random() < 0.02:
            referral_w.add(
                cid,
                ReferralChannel.ONLINE_FORM,
                today - datetime.timedelta(days=rng.randint(5, 200)),
                assignee,
                assignee,
            )
        if assignee and rng.random() < 0.05:
            kind = rng.choice([NotificationKind.DEADLINE_30, NotificationKind.NO_RECENT_ATTEMPT])
            notification_w.add(
                assignee,
                cid,
                kind,
                f"bench-{cid}",
                "Rappel (banc d'essai)",
                today - datetime.timedelta(days=rng.randint(0, 10)),
            )
    counts["harms"] = harm_w.close()
    counts["litigation_actions"] = action_w.close()
    counts["referrals"] = referral_w.close()
    counts["notifications"] = notification_w.close()

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Person, ResidenceDocument, Case, Attempt, Evidence]
        ):
            cursor.execute(statement)
    counts["bulk_seconds"] = round(time.monotonic() - started, 1)
    return counts


def _pick(rng: random.Random, cumulative: list[int]) -> int:
    roll = rng.random() * cumulative[-1]
    for index, edge in enumerate(cumulative):
        if roll < edge:
            return index
    return len(cumulative) - 1


def recompute(counts: dict) -> None:
    """Denormalised fields through the app's own code, set-based."""
    from litigation.services import flags_recompute_all
    from reports.services import urgency_snapshot_take

    started = time.monotonic()
    with connection.cursor() as cursor:
        # Case.attempt_count / last_attempt_at: the aggregate of attempts.services.case_refresh_attempt_counters.
        cursor.execute(
            "UPDATE cases_case SET attempt_count = a.n, last_attempt_at = a.last "
            "FROM (SELECT case_id, COUNT(*) AS n, MAX(moment) AS last FROM attempts_attempt GROUP BY case_id) a "
            "WHERE cases_case.id = a.case_id"
        )
    counts["counters_seconds"] = round(time.monotonic() - started, 1)
    result = flags_recompute_all()
    counts["recompute_flags_first_run_seconds"] = round(result["seconds"], 1)
    counts["deadlines_changed"] = result["deadlines_changed"]
    counts["readiness_changed"] = result["readiness_changed"]
    urgency_snapshot_take()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def mark(fp: str, counts: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key varchar(40) PRIMARY KEY, value text NOT NULL)")
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", ["fingerprint", fp])
        cursor.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", ["counts", json.dumps(counts)])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--force", action="store_true", help="Rebuild even when the data is up to date.")
    parser.add_argument("--check", action="store_true", help="Exit 1 when the data is missing or outdated.")
    args = parser.parse_args(argv)
    fp = fingerprint(args.persons)
    current = stored_fingerprint()
    if args.check:
        return 0 if current == fp else 1
    if current == fp and not args.force:
        make_screenshots()  # the files live outside the database: put them back if they went
        print(f"bench data up to date ({settings.DATABASES['default']['NAME']}, {args.persons} people)")
        return 0
    started = time.monotonic()
    recreate_database()
    call_command("migrate", verbosity=0)
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
    counts = generate(args.persons)
    print("rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
    recompute(counts)
    counts["total_seconds"] = round(time.monotonic() - started, 1)
    mark(fp, counts)
    print(
        f"bench data ready in {counts['total_seconds']} s ({settings.DATABASES['default']['NAME']}); "
        f"first recompute_flags {counts['recompute_flags_first_run_seconds']} s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
