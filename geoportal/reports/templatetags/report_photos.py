"""{% photo_url photo "thumbnail" signed %}: a photo's checked URL, with the grant the
reporter's own page adds so that they see the photos of their report before it is public."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

from geoportal.reports.models import ReportPhoto
from geoportal.reports.photo_serving.access import GRANT_PARAMETER, grant

register = template.Library()


@register.simple_tag
def photo_url(photo: ReportPhoto, kind: str, signed: bool = False) -> str:
    url = photo.url_of(kind)
    return f"{url}?{urlencode({GRANT_PARAMETER: grant(photo)})}" if signed else url
