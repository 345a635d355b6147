"""Background jobs against the real Redis (REDIS_URL) with a real rq SimpleWorker in burst mode."""

import datetime
import uuid
import zoneinfo

import django_rq
import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from rq import SimpleWorker
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from config import failed_jobs, periodic, queues
from config.queues import QUEUES
from tests import jobs
from tests.factories import CaseFactory, TeamFactory, member

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_conn(settings):
    assert settings.REDIS_URL, "the tests need the real Redis (scripts/test.sh sets REDIS_URL)"
    connection = django_rq.get_connection("default")
    connection.flushdb()  # this test run's own Redis database (REDIS_DB)
    yield connection
    connection.flushdb()


def work(connection):
    worker = SimpleWorker([django_rq.get_queue(name) for name in QUEUES], connection=connection)
    worker.work(burst=True)


def key():
    return f"test:{uuid.uuid4().hex}"


def test_job_is_enqueued_after_commit_not_before(redis_conn, django_capture_on_commit_callbacks):
    k = key()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            assert queues.enqueue(jobs.record, k) == "queued"
            assert django_rq.get_queue("default").count == 0
        # Committed (the outer test transaction stands for the request's): still nothing before
        # the on-commit callbacks run.
        assert django_rq.get_queue("default").count == 0
    assert django_rq.get_queue("default").count == 1
    work(redis_conn)
    assert int(redis_conn.get(k)) == 1


def test_job_of_a_rolled_back_transaction_never_runs(redis_conn, django_capture_on_commit_callbacks):
    k = key()

    def enqueue_then_fail():
        with transaction.atomic():
            queues.enqueue(jobs.record, k)
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        enqueue_then_fail()
    assert django_rq.get_queue("default").count == 0
    assert redis_conn.get(k) is None


def test_transient_failures_are_retried_until_done(redis_conn, settings, django_capture_on_commit_callbacks):
    settings.JOB_RETRY_INTERVALS = [0, 0, 0]
    k = key()
    with django_capture_on_commit_callbacks(execute=True):
        queues.enqueue(jobs.flaky, k, 2, retry=True)
    job_id = django_rq.get_queue("default").job_ids[0]
    work(redis_conn)
    job = Job.fetch(job_id, connection=redis_conn)
    assert job.get_status() == JobStatus.FINISHED
    assert int(redis_conn.get(k)) == 3  # two failures, then success
    assert FailedJobRegistry(queue=django_rq.get_queue("default")).count == 0


def test_retry_policy_backs_off():
    retry = queues.job_retry()
    assert retry.max == 3
    assert retry.intervals == [10, 60, 300]


def test_failed_jobs_page_lists_redacted_error_and_retry_requeues(
    redis_conn, settings, team, org_admin, login_as, django_capture_on_commit_callbacks
):
    settings.JOB_RETRY_INTERVALS = [0, 0, 0]
    k = key()
    other_org_admin = member(TeamFactory(), Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        queues.enqueue(jobs.fail_unless_fixed, k, queue="maintenance", retry=True, organisation_id=team.organisation_id)
    work(redis_conn)
    registry = FailedJobRegistry(queue=django_rq.get_queue("maintenance"))
    assert registry.count == 1

    client = login_as(org_admin)
    page = client.get(reverse("maintenance:failed_jobs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "tests.jobs.fail_unless_fixed" in html
    assert "ValueError" in html
    assert "tests/jobs.py" in html  # where it failed
    for personal in ("Dupont", "1234567890", "jean.dupont@example.org"):
        assert personal not in html
    # Another association's admin does not see it, and cannot retry it.
    other = login_as(other_org_admin)
    assert "fail_unless_fixed" not in other.get(reverse("maintenance:failed_jobs")).content.decode()
    job_id = registry.get_job_ids()[0]
    url = reverse("maintenance:failed_job_retry", args=["maintenance", job_id])
    other.post(url)
    assert registry.count == 1
    # A caseworker may not see the page at all.
    assert login_as(member(team, Role.CASEWORKER)).get(reverse("maintenance:failed_jobs")).status_code == 403

    redis_conn.set(f"{k}:fixed", "1")
    response = client.post(url, follow=True)
    assert "remise dans la file" in response.content.decode()
    assert registry.count == 0
    assert AuditEvent.objects.filter(action=AuditAction.JOB_RETRY, actor=org_admin).count() == 1
    work(redis_conn)
    assert Job.fetch(job_id, connection=redis_conn).get_status() == JobStatus.FINISHED
    assert "Aucune tâche en échec" in client.get(reverse("maintenance:failed_jobs")).content.decode()


def test_error_summary_keeps_location_and_masks_data():
    trace = (
        "Traceback (most recent call last):\n"
        '  File "/srv/app/.venv/lib/python3.12/site-packages/rq/job.py", line 10, in perform\n'
        "    return self.func()\n"
        '  File "/srv/app/litigation/tasks.py", line 42, in build\n'
        "    raise IntegrityError(...)\n"
        'psycopg.errors.UniqueViolation: Key (email)=(a.b@example.org) already exists, "Martin"\n'
    )
    summary = failed_jobs.error_summary(trace)
    assert "rq/job.py:10 (perform)" in summary
    assert "/srv/app/litigation/tasks.py:42 (build)" in summary
    assert summary.splitlines()[-1].startswith("psycopg.errors.UniqueViolation: Key")
    assert "a.b@example.org" not in summary and "Martin" not in summary


@pytest.fixture
def redis_down(settings):
    closed = "redis://127.0.0.1:1/0"
    settings.REDIS_URL = closed
    settings.RQ_QUEUES = {name: {"URL": closed, "DEFAULT_TIMEOUT": 900} for name in QUEUES}


def test_with_redis_down_healthz_says_so_and_jobs_run_inline(redis_down, client, django_capture_on_commit_callbacks):
    assert client.get("/healthz").json() == {"database": "ok", "queue": "down"}
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        assert queues.enqueue(ran.append, 1) == "inline"
        assert ran == []
    assert ran == [1]


def test_with_redis_down_case_pages_and_failed_jobs_page_still_answer(redis_down, team, org_admin, login_as):
    case = CaseFactory(team=team)
    client = login_as(org_admin)
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    page = client.get(reverse("maintenance:failed_jobs"))
    assert page.status_code == 200
    assert "ne répond pas" in page.content.decode()


def test_schedules_load_with_rqcron(redis_conn):
    from django_rq.cron import DjangoCronScheduler

    from config.schedules import SCHEDULES

    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("config.schedules")
    registered = scheduler.get_jobs()
    assert len(registered) == len(SCHEDULES)
    assert {job.func_name for job in registered} == {"config.periodic.dispatch"}
    assert {job.args[0] for job in registered} == {s.name for s in SCHEDULES}


def test_periodic_dispatch_runs_once_per_paris_day_at_its_hour(redis_conn, django_capture_on_commit_callbacks):
    schedule = next(s for s in periodic._schedules().values() if s.name == "morning_digest")
    assert schedule.crons() == ["0 5,6 * * *"]
    queue = django_rq.get_queue(schedule.queue)
    # Winter (UTC+1): the 05:00 UTC firing is 06:00 in Paris, too early; 06:00 UTC is 07:00.
    with time_machine.travel(datetime.datetime(2025, 1, 15, 5, 0, tzinfo=datetime.UTC), tick=False):
        assert periodic.dispatch("morning_digest") == "not due"
    with time_machine.travel(datetime.datetime(2025, 1, 15, 6, 0, tzinfo=datetime.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert periodic.dispatch("morning_digest") == "enqueued"
        assert periodic.dispatch("morning_digest") == "already run today"
    assert queue.count == 1
    job = queue.jobs[0]
    assert job.func_name == "litigation.tasks.digests_send_today"
    assert job.retries_left == 3
    # Summer (UTC+2): the 05:00 UTC firing is 07:00 in Paris.
    summer = datetime.datetime(2025, 7, 15, 5, 0, tzinfo=datetime.UTC)
    with time_machine.travel(summer, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert periodic.dispatch("morning_digest") == "enqueued"


def test_with_redis_down_attempt_logging_still_works(redis_down, team, caseworker, login_as):
    from attempts.forms import AttemptForm
    from attempts.models import Attempt

    case = CaseFactory(team=team)
    client = login_as(caseworker)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    form = next(v for ctx in page.context for d in ctx.dicts for v in d.values() if isinstance(v, AttemptForm))
    data = {name: form[name].value() or "" for name in form.fields if name != "files"}
    response = client.post(reverse("attempts:create", args=[case.pk]), data)
    assert response.status_code == 302
    assert Attempt.objects.filter(case=case).count() == 1


def test_dead_self_report_links_lose_their_credential_and_unused_ones_go(team):
    from attempts.models import Attempt, SelfReportLink
    from attempts.tasks import self_report_links_cleanup

    now = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=PARIS)
    case = CaseFactory(team=team)
    old = now - datetime.timedelta(days=40)
    used = SelfReportLink.objects.create(case=case, token_hash="a" * 64, expires_at=old)
    Attempt.objects.create(case=case, self_report_link=used, recorded_via="self_report")
    unused = SelfReportLink.objects.create(case=case, token_hash="b" * 64, expires_at=old)
    live = SelfReportLink.objects.create(case=case, token_hash="c" * 64, expires_at=now + datetime.timedelta(days=5))
    recent = SelfReportLink.objects.create(case=case, token_hash="d" * 64, expires_at=now - datetime.timedelta(days=3))
    with time_machine.travel(now, tick=False):
        assert self_report_links_cleanup() == 2
        assert self_report_links_cleanup() == 0  # twice is harmless
    assert not SelfReportLink.objects.filter(pk=unused.pk).exists()
    used.refresh_from_db()
    assert used.token_hash == f"purged:{used.pk}"
    assert Attempt.objects.get().self_report_link == used  # provenance kept
    assert {link.token_hash for link in SelfReportLink.objects.filter(pk__in=[live.pk, recent.pk])} == {
        "c" * 64,
        "d" * 64,
    }


def test_bin_purge_job_runs_the_bins_purge(team):
    from cases.models import Case
    from cases.tasks import bin_purge

    case = CaseFactory(team=team)
    Case.objects.filter(pk=case.pk).update(deleted_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    assert bin_purge() == 1
    assert bin_purge() == 0
    assert not Case.objects.filter(pk=case.pk).exists()


def test_with_redis_down_small_case_and_attempt_exports_still_stream(redis_down, team, caseworker, login_as):
    import csv
    import io

    from reports.models import ExportJob
    from tests.factories import AttemptFactory

    cases = [CaseFactory(team=team, assignee=caseworker) for _ in range(3)]  # a caseworker's default tab
    attempts = [AttemptFactory(case=case) for case in cases for _ in range(2)]
    CaseFactory()  # another organisation: never exported
    client = login_as(caseworker)
    for url, ids in (("reports:cases_export", cases), ("reports:attempts_export", attempts)):
        response = client.get(reverse(url), {"dialect": "excel-fr"})
        assert response.status_code == 200 and response.streaming, url  # streamed, not handed to a job
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        header, *rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))
        assert header[0] in ("case_id", "attempt_id")
        assert sorted(int(r[0]) for r in rows) == sorted(o.pk for o in ids), url
    assert not ExportJob.objects.exists()
