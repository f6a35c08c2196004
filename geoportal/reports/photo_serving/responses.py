"""How a photo that the request may see is sent: by nginx, by Django, or by S3.

- Files on the media volume in production: an empty answer with X-Accel-Redirect to the
  internal nginx location (PHOTO_ACCEL_REDIRECT, docker/nginx.conf); nginx sends the file
  with the Cache-Control written here and its own ETag, and answers If-None-Match itself.
- Files on the local disk without nginx (development, tests): Django sends the file, with
  an ETag (a stored name is never reused, so its bytes never change) and 304 to a match.
- Files on S3: a redirect to a presigned URL of the private object, valid for
  PHOTO_URL_SECONDS; the object itself answers nobody without a signature.

A public photo may be kept by the browser; a shared cache (a CDN, a proxy) must ask again
every time (s-maxage=0), so that a photo hidden or no longer public is gone for everyone
at once (the ETag makes asking again cheap). Anything that is not public: private,
no-store.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.utils.cache import get_conditional_response, patch_cache_control

from geoportal.reports.models import ReportPhoto

# Seconds a browser keeps a public photo before asking again.
PUBLIC_MAX_AGE = 3600


def cached_for(
    response: HttpResponseBase, public: bool, max_age: int = PUBLIC_MAX_AGE
) -> HttpResponseBase:
    """Cache-Control for an answer about a photo: see the module's docstring."""
    if public:
        patch_cache_control(response, public=True, max_age=max_age, s_maxage=0)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def send(request: HttpRequest, photo: ReportPhoto, kind: str, public: bool) -> HttpResponseBase:
    """The file `kind` (image or thumbnail) of a photo the request may see."""
    name = str(getattr(photo, kind).name)
    if not isinstance(default_storage, FileSystemStorage):
        # S3 (settings: private objects, signed URLs). A redirect cached longer than the
        # signature lasts would lead to a refusal: half its lifetime.
        url = default_storage.url(name, expire=settings.PHOTO_URL_SECONDS)  # type: ignore[call-arg]
        return cached_for(HttpResponseRedirect(url), public, settings.PHOTO_URL_SECONDS // 2)
    if settings.PHOTO_ACCEL_REDIRECT:
        # nginx keeps this Content-Type and Cache-Control and drops the rest of the answer.
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = settings.PHOTO_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
        return cached_for(response, public)
    etag = f'"{PurePosixPath(name).stem}"'
    if public:
        unchanged = get_conditional_response(request, etag=etag)
        if unchanged is not None:
            unchanged["ETag"] = etag
            return cached_for(unchanged, public)
    try:
        file = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    streamed = FileResponse(file, content_type="image/jpeg")
    streamed["ETag"] = etag
    return cached_for(streamed, public)
