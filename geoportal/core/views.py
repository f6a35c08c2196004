"""Operational endpoints."""

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from procrastinate.contrib.django.models import ProcrastinateWorker


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Database reachable with PostGIS, and a background worker with a recent heartbeat."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            postgis = cursor.fetchone()[0]
        since = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        workers = ProcrastinateWorker.objects.filter(last_heartbeat__gte=since).count()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": str(exc).strip()}, status=503)
    body = {
        "status": "ok" if workers else "degraded",
        "database": "ok",
        "postgis": postgis,
        "workers": workers,
    }
    # The web side is up even when no worker is: monitoring reads "status".
    return JsonResponse(body)
