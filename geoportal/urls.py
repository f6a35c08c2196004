"""Top-level URLs: the API and health check without a language prefix, pages with one."""

import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from geoportal.core.views import health
from geoportal.reports.photo_serving.views import media_file

urlpatterns = [
    path("api/v1/", include("geoportal.api_urls")),
    path("health/", health, name="health"),
    path("open311/v2/", include("geoportal.open311.urls")),
    path("ogc/", include("geoportal.ogc.urls")),
    # The public map's layer of permit applications under review (the pages are frontend's).
    path("permits/", include("geoportal.permits.urls")),
    path("tiles/base/", include("geoportal.basemap.urls")),
    path("tiles/", include("layers.tiles.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Report photos, through a check of who asks (geoportal/reports/photo_serving).
    path("photos/", include("geoportal.reports.photo_serving.urls")),
]
# Uploads on the local disk (MEDIA_URL a path): report photos' old addresses lead to their
# checked URLs; the rest is served in development only (views.media_file).
if settings.MEDIA_URL.startswith("/"):
    _media = re.escape(settings.MEDIA_URL.strip("/"))
    urlpatterns.append(re_path(rf"^{_media}/(?P<name>.+)$", media_file, name="media-file"))
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("open-data/", include("geoportal.opendata.urls")),
    # Residents' sign-in by link, My reports, and the Atom feeds of public reports.
    path("", include("geoportal.residents.urls")),
    path("", include("frontend.urls")),
    prefix_default_language=False,
)
handler400 = "geoportal.core.errors.bad_request"
handler404 = "geoportal.core.errors.not_found"
handler500 = "geoportal.core.errors.failed"
