"""Report API under /api/v1/: reports, their actions, staff queues, statistics."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.urls import path, re_path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter

from frontend.lockout import locked_out
from geoportal.core.ratelimit import DatabaseRateThrottle
from geoportal.reports.api import clusters, places, staff, statistics, views


class TokenView(ObtainAuthToken):
    """A token for a user name and password: sign-in's rate limit (RATE_LOGIN) and
    django-axes' lockout apply as on the sign-in page."""

    throttle_classes = [DatabaseRateThrottle]
    throttle_scope = "login"

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        # django-axes marks a lockout on the HttpRequest, which DRF wraps: ask it first.
        given = request.data if isinstance(request.data, dict) else {}
        credentials = {"username": str(given.get("username", ""))}
        if not AxesProxyHandler.is_allowed(request._request, credentials):
            return locked_out(request._request, credentials)
        return super().post(request, *args, **kwargs)


router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    path("reports/map/", clusters.ReportMapView.as_view(), name="report-map"),
    path("places/", places.PlaceSearch.as_view(), name="place-list"),
    path("reports/queue/moderation/", staff.ModerationQueue.as_view(), name="queue-moderation"),
    path("reports/queue/department/", staff.DepartmentQueue.as_view(), name="queue-department"),
    path("reports/queue/overdue/", staff.OverdueList.as_view(), name="queue-overdue"),
    path("reports/statistics/", statistics.StatisticsView.as_view(), name="statistics-list"),
    re_path(
        r"^reports/statistics/export\.(?P<fmt>csv|xlsx)$",
        statistics.StatisticsExportView.as_view(),
        name="statistics-export",
    ),
    re_path(
        r"^reports/export\.(?P<fmt>geojson|csv|gpkg|shp)$",
        statistics.ReportExportView.as_view(),
        name="report-export",
    ),
    path("auth/token/", TokenView.as_view(), name="token-create"),
    *router.urls,
]
