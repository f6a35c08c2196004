"""Version 1 of the JSON API and its OpenAPI 3 description."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"

urlpatterns = [
    path("", include("geoportal.municipalities.api.urls")),
    path("", include("layers.api.urls")),
    path("", include("geoportal.reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
]
