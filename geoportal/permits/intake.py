"""An application as it comes in: the documents checked by their real type, the pre-check
run, the registration number given, the registration clock started and the applicant and
the department told, in one transaction.

Documents: PDF, JPEG or PNG only, decided by the file's first bytes (whatever its name
says; a name claiming another of these types is refused as a likely mistake). Images are
checked and re-encoded like report photos (geoportal.reports.photos: size and pixel
limits, EXIF and its GPS position dropped). A PDF is at most PERMIT_PDF_MAX_BYTES, must be
a whole PDF and may carry no scripts or launch actions; it is never shown inline (the
serving view sends it as an attachment)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from geoportal.core.text import check_text
from geoportal.municipalities.working_days import KYIV
from geoportal.permits import precheck
from geoportal.permits.states import Action, ApplicantKind, Kind, State
from geoportal.procedure import timebase
from geoportal.reports.photos import check_and_reencode
from layers.models import AdvertisingStructure, TemporaryStructure

if TYPE_CHECKING:
    from geoportal.permits.models import Application

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Names in a PDF that run something when it is opened: refused.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg", "jpe", "jfif"},
    "image/png": {"png"},
}
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
EDRPOU = re.compile(r"^[0-9]{8}$")
PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")


@dataclass(frozen=True)
class CheckedDocument:
    """A checked document, still in memory: what will be stored."""

    name: str
    data: bytes
    content_type: str


def _refuse(field: str, name: str, reason: str) -> ValidationError:
    return ValidationError({field: f"{name}: {reason}"})


def real_type(head: bytes) -> str | None:
    if head.startswith(PDF_MAGIC):
        return "application/pdf"
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if head.startswith(PNG_MAGIC):
        return "image/png"
    return None


def check_document(
    upload: IO[bytes], name: str, field: str = "documents", *, images_only: bool = False
) -> CheckedDocument:
    """Check one upload; a ValidationError names the file and the reason."""
    name = (name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    head = upload.read(8)
    found = real_type(head)
    if found is None or (images_only and found == "application/pdf"):
        allowed = _("a JPEG or PNG photo") if images_only else _("a PDF, JPEG or PNG file")
        raise _refuse(field, name, _("send %(allowed)s.") % {"allowed": allowed})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = next((kind for kind, ext in EXTENSIONS.items() if extension in ext), None)
    if claimed is not None and claimed != found:
        raise _refuse(
            field,
            name,
            _("the file is named as %(claimed)s but is really %(found)s; rename it or send "
              "the right file.")
            % {"claimed": TYPE_NAMES[claimed], "found": TYPE_NAMES[found]},
        )  # fmt: skip
    if found == "application/pdf":
        return _check_pdf(head, upload, name, field)
    rest = upload.read()
    from io import BytesIO

    photo = check_and_reencode(BytesIO(head + rest), name, field)
    return CheckedDocument(name=name, data=photo.data, content_type="image/jpeg")


def _check_pdf(head: bytes, upload: IO[bytes], name: str, field: str) -> CheckedDocument:
    limit = settings.PERMIT_PDF_MAX_BYTES
    data = head + upload.read(limit + 1 - len(head))
    if len(data) > limit:
        raise _refuse(
            field,
            name,
            _("the PDF is larger than %(size).1f MB.") % {"size": limit / 1024 / 1024},
        )
    if b"%%EOF" not in data[-2048:]:
        raise _refuse(field, name, _("the PDF is incomplete or damaged."))
    if PDF_ACTIVE.search(data):
        raise _refuse(field, name, _("the PDF contains scripts or embedded files; print it "
                                     "to a plain PDF and send that."))  # fmt: skip
    return CheckedDocument(name=name, data=data, content_type="application/pdf")


def check_documents(
    documents: Sequence[tuple[str, IO[bytes]]], field: str = "documents"
) -> list[tuple[str, CheckedDocument]]:
    """Check every (kind, upload) before anything is stored: all are accepted, or none."""
    from geoportal.permits.models import DocumentKind

    if len(documents) > settings.PERMIT_DOCUMENTS_MAX:
        raise ValidationError(
            {
                field: _("At most %(limit)s documents; %(sent)s were sent.")
                % {"limit": settings.PERMIT_DOCUMENTS_MAX, "sent": len(documents)}
            }
        )
    checked = []
    for index, (kind, upload) in enumerate(documents):
        if kind not in DocumentKind.values:
            raise ValidationError(
                {field: _("Unknown kind of document: %(kind)s.") % {"kind": kind}}
            )
        name = getattr(upload, "name", "") or f"{index + 1}"
        checked.append((kind, check_document(upload, name, field)))
    return checked


class StoredDocuments:
    """Files written to storage by one save, removed again if the save fails."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def write(self, document: CheckedDocument) -> str:
        extension = sorted(EXTENSIONS[document.content_type])[0]
        if document.content_type == "image/jpeg":
            extension = "jpg"
        path = f"permits/documents/{uuid.uuid4().hex}.{extension}"
        name = default_storage.save(path, ContentFile(document.data))
        self.names.append(name)
        return name

    def remove(self) -> None:
        for name in self.names:
            default_storage.delete(name)
        self.names.clear()


def store_documents(
    application: Any,
    documents: Iterable[tuple[str, CheckedDocument]],
    files: StoredDocuments,
    now: datetime,
) -> list[Any]:
    """Write the documents and their rows (inside the caller's transaction)."""
    from geoportal.permits.models import ApplicationDocument

    return [
        ApplicationDocument.objects.create(
            application=application,
            kind=kind,
            file=files.write(document),
            content_type=document.content_type,
            size=len(document.data),
            original_name=document.name,
            created_at=now,
        )
        for kind, document in documents
    ]


# -- the pre-check ----------------------------------------------------------------------


def run_precheck(application: Application) -> tuple[list[dict[str, Any]], str]:
    """The pre-check's findings for the application, as stored JSON, and their level."""
    result = precheck.run_precheck(
        application.kind,
        application.site,
        application.municipality,
        area_m2=application.area_m2,
        structure_type=application.structure_type,
        settings=application.permit_settings,
        exclude=application.pk,
    )
    findings = [{**f.as_json(), "details": plain(f.details)} for f in result.findings]
    return findings, str(result.level)


def plain(value: Any) -> Any:
    """JSON-able details (numbers, texts, lists, dicts); anything else as its text."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# -- the application ----------------------------------------------------------------------


def _text(field: str, value: str, max_length: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    check_text(field, value, multiline=field == "description")
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(limit)s characters.") % {"limit": max_length}})
    return value


def check_site(kind: str, site: Any) -> GEOSGeometry:
    """The site as a geometry in EPSG:4326: a point, or a footprint polygon (not for
    advertising); a ValidationError on `site` names what is wrong (the pre-check API too)."""
    if site is None:
        raise ValidationError({"site": _("Draw the site on the map.")})
    geometry = site if isinstance(site, GEOSGeometry) else GEOSGeometry(str(site), srid=4326)
    if geometry.srid is None:
        geometry.srid = 4326
    elif geometry.srid != 4326:
        geometry = geometry.transform(4326, clone=True)
    allowed = ("Point",) if kind == Kind.ADVERTISING else ("Point", "Polygon")
    if geometry.geom_type not in allowed:
        raise ValidationError(
            {
                "site": _("The site of an advertising structure is a point.")
                if kind == Kind.ADVERTISING
                else _("Mark the site as a point or draw its outline.")
            }
        )
    if geometry.empty or not geometry.valid:
        raise ValidationError({"site": _("The drawn site is not a valid shape: draw it again.")})
    return geometry


def _structure_type(kind: str, structure_type: str) -> str:
    if kind == Kind.TERRACE:
        return TemporaryStructure.Kind.TERRACE
    choices = (
        AdvertisingStructure.Kind.values
        if kind == Kind.ADVERTISING
        else TemporaryStructure.Kind.values
    )
    if structure_type not in choices or (
        kind == Kind.MAF and structure_type == TemporaryStructure.Kind.TERRACE
    ):
        raise ValidationError(
            {"structure_type": _("Choose one of: %(types)s.") % {"types": ", ".join(choices)}}
        )
    return structure_type


def _dates(start: date | None, end: date | None, start_field: str, end_field: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: _("The end must not precede the start.")})


def submit_application(
    *,
    municipality: Any,
    kind: str,
    applicant_kind: str,
    applicant_name: str,
    applicant_email: str,
    site: Any,
    documents: Sequence[tuple[str, IO[bytes]]] = (),
    applicant_user: Any = None,
    applicant_phone: str = "",
    organisation_name: str = "",
    edrpou: str = "",
    address: str = "",
    structure_type: str = "",
    area_m2: Decimal | float | str | None = None,
    width_m: Decimal | float | str | None = None,
    height_m: Decimal | float | str | None = None,
    specialisation: str = "",
    description: str = "",
    requested_from: date | None = None,
    requested_to: date | None = None,
    season_from: date | None = None,
    season_to: date | None = None,
    language: str = "uk",
    is_demo: bool = False,
) -> Application:
    """Create an application from validated data and its (not yet checked) documents.

    A ValidationError names the field and the reason; nothing is stored then."""
    from geoportal.permits.models import Application, PermitClock, PermitCounter
    from geoportal.permits.models.event import ApplicationEvent
    from geoportal.permits.notify import notify_submitted

    if kind not in Kind.values:
        raise ValidationError(
            {"kind": _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(Kind.values)}}
        )
    if applicant_kind not in ApplicantKind.values:
        raise ValidationError({"applicant_kind": _("Choose a person or a business.")})
    applicant_name = _text("applicant_name", applicant_name, 200, required=True)
    applicant_email = (applicant_email or "").strip()
    try:
        validate_email(applicant_email)
    except ValidationError:
        raise ValidationError({"applicant_email": _("Enter a valid e-mail address.")}) from None
    applicant_phone = _text("applicant_phone", applicant_phone, 32)
    if applicant_phone and not PHONE.match(applicant_phone):
        raise ValidationError({"applicant_phone": _("Enter a phone number of digits.")})
    organisation_name = _text(
        "organisation_name", organisation_name, 300, required=applicant_kind == "business"
    )
    edrpou = (edrpou or "").strip()
    if edrpou and not EDRPOU.match(edrpou):
        raise ValidationError({"edrpou": _("An ЄДРПОУ code has 8 digits.")})
    if applicant_kind == ApplicantKind.PERSON:
        organisation_name, edrpou = "", ""
    geometry = check_site(kind, site)
    structure_type = _structure_type(kind, structure_type)
    if specialisation and specialisation not in TemporaryStructure.Purpose.values:
        raise ValidationError({"specialisation": _("Choose a trade specialisation.")})
    if kind == Kind.ADVERTISING:
        specialisation = ""
    area, width, height = (
        _decimal("area_m2", area_m2),
        _decimal("width_m", width_m),
        _decimal("height_m", height_m),
    )
    if kind == Kind.ADVERTISING and (width is None or height is None):
        field = "width_m" if width is None else "height_m"
        raise ValidationError({field: _("This field is required.")})
    if kind != Kind.ADVERTISING and area is None:
        raise ValidationError({"area_m2": _("This field is required.")})
    _dates(requested_from, requested_to, "requested_from", "requested_to")
    if kind == Kind.TERRACE:
        if season_from is None or season_to is None:
            field = "season_from" if season_from is None else "season_to"
            raise ValidationError({field: _("Give the season's first and last day.")})
        _dates(season_from, season_to, "season_from", "season_to")
    else:
        season_from = season_to = None
    address = _text("address", address, 300)
    description = _text("description", description, 5000)
    if not documents:
        raise ValidationError({"documents": _("Attach the site scheme or a photo of the site.")})
    checked = check_documents(documents)
    files = StoredDocuments()
    try:
        with transaction.atomic():
            now = timebase.now()
            application = Application(
                municipality=municipality,
                kind=kind,
                applicant_user=applicant_user if getattr(applicant_user, "pk", None) else None,
                applicant_kind=applicant_kind,
                applicant_name=applicant_name,
                applicant_email=applicant_email,
                applicant_phone=applicant_phone,
                organisation_name=organisation_name,
                edrpou=edrpou,
                site=geometry,
                address=address,
                structure_type=structure_type,
                area_m2=area,
                width_m=width,
                height_m=height,
                specialisation=specialisation,
                description=description,
                requested_from=requested_from,
                requested_to=requested_to,
                season_from=season_from,
                season_to=season_to,
                language=language if language in ("uk", "en") else "uk",
                is_demo=is_demo,
                created_at=now,
                state=State.SUBMITTED,
            )
            application.precheck, application.precheck_level = run_precheck(application)
            application.number = PermitCounter.next_number(
                municipality, "registration", now.astimezone(KYIV).year
            )
            application.start_working_clock(
                PermitClock.REGISTRATION,
                now,
                application.permit_settings.registration_working_days,
            )
            application.save()
            store_documents(application, checked, files, now)
            event = ApplicationEvent.objects.create(
                application=application,
                action=Action.SUBMIT,
                from_state="",
                to_state=State.SUBMITTED,
                actor=application.applicant_user,
                by_applicant=True,
                created_at=now,
            )
            notify_submitted(application, event)
    except BaseException:
        files.remove()
        raise
    return application


def _decimal(field: str, value: Decimal | float | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or number <= 0 or number >= Decimal("100000"):
        raise ValidationError({field: _("Enter a positive number.")})
    return number.quantize(Decimal("0.01"))
