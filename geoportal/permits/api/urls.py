"""Permit API under /api/v1/permits/: the pre-check, the register's downloads and the staff's
statistics."""

from django.urls import path, re_path

from geoportal.permits.api import views
from geoportal.permits.api.precheck import PrecheckView

urlpatterns = [
    path("permits/precheck/", PrecheckView.as_view(), name="permit-precheck"),
    path("permits/statistics/", views.PermitStatisticsView.as_view(), name="permit-statistics"),
    re_path(
        r"^permits/export\.(?P<fmt>geojson|csv|gpkg|shp)$",
        views.PermitExportView.as_view(),
        name="permit-export",
    ),
]
