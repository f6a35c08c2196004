"""The API's language: what the client asks for (Accept-Language, or the language cookie).

Pages carry their language in the URL (/ Ukrainian, /en/ English); the API has one URL
for both, and Django's LocaleMiddleware gives unprefixed URLs the default language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

# (/permits/under-review.geojson is data; /permits/register/ beside it is a Ukrainian page.)
UNPREFIXED = ("/api/", "/tiles/", "/health/", "/open311/", "/ogc/", "/permits/under-review")


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(UNPREFIXED):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.path.startswith(UNPREFIXED):
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class RefuseNulMiddleware:
    """A NUL character in the path or a parameter is refused with 400 naming it: PostgreSQL
    cannot store or compare it, and no real input carries one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:  # a path converter would hand it to a query
            return JsonResponse({"path": ["Contains a NUL character."]}, status=400)
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for source in sources:
            for name, values in source.lists():
                if "\x00" in name or any("\x00" in str(value) for value in values):
                    return JsonResponse(
                        {name.replace("\x00", "") or "parameter": ["Contains a NUL character."]},
                        status=400,
                    )
        return self.get_response(request)
