"""Reminder for a court order whose ordered delay passed without execution, with frozen time.

The order is recorded through the litigation service, so the day it is due comes from the
litigation app's own rule (`execution_due_on`, read by `LitigationAction.objects.order_not_executed`).
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from cases.enums import CaseStatus
from litigation.enums import ActionOutcome, NotificationKind
from litigation.models import LitigationAction, Notification
from litigation.services import litigation_action_create
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
ORDER_DAY = datetime.date(2025, 6, 2)
DELAY_DAYS = 15
DUE = ORDER_DAY + datetime.timedelta(days=DELAY_DAYS)  # 17/06/2025: the last day to execute it
SECTION = "Délai d'exécution d'une ordonnance dépassé"


def morning(day):
    return datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=PARIS)


def run_digest(traveller, day):
    traveller.move_to(morning(day))
    call_command("send_digests", "--date", day.isoformat())


def order_reminders(**filters):
    return Notification.objects.filter(kind=NotificationKind.ORDER_DELAY_PASSED, **filters)


@pytest.fixture
def granted_order(team, caseworker):
    with time_machine.travel(morning(ORDER_DAY), tick=False) as traveller:
        case = CaseFactory(
            team=team,
            assignee=caseworker,
            status=CaseStatus.ORDER_GRANTED,
            person__first_name="Fatoumata",
            person__last_name="Diallo",
        )
        action = litigation_action_create(
            case=case,
            data={
                "filed_on": ORDER_DAY - datetime.timedelta(days=20),
                "order_on": ORDER_DAY,
                "outcome": ActionOutcome.GRANTED,
                "ordered_appointment_within_days": DELAY_DAYS,
            },
            user=caseworker,
        )
        yield case, action, traveller


def test_overdue_order_gives_one_reminder_and_a_digest_section_not_before(granted_order, caseworker, coordinator):
    case, action, traveller = granted_order
    assert action.execution_due_on == DUE

    # Up to and including the due day: nothing, neither in the app nor by e-mail.
    for day in (ORDER_DAY, DUE - datetime.timedelta(days=1), DUE):
        run_digest(traveller, day)
    assert not order_reminders().exists()
    assert all(SECTION not in message.body for message in mail.outbox)

    # The day after: one reminder for the assignee (and the team coordinator, a litigation decision).
    overdue_day = DUE + datetime.timedelta(days=1)
    run_digest(traveller, overdue_day)
    mine = order_reminders(user=caseworker)
    assert mine.count() == 1
    reminder = mine.get()
    assert (reminder.case_id, reminder.day, reminder.ref) == (case.pk, overdue_day, f"{action.pk}:{DUE.isoformat()}")
    assert "au plus tard le 17/06/2025" in reminder.message
    assert order_reminders(user=coordinator).count() == 1
    assert order_reminders().count() == 2

    # In the morning e-mail, in its own section, with the first name only.
    digest = next(m for m in mail.outbox if m.to == [caseworker.email] and SECTION in m.body)
    html = digest.alternatives[0].content
    for body in (digest.body, html.replace("&#x27;", "'")):
        assert SECTION in body
        assert "L'ordonnance devait être exécutée au plus tard le 17/06/2025" in body
        assert "Fatoumata" in body and "Diallo" not in body

    # Idempotent: same day again, and the following days, add nothing and send it no more.
    sent = len(mail.outbox)
    run_digest(traveller, overdue_day)
    for later in range(2, 5):
        run_digest(traveller, DUE + datetime.timedelta(days=later))
    assert order_reminders().count() == 2
    assert all(SECTION not in message.body for message in mail.outbox[sent:])


def test_executed_order_gives_no_reminder(granted_order):
    case, action, traveller = granted_order
    LitigationAction.objects.filter(pk=action.pk).update(executed_on=DUE - datetime.timedelta(days=2))
    run_digest(traveller, DUE + datetime.timedelta(days=1))
    assert not order_reminders().exists()
