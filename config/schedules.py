"""Every periodic job, in one place. Started by `python manage.py rqcron config.schedules`.

Times are Europe/Paris. rq's cron reads UTC and has no retry option, so each schedule registers
`config.periodic.dispatch(name)`, which runs the job once per Paris day at the right hour with
retries (see config/periodic.py). A job listed here takes no argument and is idempotent.
"""

import datetime

from rq import cron

from config.periodic import Schedule, dispatch

SCHEDULES = [
    # Deadlines and readiness flags, then the reminders they raise.
    Schedule("nightly_recompute", "litigation.tasks.nightly_recompute", "maintenance", datetime.time(2, 30)),
    # The day's urgency counts per team, for the dashboard's history chart (after the recompute).
    Schedule("urgency_snapshot", "reports.tasks.urgency_snapshot_job", "maintenance", datetime.time(3, 0)),
    # Export files past their retention delay are deleted.
    Schedule("exports_purge", "reports.tasks.exports_purge_job", "maintenance", datetime.time(4, 30)),
    # The bin: people and cases deleted over 30 days ago are deleted for good (files too).
    Schedule("bin_purge", "cases.tasks.bin_purge", "maintenance", datetime.time(4, 15)),
    # Self-report links dead for 30 days: credentials destroyed (unused ones deleted).
    Schedule(
        "self_report_links_cleanup", "attempts.tasks.self_report_links_cleanup", "maintenance", datetime.time(4, 0)
    ),
    # Spreadsheet imports left unfinished: uploaded files deleted; old imports' error rows dropped.
    Schedule("imports_purge", "attempts.imports.tasks.import_batches_purge", "maintenance", datetime.time(4, 45)),
    # One e-mail per user with what changed for their cases.
    Schedule("morning_digest", "litigation.tasks.digests_send_today", "default", datetime.time(7, 0)),
    # Closed cases past the retention period are anonymised (never under legal hold); expired
    # personal data archives are deleted.
    Schedule("retention", "litigation.tasks.retention_weekly", "maintenance", datetime.time(3, 30), weekday=7),
]

for _schedule in SCHEDULES:
    for _cron in _schedule.crons():
        cron.register(dispatch, _schedule.queue, args=(_schedule.name,), cron=_cron, name=f"{_schedule.name} {_cron}")
