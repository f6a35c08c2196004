from django.urls import path

from geoportal.permits.api.precheck import PrecheckView

urlpatterns = [
    path("permits/precheck/", PrecheckView.as_view(), name="permit-precheck"),
]
