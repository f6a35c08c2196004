"""Version 1 of the JSON API and its OpenAPI 3 description (Swagger UI with its start-up
script served as a file, so the Content-Security-Policy needs no inline script)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"

urlpatterns = [
    path("", include("geoportal.municipalities.api.urls")),
    path("", include("layers.api.urls")),
    path("", include("geoportal.reports.api.urls")),
    path("", include("geoportal.permits.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI writes <style> elements as it renders; styles only, on this page only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="swagger-ui",
    ),
]
