"""The fields of a permit application; lifecycle.py adds the actions, application.py the
table and its rules in the database."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.permits.states import ApplicantKind, Kind, PrecheckLevel, RefusalReason, State
from geoportal.procedure import timebase
from geoportal.procedure.clock import Clocked


class PermitClock(models.TextChoices):
    """Which deadline of the procedure is running now."""

    NONE = "", _("None")
    REGISTRATION = "registration", _("Registration")
    CHECK = "check", _("Check")
    ISSUE = "issue", _("Decision")


def new_tracking_code() -> str:
    return secrets.token_urlsafe(18)


class ApplicationData(Clocked):
    """The fields of an application; the life cycle and the model build on it."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="permit_applications",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind of permit"), max_length=16, choices=Kind.choices)
    # The registration number in the hromada ("ЗД-2026-0007"), given at submission.
    number = models.CharField(_("registration number"), max_length=32)
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.SUBMITTED
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    tracking_code = models.CharField(
        _("tracking code"), max_length=32, unique=True, default=new_tracking_code, editable=False
    )

    # The applicant. Personal data (name, e-mail, phone of a natural person): never public.
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit_applications",
        verbose_name=_("applicant's account"),
    )
    applicant_kind = models.CharField(
        _("applicant is"), max_length=16, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=200)
    applicant_email = models.EmailField(_("applicant's e-mail"))
    applicant_phone = models.CharField(_("applicant's phone"), max_length=32, blank=True)
    # A business's name and ЄДРПОУ: public as the permit's holder.
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    edrpou = models.CharField(_("ЄДРПОУ code"), max_length=8, blank=True)

    # The site and the structure.
    site = models.GeometryField(_("site"), srid=4326, spatial_index=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    structure_type = models.CharField(_("type of structure"), max_length=16)
    area_m2 = models.DecimalField(
        _("area, m²"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    width_m = models.DecimalField(
        _("width, m"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    height_m = models.DecimalField(
        _("height, m"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    specialisation = models.CharField(_("trade specialisation"), max_length=16, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    requested_from = models.DateField(_("requested from"), null=True, blank=True)
    requested_to = models.DateField(_("requested until"), null=True, blank=True)
    season_from = models.DateField(_("season from"), null=True, blank=True)
    season_to = models.DateField(_("season until"), null=True, blank=True)

    # The automatic pre-check at submission (geoportal.permits.precheck): its findings.
    precheck = models.JSONField(_("pre-check findings"), default=list, blank=True)
    precheck_level = models.CharField(
        _("pre-check"), max_length=16, choices=PrecheckLevel.choices, blank=True
    )
    # Advertising: the site is held for this applicant until then (set at registration).
    priority_until = models.DateField(_("priority until"), null=True, blank=True)

    # The running clock; (due_at, remind_at, reminded_at, escalated_at, overdue_since,
    # was_overdue: Clocked).
    clock = models.CharField(
        _("running clock"), max_length=16, choices=PermitClock.choices, blank=True
    )

    # Milestones and the decision.
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    refusal_reason = models.CharField(
        _("refusal reason"), max_length=32, choices=RefusalReason.choices, blank=True
    )
    # The passport's / permit's number in the hromada ("МАФ-2026-0003"), given at grant.
    permit_number = models.CharField(_("permit number"), max_length=32, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    installed_at = models.DateTimeField(_("installation reported"), null=True, blank=True)
    annulled_at = models.DateTimeField(_("annulled"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removal recorded"), null=True, blank=True)
    expiry_noticed_at = models.DateTimeField(_("expiry notice sent"), null=True, blank=True)

    # The layer's feature the decision wrote.
    maf = models.ForeignKey(
        "layers.TemporaryStructure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit_applications",
        verbose_name=_("temporary structure (МАФ)"),
    )
    advertising = models.ForeignKey(
        "layers.AdvertisingStructure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit_applications",
        verbose_name=_("advertising structure"),
    )

    # The language the applicant wrote in: their notifications use it.
    language = models.CharField(_("language"), max_length=8, default="uk")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("submitted"), default=timebase.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def holder_name(self) -> str:
        """Who holds the permit, as the public sees it: the organisation, or an
        entrepreneur's name as their business; a natural person's name never."""
        if self.applicant_kind != ApplicantKind.BUSINESS:
            return ""
        return self.organisation_name or self.applicant_name

    @property
    def structure_type_label(self) -> str:
        """The type of structure in the reader's language (the layer's own choices)."""
        from layers.models import AdvertisingStructure, TemporaryStructure

        advertising = self.kind == Kind.ADVERTISING
        labels = dict((AdvertisingStructure if advertising else TemporaryStructure).Kind.choices)
        return str(labels.get(self.structure_type, self.structure_type))

    @property
    def specialisation_label(self) -> str:
        """The trade specialisation in the reader's language (the МАФ layer's purposes)."""
        from layers.models import TemporaryStructure

        labels = dict(TemporaryStructure.Purpose.choices)
        return str(labels.get(self.specialisation, self.specialisation))

    @property
    def holder_code(self) -> str:
        return self.edrpou if self.applicant_kind == ApplicantKind.BUSINESS else ""
