"""Open311 GeoReport v2 at /open311/v2/ (wiki.open311.org/GeoReport_v2), XML and JSON.

`jurisdiction_id` is a hromada's slug (the main hromada when left out). Filing a report
(POST requests) needs an API key issued in the admin and follows the same intake, and so
the same procedure and refusals, as the web. No response carries personal data.

Filings are limited per API key alone, to the key's hourly limit set in the admin (a
call centre files hundreds an hour from one address); a 429 carries Retry-After. An
Idempotency-Key belongs to the key that sent it: a retry is answered from the first
report before the limit is counted, and another key's client never sees that report.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from geoportal.core.clients import api_key_owner
from geoportal.core.ratelimit import check_key
from geoportal.core.text import unsafe_character
from geoportal.municipalities.models import Municipality
from geoportal.open311 import records
from geoportal.open311.formats import Many, errors, respond
from geoportal.open311.models import ApiKey, Open311Request
from geoportal.reports.api.places import known_address, parse_coordinates
from geoportal.reports.errors import ProcedureError
from geoportal.reports.intake import Submission, idempotency_key, submit
from geoportal.reports.models import Report
from geoportal.reports.states import CLOSED_STATES

DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
# Our field names, as an Open311 client knows them.
OPEN311_NAMES = {"lon": "long", "category": "service_code", "title": "description",
                 "location": "lat/long", "reporter_email": "email",
                 "reporter_phone": "phone", "reporter_name": "first_name"}  # fmt: skip


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str, retry_after: int | None = None) -> None:
        super().__init__(descriptions)
        self.status, self.descriptions = status, list(descriptions)
        self.retry_after = retry_after


View = Callable[..., HttpResponse]


def open311(view: View) -> View:
    """Answer refusals in the requested format, as the spec's errors."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as refusal:
            response = errors(fmt, refusal.status, refusal.descriptions)
            if refusal.retry_after is not None:
                response["Retry-After"] = str(refusal.retry_after)
            return response

    return answer


def jurisdiction(request: HttpRequest) -> Municipality:
    slug = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    found = Municipality.objects.active().filter(slug=slug or settings.DEFAULT_MUNICIPALITY).first()
    if found is None:
        raise Open311Error(404, f"jurisdiction_id: {slug!r} is not a hromada served here.")
    return found


@open311
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = settings.SITE_URL + "/open311/v2"
    data = {
        "changeset": "2026-11-23T00:00:00+02:00",
        "contact": settings.DEFAULT_FROM_EMAIL,
        "key_service": "API keys are issued by the council's administrators.",
        "endpoints": Many("endpoint", [{
            "specification": records.SPEC,
            "url": base,
            "changeset": "2026-11-23T00:00:00+02:00",
            "type": "production",
            "formats": Many("format", ["text/xml", "application/json"]),
        }]),
    }  # fmt: skip
    return respond(fmt, "discovery", None, data)


@open311
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    municipality = jurisdiction(request)
    categories = municipality.categories.active().select_related("parent").order_by("sort_order")
    return respond(fmt, "services", "service", [records.service(c) for c in categories])


@open311
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = jurisdiction(request).categories.active().filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"service_code: {code!r} is not a service of this jurisdiction.")
    data: dict[str, Any] = {"service_code": category.code, "attributes": Many("attribute", [])}
    return respond(fmt, "service_definition", None, data)


def _moment(request: HttpRequest, name: str) -> Any:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
        if moment is None and (day := parse_date(raw)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except ValueError:  # well formed but no such day or hour (2026-02-30)
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name}: {raw!r} is not a date and time in ISO 8601.")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _listed(request: HttpRequest, municipality: Municipality) -> Any:
    reports = Report.objects.public_listing().filter(municipality=municipality)
    ids = request.GET.get("service_request_id", "").strip()
    if ids:
        try:
            wanted = [int(part) for part in ids.split(",") if part.strip()]
        except ValueError:
            raise Open311Error(
                400, "service_request_id: give numbers separated by commas."
            ) from None
        return reports.filter(pk__in=wanted[:MAX_REQUESTS])
    if codes := [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]:
        reports = reports.filter(category__code__in=codes)
    statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status: give open, closed or both.")
    if statuses == {"open"}:
        reports = reports.exclude(state__in=CLOSED_STATES)
    elif statuses == {"closed"}:
        reports = reports.filter(state__in=CLOSED_STATES)
    start, end = _moment(request, "start_date"), _moment(request, "end_date")
    if end is None:
        end = start + timedelta(days=DEFAULT_DAYS) if start else timezone.now()
    if start is None:
        start = end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise Open311Error(400, "start_date: must not be after end_date.")
    return reports.filter(created_at__gte=start, created_at__lte=end)


def _with_related(reports: Any) -> Any:
    return reports.select_related(
        "category", "department", "municipality", "open311"
    ).prefetch_related("photos")


@csrf_exempt
@open311
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _file(request, fmt)
    if request.method != "GET":
        raise Open311Error(405, "Use GET to read requests or POST to file one.")
    reports = _with_related(_listed(request, jurisdiction(request)))
    chosen = reports.order_by("-created_at", "-pk")[:MAX_REQUESTS]
    return respond(fmt, "service_requests", "request", [records.request_record(r) for r in chosen])


@open311
def request_detail(request: HttpRequest, number: int, fmt: str) -> HttpResponse:
    report = _with_related(Report.objects.filter(pk=number)).first()
    key = ApiKey.objects.find(request.GET.get("api_key", ""))
    visible = report is not None and (
        Report.objects.public_listing().filter(pk=report.pk).exists()
        # The client that filed a report may read it back before it is moderated.
        or (key is not None and Open311Request.objects.filter(report=report, api_key=key).exists())
    )
    if not visible:
        raise Open311Error(404, f"service_request_id: no public request {number}.")
    return respond(fmt, "service_requests", "request", [records.request_record(report)])


@open311
def token(request: HttpRequest, value: str, fmt: str) -> HttpResponse:
    linked = Open311Request.objects.filter(token=value).first()
    if linked is None:
        raise Open311Error(404, "token: unknown.")
    data = [{"service_request_id": linked.report_id, "token": linked.token}]
    return respond(fmt, "service_requests", "request", data)


def _place(form: Any) -> tuple[float | None, float | None]:
    lat, lon = form.get("lat", "").strip(), form.get("long", "").strip()
    if lat or lon:
        try:
            return float(lat), float(lon)
        except ValueError:
            raise Open311Error(400, "lat/long: give both as decimal degrees.") from None
    address = form.get("address_string", "").strip()
    if not address:
        raise Open311Error(400, "lat/long: give lat and long, or address_string.")
    point = parse_coordinates(address) or known_address(address, form.get("jurisdiction_id", ""))
    if point is None:
        raise Open311Error(400, f"address_string: {address!r} is not an address known here; "
                           "give lat and long.")  # fmt: skip
    return point.y, point.x


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    form = request.POST
    key = ApiKey.objects.find(form.get("api_key", ""))
    if key is None:
        raise Open311Error(403, "api_key: missing, unknown or revoked.")
    try:
        retry_key = idempotency_key(request.headers.get("Idempotency-Key", ""))
    except ValidationError as exc:
        raise Open311Error(400, *_described(exc)) from None
    owner = api_key_owner(key.pk)
    replay = retry_key and Report.objects.filed_with_key(owner, retry_key).exists()
    if not replay and (refusal := check_key("open311", key.pk, key.rate())) is not None:
        raise Open311Error(429, f"api_key: {refusal.message()}", retry_after=refusal.seconds)
    municipality = jurisdiction(request)
    lat, lon = _place(form)
    media = form.get("media_url", "").strip()
    if media and not _is_web_address(media):
        raise Open311Error(400, "media_url: give an http(s) address.")
    _check_kept_as_given(form)
    description = form.get("description", "").strip()
    name = " ".join(
        part for part in (form.get("first_name", ""), form.get("last_name", "")) if part
    )
    submission = Submission(
        category=form.get("service_code", ""),
        title=(description.splitlines()[0] if description else "")[:80],
        description=description,
        lat=lat,
        lon=lon,
        address=form.get("address_string", ""),
        reporter_name=name.strip(),
        reporter_email=form.get("email", ""),
        reporter_phone=form.get("phone", ""),
        language=(getattr(request, "LANGUAGE_CODE", "uk") or "uk")[:2],
        idempotency_key=retry_key,
        idempotency_owner=owner,
    )
    if form.get("jurisdiction_id") and lat is not None and lon is not None:
        point = Point(lon, lat, srid=4326)
        if all(map(math.isfinite, (lat, lon))) and not municipality.covers(point):
            raise Open311Error(400, "jurisdiction_id: the place is not in this hromada.")
    try:
        report, created = submit(submission)
    except ValidationError as exc:
        raise Open311Error(400, *_described(exc)) from None
    except ProcedureError as exc:
        raise Open311Error(exc.status if exc.status != 422 else 400, exc.message) from None
    linked, _new = Open311Request.objects.get_or_create(
        report=report,
        defaults={"api_key": key, "media_url": media[:500],
                  "device_id": form.get("device_id", "")[:100],
                  "account_id": form.get("account_id", "")[:100]},
    )  # fmt: skip
    data = [{"service_request_id": report.pk, "token": linked.token,
             "service_notice": "A moderator checks the report within one working day.",
             "account_id": linked.account_id or None}]  # fmt: skip
    return respond(fmt, "service_requests", "request", data, status=201 if created else 200)


# What the client sends that is kept as it is (the intake checks the report's own fields):
# refused when too long or garbled rather than cut short.
KEPT_AS_GIVEN = {"media_url": 500, "device_id": 100, "account_id": 100}


def _is_web_address(value: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


def _check_kept_as_given(form: Any) -> None:
    for name, limit in KEPT_AS_GIVEN.items():
        value = form.get(name, "")
        if len(value) > limit:
            raise Open311Error(400, f"{name}: at most {limit} characters.")
        if (code := unsafe_character(value)) is not None:
            raise Open311Error(400, f"{name}: contains {code}, an invisible control character.")


def _described(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    described = [
        f"{OPEN311_NAMES.get(field, field)}: {' '.join(messages)}"
        for field, messages in exc.message_dict.items()
    ]
    return list(dict.fromkeys(described))  # title and description are both "description"


def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    fmt = "xml" if rest.endswith(".xml") else "json"
    return errors(fmt, 404, [f"{rest!r} is not an Open311 endpoint here; see discovery.json."])
