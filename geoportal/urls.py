"""Top-level URLs: the API and health check without a language prefix, pages with one."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from geoportal.core.views import health

urlpatterns = [
    path("api/v1/", include("geoportal.api_urls")),
    path("health/", health, name="health"),
    path("open311/v2/", include("geoportal.open311.urls")),
    path("ogc/", include("geoportal.ogc.urls")),
    path("tiles/", include("layers.tiles.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("open-data/", include("geoportal.opendata.urls")),
    path("", include("frontend.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "geoportal.core.errors.bad_request"
handler404 = "geoportal.core.errors.not_found"
handler500 = "geoportal.core.errors.failed"
