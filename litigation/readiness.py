"""The readiness rule, in one place: the case page, the queues, the nightly job and the PDFs call it.

`readiness_evaluate` is pure (facts + stats + policy + today -> status and explained conditions).
`readiness_evaluate_many` gathers the facts for many cases in a constant number of queries and
calls it for each; `litigation.services.readiness_refresh_many` stores the results.

Order of the statuses (DOMAIN.md, default policy):
- an unexecuted OQTF sends the case to a lawyer, whatever else holds;
- the evidence conditions all hold: ready for référé if urgency holds, otherwise lawyer review;
- otherwise ready for a Défenseur des droits referral when one referral ground holds (the text says
  it runs beside the référé, never instead), else not yet.
"""

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from attempts.enums import ANEF_HELP_CHANNELS, WRITTEN_CHANNELS, Channel, Outcome, Reply
from attempts.models import Attempt
from attempts.selectors import AttemptStats, attempt_stats
from cases.enums import PROVISIONAL_DOCUMENT_KINDS, HarmKind, Readiness
from cases.models import Case, HarmEvent, ResidenceDocument
from litigation.conditions import REFERE, REFERRAL, Condition
from litigation.models import ReadinessPolicy
from litigation.policy_defaults import DEFAULT_CHANGE_NOTE, DEFAULT_SOURCES

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Harms that show urgency for the référé (DOMAIN.md: job, benefits, age deadline...): all recorded
# kinds count; the policy switches the rule on or off as a whole.
URGENCY_HARMS = frozenset(HarmKind.values)


@dataclass(frozen=True)
class CaseFacts:
    """What the rule needs to know about a case beyond its attempt statistics."""

    case_id: int
    organisation_id: int
    procedure: str
    uses_anef: bool = False
    has_unexecuted_oqtf: bool = False
    filing_date: datetime.date | None = None
    harm_kinds: frozenset = frozenset()
    provisional_valid_until: datetime.date | None = None
    # Days (Paris) of written requests (email, LRAR) with no useful reply, oldest first.
    unanswered_written: tuple = ()
    booked_at: datetime.datetime | None = None
    anef_technical_errors: int = 0
    stored_status: str = Readiness.NOT_YET
    stored_since: datetime.date | None = None


@dataclass(frozen=True)
class Evaluation:
    case_id: int
    status: str
    ready_since: datetime.date | None
    conditions: tuple
    policy_id: int
    policy_version: int
    evaluated_on: datetime.date
    extra: dict = field(default_factory=dict)

    @property
    def missing(self) -> list[Condition]:
        return [c for c in self.conditions if not c.met and c.group == REFERE]

    def conditions_json(self) -> list[dict]:
        return [c.as_json() for c in self.conditions]

    @property
    def fingerprint(self) -> str:
        # repr of plain values is stable and several times cheaper than json.dumps on 100,000 cases.
        payload = repr(
            (
                self.status,
                self.policy_id,
                self.ready_since,
                [(c.code, c.met, sorted(c.params.items())) for c in self.conditions],
            )
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def get_status_display(self) -> str:
        return str(Readiness(self.status).label)


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _paris_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(PARIS).date()


def _refere_conditions(facts: CaseFacts, policy: ReadinessPolicy, stats: AttemptStats, today) -> list[Condition]:
    conditions = []
    if stats.count == 0:
        conditions.append(Condition("no_attempts", REFERE, False))
    first_day = _paris_date(stats.first_at) if stats.first_at else today
    conditions += [
        Condition(
            "span",
            REFERE,
            stats.span_days >= policy.min_span_days,
            {
                "value": stats.span_days,
                "required": policy.min_span_days,
                "until": _d(first_day + datetime.timedelta(days=policy.min_span_days)),
            },
        ),
        Condition(
            "weeks",
            REFERE,
            stats.iso_weeks >= policy.min_iso_weeks,
            {"value": stats.iso_weeks, "required": policy.min_iso_weeks},
        ),
        Condition(
            "days",
            REFERE,
            stats.distinct_days >= policy.min_distinct_days,
            {"value": stats.distinct_days, "required": policy.min_distinct_days},
        ),
        Condition(
            "bands",
            REFERE,
            stats.time_bands >= policy.min_time_bands,
            {
                "value": stats.time_bands,
                "required": policy.min_time_bands,
                "morning_end": policy.morning_ends_hour,
                "evening_start": policy.evening_starts_hour,
            },
        ),
    ]
    if policy.evidence_on_every_attempt:
        conditions.append(
            Condition(
                "evidence",
                REFERE,
                stats.count > 0 and stats.with_evidence >= stats.count,
                {"value": stats.with_evidence, "count": stats.count},
            )
        )
    conditions.append(_written_condition(facts, policy, today))
    if facts.booked_at is not None and (stats.last_at is None or facts.booked_at >= stats.last_at):
        conditions.append(Condition("booked", REFERE, False, {"date": _d(_paris_date(facts.booked_at))}))
    else:
        conditions.append(Condition("not_booked", REFERE, True))
    if facts.uses_anef and policy.anef_help_channels_required:
        missing = [c for c in ANEF_HELP_CHANNELS if c not in stats.channels]
        conditions.append(Condition("anef", REFERE, not missing, {"missing": [str(c) for c in missing]}))
    return conditions


def _written_condition(facts: CaseFacts, policy: ReadinessPolicy, today) -> Condition:
    required_age = policy.written_request_min_age_days
    if policy.min_written_requests == 0:
        return Condition("written_ok", REFERE, True, {"date": "—", "required": required_age})
    if not facts.unanswered_written:
        return Condition("written_none", REFERE, False)
    limit = today - datetime.timedelta(days=required_age)
    old_enough = [day for day in facts.unanswered_written if day <= limit]
    if policy.min_written_requests > 1:
        return Condition(
            "written_count",
            REFERE,
            len(old_enough) >= policy.min_written_requests,
            {"value": len(old_enough), "age": required_age, "required": policy.min_written_requests},
        )
    if old_enough:
        return Condition("written_ok", REFERE, True, {"date": _d(old_enough[0]), "required": required_age})
    oldest = facts.unanswered_written[0]
    return Condition(
        "written_recent",
        REFERE,
        False,
        {"date": _d(oldest), "required": required_age, "until": _d(oldest + datetime.timedelta(days=required_age))},
    )


def _urgency_condition(facts: CaseFacts, policy: ReadinessPolicy) -> Condition:
    if facts.procedure in policy.urgency_presumed_procedures:
        return Condition("urgency_presumed", REFERE, True, {"procedure": facts.procedure})
    harms = sorted(facts.harm_kinds & URGENCY_HARMS)
    if policy.urgency_from_recorded_harm and harms:
        return Condition("urgency_harm", REFERE, True, {"harms": harms})
    return Condition("urgency_missing", REFERE, False, {"procedure": facts.procedure})


def _referral_conditions(facts: CaseFacts, policy: ReadinessPolicy, stats: AttemptStats, today) -> list[Condition]:
    grounds = []
    limit = today - datetime.timedelta(days=policy.referral_written_request_days)
    grounds.append(
        Condition(
            "referral_written",
            REFERRAL,
            bool(facts.unanswered_written) and facts.unanswered_written[0] <= limit,
            {"required": policy.referral_written_request_days},
        )
    )
    if policy.referral_provisional_document:
        due = facts.filing_date and facts.filing_date + datetime.timedelta(
            days=policy.referral_provisional_document_grace_days
        )
        lacking = facts.provisional_valid_until is None or facts.provisional_valid_until < today
        grounds.append(Condition("referral_provisional", REFERRAL, bool(due and due <= today and lacking)))
    if policy.referral_recorded_harm:
        grounds.append(Condition("referral_harm", REFERRAL, bool(facts.harm_kinds)))
    if policy.referral_anef_technical_error:
        grounds.append(
            Condition(
                "referral_anef_error", REFERRAL, facts.anef_technical_errors > 0, {"value": facts.anef_technical_errors}
            )
        )
    tried = Condition("referral_tried", REFERRAL, stats.count > 0, {"count": stats.count})
    return [tried, *grounds]


def readiness_evaluate(
    facts: CaseFacts, *, policy: ReadinessPolicy, stats: AttemptStats, today: datetime.date
) -> Evaluation:
    """Pure: no query. Returns the status and every condition, met or missing, with its numbers."""
    evidence = _refere_conditions(facts, policy, stats, today)
    urgency = _urgency_condition(facts, policy)
    oqtf = Condition("oqtf", REFERE, False) if facts.has_unexecuted_oqtf else Condition("no_oqtf", REFERE, True)
    referral = _referral_conditions(facts, policy, stats, today)

    evidence_ready = all(c.met for c in evidence)
    referral_ready = referral[0].met and any(c.met for c in referral[1:])
    if facts.has_unexecuted_oqtf and policy.oqtf_requires_lawyer_review:
        status = Readiness.LAWYER_REVIEW
    elif evidence_ready:
        status = Readiness.READY_FOR_REFERE if urgency.met else Readiness.LAWYER_REVIEW
    elif referral_ready:
        status = Readiness.READY_FOR_REFERRAL
    else:
        status = Readiness.NOT_YET

    if status == Readiness.NOT_YET:
        since = None
    elif status == facts.stored_status and facts.stored_since is not None:
        since = facts.stored_since
    else:
        since = today
    return Evaluation(
        case_id=facts.case_id,
        status=str(status),
        ready_since=since,
        conditions=(*evidence, urgency, oqtf, *referral),
        policy_id=policy.pk,
        policy_version=policy.version,
        evaluated_on=today,
    )


def current_policies() -> tuple[dict, ReadinessPolicy]:
    """Current policy per organisation id, and the shared default (one query)."""
    by_org, default = {}, None
    for policy in ReadinessPolicy.objects.filter(is_current=True):
        if policy.organisation_id is None:
            default = policy
        else:
            by_org[policy.organisation_id] = policy
    if default is None:  # created by a data migration; only a flushed database lacks it
        default = ReadinessPolicy.objects.create(
            organisation=None, version=1, change_note=DEFAULT_CHANGE_NOTE, **DEFAULT_SOURCES
        )
    return by_org, default


def readiness_facts(case_ids) -> dict[int, CaseFacts]:
    """Facts for many cases in five queries (no per-case query)."""
    cases = list(
        Case.objects.filter(pk__in=case_ids)
        .order_by()
        .values(
            "id",
            "person_id",
            "team__organisation_id",
            "procedure",
            "uses_anef",
            "has_unexecuted_oqtf",
            "filing_date",
            "readiness",
            "readiness_since",
        )
    )
    ids = [c["id"] for c in cases]
    harms: dict[int, set] = {}
    for case_id, kind in HarmEvent.objects.filter(case_id__in=ids).order_by().values_list("case_id", "kind").distinct():
        harms.setdefault(case_id, set()).add(kind)
    provisional = dict(
        ResidenceDocument.objects.filter(
            person_id__in={c["person_id"] for c in cases}, kind__in=PROVISIONAL_DOCUMENT_KINDS
        )
        .order_by()
        .values("person_id")
        .annotate(until=Max("valid_until"))
        .values_list("person_id", "until")
    )
    written: dict[int, list] = {}
    unanswered = (
        Attempt.objects.filter(case_id__in=ids, channel__in=WRITTEN_CHANNELS)
        .exclude(reply=Reply.APPOINTMENT)
        .exclude(outcome=Outcome.BOOKED)
        .order_by("moment")
        .values_list("case_id", "moment")
    )
    for case_id, moment in unanswered:
        written.setdefault(case_id, []).append(moment.astimezone(PARIS).date())
    signals = {
        row["case_id"]: row
        for row in Attempt.objects.filter(case_id__in=ids)
        .filter(Q(outcome=Outcome.BOOKED) | Q(channel=Channel.ANEF, outcome=Outcome.TECHNICAL_ERROR))
        .order_by()
        .values("case_id")
        .annotate(
            booked=Max("moment", filter=Q(outcome=Outcome.BOOKED)),
            anef_errors=Count("id", filter=Q(channel=Channel.ANEF, outcome=Outcome.TECHNICAL_ERROR)),
        )
    }
    facts = {}
    for c in cases:
        signal = signals.get(c["id"], {})
        facts[c["id"]] = CaseFacts(
            case_id=c["id"],
            organisation_id=c["team__organisation_id"],
            procedure=c["procedure"],
            uses_anef=c["uses_anef"],
            has_unexecuted_oqtf=c["has_unexecuted_oqtf"],
            filing_date=c["filing_date"],
            harm_kinds=frozenset(harms.get(c["id"], ())),
            provisional_valid_until=provisional.get(c["person_id"]),
            unanswered_written=tuple(written.get(c["id"], ())),
            booked_at=signal.get("booked"),
            anef_technical_errors=signal.get("anef_errors", 0),
            stored_status=c["readiness"],
            stored_since=c["readiness_since"],
        )
    return facts


def readiness_evaluate_many(case_ids, *, today: datetime.date | None = None) -> dict[int, Evaluation]:
    """Evaluate many cases set-based: a constant number of queries whatever the number of ids.

    Callers chunk very large sets (a few thousand ids) to bound memory; see recompute_flags.
    """
    today = today or timezone.localdate()
    facts = readiness_facts(case_ids)
    by_org, default = current_policies()
    policy_of = {case_id: by_org.get(f.organisation_id, default) for case_id, f in facts.items()}
    # Time bands depend on the policy's hour edges: one stats query per distinct pair of edges.
    groups: dict[tuple, list[int]] = {}
    for case_id, policy in policy_of.items():
        groups.setdefault(policy.band_edges, []).append(case_id)
    stats: dict[int, AttemptStats] = {}
    for edges, ids in groups.items():
        stats.update(attempt_stats(ids, band_edges=edges))
    return {
        case_id: readiness_evaluate(f, policy=policy_of[case_id], stats=stats.get(case_id, AttemptStats()), today=today)
        for case_id, f in facts.items()
    }


def readiness_evaluate_case(case_id: int, *, today: datetime.date | None = None) -> Evaluation:
    return readiness_evaluate_many([case_id], today=today)[case_id]
