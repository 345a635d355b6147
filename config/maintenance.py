"""Maintenance pages for an association's admins: failed background jobs and their retry."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from redis.exceptions import RedisError

from accounts.permissions import org_admin_required
from config import failed_jobs, queues


@org_admin_required
def failed_job_list(request):
    jobs, reachable = [], queues.redis_available()
    if reachable:
        try:
            jobs = failed_jobs.failed_jobs(organisation_id=request.user.organisation_id)
        except (RedisError, OSError):
            reachable = False
    return render(
        request,
        "maintenance/failed_jobs.html",
        {"jobs": jobs, "reachable": reachable, "configured": queues.redis_configured()},
    )


@org_admin_required
@require_POST
def failed_job_retry(request, queue, job_id):
    try:
        done = failed_jobs.failed_job_retry(queue=queue, job_id=job_id, user=request.user, request=request)
    except (RedisError, OSError):
        done = False
    if done:
        messages.success(request, _("La tâche a été remise dans la file d'attente."))
    else:
        messages.error(request, _("Cette tâche n'est plus dans la liste des échecs."))
    return redirect("maintenance:failed_jobs")


app_name = "maintenance"

urlpatterns = [
    path("jobs/failed/", failed_job_list, name="failed_jobs"),
    path("jobs/failed/<str:queue>/<str:job_id>/retry/", failed_job_retry, name="failed_job_retry"),
]
