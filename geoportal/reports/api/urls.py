"""Report API under /api/v1/: reports, their actions, staff queues, statistics."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from geoportal.accounts.signin import TokenView
from geoportal.reports.api import clusters, places, staff, statistics, views

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
