"""The only ways to a report's photo: its checked URLs, and its old /media/ address.

Both check who asks on every request (access.py) and answer 404, never 403, to anyone
who may not see the photo now, so that the answer does not tell it exists.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from django.views.decorators.http import require_safe
from django.views.static import serve

from geoportal.reports.photo_serving import access
from geoportal.reports.photo_serving.responses import cached_for, send

# Stored report photos and thumbnails (ReportPhoto's upload_to), under the media root.
REPORT_FOLDER = "reports/"
# Uploads that are public data: the photos of the layers' features (layers/models). The
# only folder nginx serves from the media volume too (docker/nginx.conf).
PUBLIC_FOLDERS = ("layers/",)


@require_safe
def photo_image(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _photo(request, pk, "image")


@require_safe
def photo_thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _photo(request, pk, "thumbnail")


def _photo(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    found = access.find(request, pk)
    if found is None:
        raise Http404
    photo, why = found
    return send(request, photo, kind, public=why is access.Access.PUBLIC)


@require_safe
def media_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """An address under MEDIA_URL that reached Django.

    A report photo's old direct address leads, for those who may see the photo now, to its
    checked URL; for anyone else it does not exist. The public uploads (PUBLIC_FOLDERS) are
    served from the local disk in development only; in production nginx serves them and
    never passes them here (docker/nginx.conf). Anything else does not exist.
    """
    if posixpath.normpath(name) != name:  # "layers/../reports/…" must not get round the check
        raise Http404
    if name.startswith(REPORT_FOLDER):
        found = access.find_by_name(request, name)
        if found is None:
            raise Http404
        photo, why = found
        kind = "thumbnail" if photo.thumbnail.name == name else "image"
        moved = HttpResponsePermanentRedirect(photo.url_of(kind))
        return cached_for(moved, public=why is access.Access.PUBLIC)
    if not settings.DEBUG or not name.startswith(PUBLIC_FOLDERS):
        raise Http404
    return serve(request, name, document_root=str(settings.MEDIA_ROOT))
