"""Run a periodic job declared in `config.schedules` once per Paris day, with retries.

rq's cron (`manage.py rqcron config.schedules`) reads cron strings in UTC and cannot attach a
retry policy. So each schedule is registered twice (for UTC+1 and UTC+2: winter and summer
time) as a small `dispatch(name)` job, which:
- skips when it is not yet the schedule's hour in Europe/Paris (the winter-time firing in summer),
- runs at most once per Paris day (a Redis marker: the second firing, a restart of rqcron or
  a retried dispatch are no-ops),
- enqueues the real job with `config.queues.enqueue(..., retry=True)`, so it is retried with
  backoff and, if it still fails, shows up on the failed-jobs page with a retry button.
"""

import datetime
from dataclasses import dataclass

import django_rq
from django.utils import timezone
from django.utils.module_loading import import_string

from config import queues

MARKER_TTL_SECONDS = 3 * 24 * 3600


@dataclass(frozen=True)
class Schedule:
    name: str
    func: str  # dotted path of a job that takes no argument and is idempotent
    queue: str
    paris_time: datetime.time
    weekday: int | None = None  # ISO weekday (1 = Monday) in Paris; None = every day

    def crons(self) -> list[str]:
        """UTC cron strings covering both offsets of Europe/Paris (the job checks the hour)."""
        # Paris is UTC+1 or UTC+2: keep the UTC day equal to the Paris day.
        assert self.paris_time.hour >= 2, "schedule periodic jobs at 02:00 Paris or later"
        hours = f"{self.paris_time.hour - 2},{self.paris_time.hour - 1}"
        day = "*" if self.weekday is None else str(self.weekday % 7)  # cron: 0 = Sunday
        return [f"{self.paris_time.minute} {hours} * * {day}"]


def _schedules() -> dict[str, Schedule]:
    from config.schedules import SCHEDULES

    return {schedule.name: schedule for schedule in SCHEDULES}


def due(schedule: Schedule, now: datetime.datetime) -> bool:
    local = timezone.localtime(now)
    if schedule.weekday is not None and local.isoweekday() != schedule.weekday:
        return False
    return local.time() >= schedule.paris_time


def dispatch(name: str) -> str:
    """Job registered by rqcron: enqueue the schedule's job if due and not yet run today."""
    schedule = _schedules()[name]
    now = timezone.now()
    if not due(schedule, now):
        return "not due"
    marker = f"plage-libre:periodic:{name}:{timezone.localdate(now).isoformat()}"
    connection = django_rq.get_connection(schedule.queue)
    if not connection.set(marker, "1", nx=True, ex=MARKER_TTL_SECONDS):
        return "already run today"
    queues.enqueue(import_string(schedule.func), queue=schedule.queue, retry=True)
    return "enqueued"


def run_now(name: str) -> None:
    """Run a schedule's job in this process (management commands, tests)."""
    import_string(_schedules()[name].func)()
