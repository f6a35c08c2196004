from django.urls import path

from frontend import report_pages, views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("investors/", views.investors, name="investors-list"),
    path("m/<slug:slug>/", views.municipality_map, name="map-detail"),
    path("m/<slug:slug>/investors/", views.investors, name="investors-detail"),
    path("reports/<int:pk>/", report_pages.report_detail, name="report-detail"),
    path("reports/track/<str:code>/", report_pages.report_track, name="report-track"),
    path(
        "reports/unsubscribe/<str:token>/",
        report_pages.follow_unsubscribe,
        name="follow-unsubscribe",
    ),
]
