"""A resident files a report (PROCEDURE.md, "submit"): checked whole, then saved at once.

Everything is checked before anything is written: the photos (all or none), the place
(inside a hromada served here), the category (of that hromada), the fields. Then one
transaction saves the report with its routing suggestion, spatial context, moderation
clock, first event, the reporter's subscription and the photos; a failure anywhere
leaves neither rows nor files behind. A retried submission with the same
Idempotency-Key from the same client (`idempotency_owner`) returns the first report
instead of making a second one; another client's key is another key.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from geoportal.core.text import check_text
from geoportal.municipalities.models import Category, Municipality, RoutingRule
from geoportal.municipalities.working_days import WorkingCalendar
from geoportal.reports import timebase
from geoportal.reports.context import find_context
from geoportal.reports.errors import ProcedureError
from geoportal.reports.models import Follow, Report, ReportEvent
from geoportal.reports.models.data import Clock, LocationSource
from geoportal.reports.notify import notify_event
from geoportal.reports.photos import Photo, StoredFiles, check_all, store
from geoportal.reports.states import Action, State

PHONE_PATTERN = r"^\+?[0-9 ()-]{7,20}$"
# The text a resident sends, checked the same whether it came by the web, the API or Open311.
SINGLE_LINE = ("category", "title", "address", "reporter_name", "reporter_email",
               "reporter_phone")  # fmt: skip
MULTILINE = ("description", "reporter_postal_address")


# A retry's key as sent: visible ASCII (a UUID, say), at most what the model keeps.
IDEMPOTENCY_KEY = re.compile(r"[!-~]{1,128}")


def idempotency_key(header: str) -> str:
    """The Idempotency-Key header's key, or "" when none was sent. One too long or with
    anything but visible ASCII is refused, not cut or mangled: two different keys would
    otherwise be taken for one."""
    key = header.strip()
    if key and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationError(
            {"Idempotency-Key": _("Send at most 128 visible ASCII characters (a UUID, say).")}
        )
    return key


class IdempotencyMismatchError(ProcedureError):
    """The Idempotency-Key was already used for a different report."""

    status = 422


@dataclass
class Submission:
    """What a resident sends. `lat`/`lon` are the place the resident confirmed (required:
    a photo's GPS is never taken silently); `location_source` says whether that place was
    where a photo was taken ("photo", the resident chose it) or tapped/typed ("map")."""

    category: str
    title: str
    description: str
    lat: float | None = None
    lon: float | None = None
    location_source: str = LocationSource.MAP
    address: str = ""
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    reporter_postal_address: str = ""
    show_name: bool = False
    is_formal_appeal: bool = False
    language: str = "uk"
    photos: list[Any] = field(default_factory=list)
    user: Any = None
    idempotency_key: str = ""
    idempotency_owner: str = ""  # whose key it is (geoportal.core.clients)

    def fingerprint(self) -> str:
        """The content that makes two submissions "the same" for a retried request."""
        parts = [
            self.category,
            self.title.strip(),
            self.description.strip(),
            f"{self.lat:.6f}" if self.lat is not None else "",
            f"{self.lon:.6f}" if self.lon is not None else "",
            self.reporter_email.strip().lower(),
            str(len(self.photos)),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def missing_location() -> dict[str, list[str]]:
    return {"location": [_("Place the pin on the map, or give the latitude and longitude.")]}


def locate(submission: Submission) -> tuple[Point, LocationSource]:
    """The point the resident placed, tapped, typed or chose from a photo's GPS, and where
    it came from. A photo's own GPS is never used unless the resident chose it: without
    lat/lon the submission is refused, naming the field."""
    if submission.lat is None and submission.lon is None:
        raise ValidationError(missing_location())
    errors = {}
    if submission.location_source not in LocationSource.values:
        errors["location_source"] = _("Choose one of: %(known)s.") % {
            "known": ", ".join(LocationSource.values)
        }
    for name, value, bound in (("lat", submission.lat, 90), ("lon", submission.lon, 180)):
        if value is None:
            errors[name] = _("This field is required.")
        elif not math.isfinite(value) or not -bound <= value <= bound:
            errors[name] = _("Must be a number between -%(bound)s and %(bound)s.") % {
                "bound": bound
            }
    if errors:
        raise ValidationError(errors)
    point = Point(submission.lon, submission.lat, srid=4326)
    return point, LocationSource(submission.location_source)


def find_municipality(point: Point) -> Municipality:
    municipality = Municipality.objects.containing(point).first()
    if municipality is None:
        raise ValidationError(
            {
                "location": _(
                    "The point %(lat).5f, %(lon).5f is outside every hromada served here; "
                    "place the pin inside the city."
                )
                % {"lat": point.y, "lon": point.x}
            }
        )
    return municipality


def place_problems(data: Any) -> dict[str, list[str]]:
    """What is wrong with the place given as lat/lon, if anything (for reporting every
    problem of a refused submission at once): none given, or outside every hromada."""
    if all(data.get(name) in (None, "") for name in ("lat", "lon")):
        return missing_location()
    try:
        lat, lon = float(data.get("lat")), float(data.get("lon"))
    except (TypeError, ValueError):
        return {}
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return {}
    try:
        find_municipality(Point(lon, lat, srid=4326))
    except ValidationError as exc:
        return exc.message_dict
    return {}


def find_category(municipality: Municipality, code: str) -> Category:
    categories = Category.objects.active().filter(municipality=municipality)
    category = categories.filter(code=(code or "").strip()).first()
    if category is None:
        known = ", ".join(categories.values_list("code", flat=True))
        raise ValidationError(
            {
                "category": _("“%(code)s” is not a category of %(name)s; choose one of: %(known)s.")
                % {"code": code, "name": municipality.name, "known": known}
            }
        )
    return category


def replayed(submission: Submission) -> Report | None:
    """The report this client already filed under the submission's Idempotency-Key, or
    None; the same key with other content is refused."""
    if not submission.idempotency_key:
        return None
    existing = Report.objects.filed_with_key(
        submission.idempotency_owner, submission.idempotency_key
    ).first()
    if existing is not None and existing.idempotency_fingerprint != submission.fingerprint():
        raise IdempotencyMismatchError(
            _(
                "This Idempotency-Key was already used for a different report; "
                "use a new key for a new report."
            )
        )
    return existing


def submit(submission: Submission) -> tuple[Report, bool]:
    """File the report; (report, True), or (the first report, False) for a replay."""
    _check_text(submission)
    if (first := replayed(submission)) is not None:
        return first, False
    photos = check_all(submission.photos)
    point, source = locate(submission)
    municipality = find_municipality(point)
    category = find_category(municipality, submission.category)
    user = submission.user if getattr(submission.user, "is_authenticated", False) else None
    report = Report(
        municipality=municipality,
        point=point,
        location_source=source,
        category=category,
        title=submission.title.strip(),
        description=submission.description.strip(),
        address=submission.address.strip(),
        language=submission.language if submission.language in {"uk", "en"} else "uk",
        reporter_user=user,
        reporter_name=submission.reporter_name.strip(),
        reporter_email=submission.reporter_email.strip().lower(),
        reporter_phone=submission.reporter_phone.strip(),
        reporter_postal_address=submission.reporter_postal_address.strip(),
        show_name=submission.show_name,
        is_formal_appeal=submission.is_formal_appeal,
        idempotency_key=submission.idempotency_key or None,
        idempotency_owner=submission.idempotency_owner if submission.idempotency_key else "",
        idempotency_fingerprint=submission.fingerprint() if submission.idempotency_key else "",
    )
    _check_fields(report)
    files = StoredFiles()
    try:
        with transaction.atomic():
            _save(report, photos, files)
    except IntegrityError:
        files.remove()
        # The same key committed by a simultaneous retry: answer with that report.
        if (first := replayed(submission)) is not None:
            return first, False
        raise
    except BaseException:
        files.remove()
        raise
    return report, True


def _check_text(submission: Submission) -> None:
    """Every text field at once: its length (the model's, which a TextField does not check
    itself), invisible control characters, and the phone number's form."""
    errors: dict[str, list[str]] = {}
    for name in SINGLE_LINE + MULTILINE:
        value = getattr(submission, name) or ""
        model_field = (
            Category._meta.get_field("code") if name == "category" else Report._meta.get_field(name)
        )
        limit = getattr(model_field, "max_length", None)
        try:
            check_text(name, value, multiline=name in MULTILINE)
            if limit is not None:
                MaxLengthValidator(limit)(value)
            if name == "reporter_phone" and value.strip():
                RegexValidator(PHONE_PATTERN)(value.strip())
        except ValidationError as exc:
            errors[name] = exc.message_dict[name] if hasattr(exc, "error_dict") else exc.messages
    if errors:
        raise ValidationError(errors)


def _check_fields(report: Report) -> None:
    errors: dict[str, list[str]] = {}
    try:
        report.full_clean(
            exclude=["municipality", "category", "point", "tracking_code"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors = exc.message_dict
    if report.is_formal_appeal:
        # A formal appeal (Law «Про звернення громадян», art. 5) needs a full name and address.
        if len(report.reporter_name.split()) < 2:
            errors.setdefault("reporter_name", []).append(
                _("A formal appeal needs your full name (surname, first name).")
            )
        if not report.reporter_postal_address:
            errors.setdefault("reporter_postal_address", []).append(
                _("A formal appeal needs your postal address for the answer.")
            )
    if report.show_name and not report.reporter_name:
        errors.setdefault("reporter_name", []).append(_("Give the name you want shown."))
    if errors:
        raise ValidationError(errors)


def _save(report: Report, photos: list[Photo], files: StoredFiles) -> None:
    now = timebase.now()
    report.created_at = now
    report.suggested_department = RoutingRule.route(report.point, report.category)
    for name, value in (
        find_context(report.point, report.municipality, report.category).fields().items()
    ):
        setattr(report, name, value)
    settings = report.municipality
    report.start_clock(
        Clock.MODERATION,
        WorkingCalendar(settings).working_deadline(now, settings.moderation_working_days),
    )
    report.save()
    event = ReportEvent.objects.create(
        report=report,
        action=Action.SUBMIT,
        from_state="",
        to_state=State.NEW,
        by_reporter=True,
        created_at=now,
    )
    if report.reporter_email:
        Follow.objects.create(
            report=report,
            user=report.reporter_user,
            email=report.reporter_email,
            language=report.language,
            is_reporter=True,
        )
    store(photos, report, files)
    notify_event(report, event)
