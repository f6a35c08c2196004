"""Open311 GeoReport v2 endpoints, each in .json and .xml."""

from django.urls import re_path

from geoportal.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="service-list"),
    re_path(r"^services/(?P<code>[\w-]+)" + FMT, views.service_definition, name="service-detail"),
    re_path(r"^requests" + FMT, views.requests, name="request-list"),
    re_path(r"^requests/(?P<number>\d+)" + FMT, views.request_detail, name="request-detail"),
    re_path(r"^tokens/(?P<value>[\w-]+)" + FMT, views.token, name="token-detail"),
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
