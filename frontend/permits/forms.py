"""The application form of each kind: what the applicant types, checked field by field
so that every problem is named at once, next to its field. The intake
(geoportal.permits.intake.submit_application) checks everything again when it stores the
application, the documents by their content; its refusals land on the same fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from geoportal.municipalities.models import Municipality
from geoportal.permits.intake import EDRPOU, PHONE
from geoportal.permits.models import DocumentKind
from geoportal.permits.sites import site_from_corners
from geoportal.permits.states import ApplicantKind, Kind
from layers.models import AdvertisingStructure, TemporaryStructure

# The documents asked for, by kind of permit, in the order the form shows them.
DOCUMENTS: dict[str, tuple[str, ...]] = {
    Kind.MAF: (DocumentKind.SITE_SCHEME, DocumentKind.FACADE_SKETCH, DocumentKind.SITE_PHOTO,
               DocumentKind.OTHER),
    Kind.TERRACE: (DocumentKind.SITE_SCHEME, DocumentKind.FACADE_SKETCH,
                   DocumentKind.SITE_PHOTO, DocumentKind.OTHER),
    Kind.ADVERTISING: (DocumentKind.SITE_PHOTO, DocumentKind.MOCKUP, DocumentKind.SITE_SCHEME,
                       DocumentKind.OTHER),
}  # fmt: skip
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); a list, maybe empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        return [single(upload, initial) for upload in uploads if upload]


def document_field(kind: str) -> str:
    return f"doc_{kind}"


def _decimal(label: Any, digits: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=digits, decimal_places=2, min_value=0.01, required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )  # fmt: skip


class ApplicationForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Hromada"),
        queryset=Municipality.objects.none(),
        to_field_name="slug",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a hromada from the list.")},
    )
    applicant_kind = forms.ChoiceField(
        label=_("You apply as"), choices=ApplicantKind.choices, widget=forms.RadioSelect
    )
    organisation_name = forms.CharField(
        label=_("Name of the business (company or entrepreneur)"), max_length=300, required=False
    )
    edrpou = forms.CharField(
        label=_("ЄДРПОУ code (8 digits)"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_name = forms.CharField(
        label=_("Full name of the contact person"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    applicant_email = forms.EmailField(
        label=_("E-mail for the answers"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    applicant_phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    site = forms.CharField(
        label=_("The site: latitude, longitude — one line for a point, or the corners of the "
                "footprint one a line"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
    )  # fmt: skip
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    structure_type = forms.ChoiceField(label=_("Type of structure"), choices=())
    area_m2 = _decimal(_("Area, m²"), 8)
    width_m = _decimal(_("Width, m"), 6)
    height_m = _decimal(_("Height, m"), 6)
    specialisation = forms.ChoiceField(
        label=_("Trade specialisation"),
        choices=[("", "—"), *TemporaryStructure.Purpose.choices],
        required=False,
    )
    requested_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    requested_to = forms.DateField(label=_("Until (optional)"), required=False, widget=DATE)
    season_from = forms.DateField(label=_("The season's first day"), required=False, widget=DATE)
    season_to = forms.DateField(label=_("The season's last day"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Anything the department should know (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Never an input: the place where the documents as a whole are refused (none sent, too
    # many, a file of the wrong type) is named, as the intake names it.
    documents = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        hromadas = Municipality.objects.active().order_by("name_uk")
        self.fields["municipality"].queryset = hromadas  # type: ignore[attr-defined]
        types: dict[str, Any] = {
            Kind.MAF: [c for c in TemporaryStructure.Kind.choices
                       if c[0] != TemporaryStructure.Kind.TERRACE],
            Kind.ADVERTISING: AdvertisingStructure.Kind.choices,
        }  # fmt: skip
        if kind == Kind.TERRACE:
            del self.fields["structure_type"]
        else:
            self.fields["structure_type"].choices = [("", "—"), *types[kind]]  # type: ignore[attr-defined]
        unused = (
            ("area_m2", "specialisation", "season_from", "season_to")
            if kind == Kind.ADVERTISING
            else ("width_m", "height_m", "season_from", "season_to")
            if kind == Kind.MAF
            else ("width_m", "height_m", "requested_from", "requested_to")
        )
        for name in unused:
            del self.fields[name]
        for document in DOCUMENTS[kind]:
            self.fields[document_field(document)] = MultipleFileField(
                label=DocumentKind(document).label, required=False
            )

    @property
    def document_fields(self) -> list[forms.BoundField]:
        return [self[document_field(document)] for document in DOCUMENTS[self.kind]]

    def _require(self, data: dict[str, Any], *names: str) -> None:
        for name in names:
            if name in self.fields and data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, ValidationError(self.fields[name].error_messages["required"]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("applicant_kind") == ApplicantKind.BUSINESS:
            self._require(data, "organisation_name", "edrpou")
            if data.get("edrpou") and not EDRPOU.match(data["edrpou"]):
                self.add_error("edrpou", _("An ЄДРПОУ code has 8 digits."))
        else:
            data["organisation_name"] = data["edrpou"] = ""
        if data.get("applicant_phone") and not PHONE.match(data["applicant_phone"]):
            self.add_error("applicant_phone", _("Enter a phone number of digits."))
        if self.kind == Kind.ADVERTISING:
            self._require(data, "structure_type", "width_m", "height_m", "requested_from")
        elif self.kind == Kind.MAF:
            self._require(data, "structure_type", "area_m2", "specialisation", "requested_from")
        else:
            self._require(data, "area_m2", "specialisation", "season_from", "season_to")
        for start, end in (("requested_from", "requested_to"), ("season_from", "season_to")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("The end must not precede the start."))
        if "site" in data:
            try:
                data["site"] = site_from_corners(self.kind, data["site"])
            except ValidationError as exc:
                self.add_error("site", exc.message_dict["site"])
        self._clean_documents(data)
        return data

    def _clean_documents(self, data: dict[str, Any]) -> None:
        sent = [(document, upload) for document in DOCUMENTS[self.kind]
                for upload in data.get(document_field(document)) or ()]  # fmt: skip
        if not sent and not any(f.name in self.errors for f in self.document_fields):
            self.add_error("documents", _("Attach the site scheme or a photo of the site."))
        elif len(sent) > settings.PERMIT_DOCUMENTS_MAX:
            limit = settings.PERMIT_DOCUMENTS_MAX
            self.add_error("documents", _("At most %(limit)s documents; %(sent)s were sent.")
                           % {"limit": limit, "sent": len(sent)})  # fmt: skip
        data["documents"] = sent

    def submission(self) -> dict[str, Any]:
        """The cleaned data as submit_application takes it."""
        data = dict(self.cleaned_data)
        for document in DOCUMENTS[self.kind]:
            data.pop(document_field(document), None)
        data["kind"] = self.kind
        return data

    def refuse(self, exc: ValidationError) -> None:
        """The intake's refusal, on the field it names (the form's own names)."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, messages in errors.items():
            self.add_error(field if field in self.fields else None, messages)
