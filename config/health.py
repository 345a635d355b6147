"""Liveness and readiness probe: no login, no personal data, only the state of each service."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import queues


@login_not_required
@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        database = "down"
    queue = "ok" if queues.redis_available() else ("inline" if not queues.redis_configured() else "down")
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "queue": queue}, status=status)
