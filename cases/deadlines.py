"""The deadline engine: dated milestones of a case from its documents, procedure and dates.

Pure functions: the rules come in as rows (`DeadlineRule.objects.in_force(today)`), the case with
its person and documents as already-loaded objects; nothing here touches the database. The page,
the services and the nightly recomputation all call `milestones_for` and `next_deadline`.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from cases.enums import (
    INACTIVE_STATUSES,
    PROVISIONAL_DOCUMENT_KINDS,
    TITLE_DOCUMENT_KINDS,
    AnefScope,
    DeadlineAnchor,
    Urgency,
)

# Upper bounds (in days) of the urgency levels, most urgent first; beyond the last: LATER.
URGENCY_THRESHOLDS = ((7, Urgency.D7), (30, Urgency.D30), (60, Urgency.D60))


@dataclass(frozen=True)
class Milestone:
    date: datetime.date
    rule_code: str
    rule_version: int
    label: str
    source: str
    tag: str
    is_deadline: bool

    def days_from(self, today: datetime.date) -> int:
        return (self.date - today).days


@dataclass(frozen=True)
class NextDeadline:
    date: datetime.date | None
    label: str
    urgency: int


NO_DEADLINE = NextDeadline(date=None, label="", urgency=Urgency.NONE)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def apply_offset(anchor: datetime.date, *, days: int, months: int) -> datetime.date:
    # Days first: "3 months from the day after expiry" is (expiry + 1 day) + 3 months.
    return add_months(anchor + datetime.timedelta(days=days), months)


def document_years(document) -> int | None:
    if document.duration_years:
        return document.duration_years
    if document.valid_from and document.valid_until:
        return round((document.valid_until - document.valid_from).days / 365.25)
    return None


def _latest(documents, kinds):
    dated = [d for d in documents if d.kind in kinds and d.valid_until is not None]
    return max(dated, key=lambda d: (d.valid_until, d.pk or 0), default=None)


def _anchors(case, documents) -> dict:
    """Anchor name -> (date, document or None)."""
    title = _latest(documents, TITLE_DOCUMENT_KINDS)
    provisional = _latest(documents, PROVISIONAL_DOCUMENT_KINDS)
    return {
        DeadlineAnchor.TITLE_EXPIRY: (title.valid_until, title) if title else (None, None),
        DeadlineAnchor.PROVISIONAL_EXPIRY: (provisional.valid_until, provisional) if provisional else (None, None),
        DeadlineAnchor.FILING_DATE: (case.filing_date, None),
        DeadlineAnchor.BIRTH_DATE: (case.person.birth_date, None),
        DeadlineAnchor.ENTRY_DATE: (case.entry_date, None),
    }


def _applies(rule, case, document) -> bool:
    if rule.procedures and case.procedure not in rule.procedures:
        return False
    if rule.anef == AnefScope.ANEF and not case.uses_anef:
        return False
    if rule.anef == AnefScope.NOT_ANEF and case.uses_anef:
        return False
    if rule.until_filed and case.filing_date is not None:
        return False
    if document is not None:
        if rule.document_kinds and document.kind not in rule.document_kinds:
            return False
        if rule.min_document_years:
            years = document_years(document)
            if years is None or years < rule.min_document_years:
                return False
    elif rule.document_kinds or rule.min_document_years:
        return False
    return True


def milestones_for(case, rules: Iterable, today: datetime.date, documents=None) -> list[Milestone]:
    """Every dated milestone the rules give for `case`, in date order.

    `documents` defaults to `case.person.documents.all()` (prefetch it for many cases).
    """
    if documents is None:
        documents = case.person.documents.all()
    anchors = _anchors(case, list(documents))
    milestones = []
    for rule in rules:
        anchor_date, document = anchors.get(rule.anchor, (None, None))
        if anchor_date is None or not _applies(rule, case, document):
            continue
        day = apply_offset(anchor_date, days=rule.offset_days, months=rule.offset_months)
        if rule.hide_after_days is not None and (today - day).days > rule.hide_after_days:
            continue
        milestones.append(
            Milestone(
                date=day,
                rule_code=rule.code,
                rule_version=rule.version,
                label=rule.label,
                source=rule.source,
                tag=rule.tag,
                is_deadline=rule.is_deadline,
            )
        )
    milestones.sort(key=lambda m: (m.date, m.rule_code))
    return milestones


def urgency_for(days: int) -> int:
    if days < 0:
        return Urgency.EXPIRED
    for limit, urgency in URGENCY_THRESHOLDS:
        if days <= limit:
            return urgency
    return Urgency.LATER


def next_deadline(milestones: list[Milestone], today: datetime.date, *, status: str | None = None) -> NextDeadline:
    """The first deadline still to come; if all have passed, the latest one, marked expired.

    Reminders (`is_deadline` false) never set the urgency. A decided or closed case follows none.
    """
    if status in INACTIVE_STATUSES:
        return NO_DEADLINE
    deadlines = [m for m in milestones if m.is_deadline]
    upcoming = [m for m in deadlines if m.date >= today]
    if upcoming:
        chosen = min(upcoming, key=lambda m: (m.date, m.rule_code))
    elif deadlines:
        chosen = max(deadlines, key=lambda m: (m.date, m.rule_code))
    else:
        return NO_DEADLINE
    return NextDeadline(date=chosen.date, label=chosen.label, urgency=urgency_for(chosen.days_from(today)))


def deadline_for(case, rules: Iterable, today: datetime.date, documents=None) -> NextDeadline:
    return next_deadline(milestones_for(case, rules, today, documents), today, status=case.status)
