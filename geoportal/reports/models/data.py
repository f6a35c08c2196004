"""The fields of a report (PROCEDURE.md); lifecycle.py adds the actions, report.py the table."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models.functions import Cast, Cos, Ln, Pi, Radians, Tan
from django.utils.translation import gettext_lazy as _

from geoportal.procedure.clock import Clocked
from geoportal.reports import timebase
from geoportal.reports.states import RejectionGround, State


class Clock(models.TextChoices):
    """Which deadline of PROCEDURE.md is running now."""

    NONE = "", _("None")
    MODERATION = "moderation", _("Moderation")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    REROUTING = "rerouting", _("Re-routing")
    ANSWER = "answer", _("Answer")
    DISPUTE = "dispute", _("Review of a dispute")


class LocationSource(models.TextChoices):
    MAP = "map", _("Placed on the map or typed")
    PHOTO = "photo", _("Taken from a photo's GPS")


MAP_WORLD = 2**28  # Web Mercator pixels around the world at zoom 20 (256 × 2^20)


class ST_X(models.Func):  # noqa: N801 (PostGIS's name)
    function = "ST_X"
    output_field = models.FloatField()


class ST_Y(models.Func):  # noqa: N801
    function = "ST_Y"
    output_field = models.FloatField()


def new_tracking_code() -> str:
    return secrets.token_urlsafe(18)


class ReportData(Clocked):
    """The fields of a report; the life cycle and the model build on it."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("municipality"),
    )
    point = models.PointField(_("location"), srid=4326, spatial_index=False)
    # The point's Web Mercator pixel at zoom 20 (2^28 pixels around the world), kept by
    # PostgreSQL: the map counts reports per cell with integer shifts, no transformation.
    map_x = models.GeneratedField(
        expression=Cast((ST_X("point") + 180.0) / 360.0 * MAP_WORLD, models.IntegerField()),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    map_y = models.GeneratedField(
        expression=Cast(
            (1.0 - Ln(Tan(Radians(ST_Y("point"))) + 1.0 / Cos(Radians(ST_Y("point")))) / Pi())
            / 2.0
            * MAP_WORLD,
            models.IntegerField(),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    location_source = models.CharField(
        _("location from"), max_length=8, choices=LocationSource.choices, default="map"
    )
    category = models.ForeignKey(
        "municipalities.Category",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # The language the reporter wrote in: their notifications use it.
    language = models.CharField(_("language"), max_length=8, default="uk")

    # Personal data: never public (PROCEDURE.md, "Personal data").
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reporter's account"),
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=32, blank=True)
    reporter_postal_address = models.CharField(
        _("reporter's postal address"), max_length=300, blank=True
    )
    show_name = models.BooleanField(_("show my name"), default=False)
    is_formal_appeal = models.BooleanField(_("formal appeal"), default=False)

    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.NEW)
    department = models.ForeignKey(
        "municipalities.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("department"),
    )
    suggested_department = models.ForeignKey(
        "municipalities.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested department"),
    )
    # The person in the department who works on it (the head assigns; a worker takes it).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("assigned to"),
    )
    rejection_ground = models.CharField(
        _("rejection ground"), max_length=32, choices=RejectionGround.choices, blank=True
    )
    competent_body = models.CharField(_("competent body"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("original report"),
    )
    needs_study = models.BooleanField(_("needs study"), default=False)
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    public_answer = models.TextField(_("answer"), blank=True)

    # The running clock and its due time; the reminder and escalation are sent once per clock.
    clock = models.CharField(_("running clock"), max_length=16, choices=Clock.choices, blank=True)
    # (due_at, remind_at, reminded_at, escalated_at, overdue_since, was_overdue: Clocked)

    # Milestones, kept for the statistics of PROCEDURE.md.
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    first_routed_at = models.DateTimeField(_("first routed"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    times_routed = models.PositiveSmallIntegerField(_("times routed"), default=0)
    times_returned = models.PositiveSmallIntegerField(_("times returned"), default=0)
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    ceiling_at = models.DateTimeField(_("extension ceiling"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    dispute_until = models.DateTimeField(_("dispute possible until"), null=True, blank=True)
    disputed_at = models.DateTimeField(_("disputed"), null=True, blank=True)
    dispute_answered_at = models.DateTimeField(_("dispute answered"), null=True, blank=True)

    # What stands at the point, found at intake (shown to staff).
    context_plot = models.ForeignKey(
        "layers.LandPlot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    context_zone = models.ForeignKey(
        "layers.ZoningZone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    context_maf = models.ForeignKey(
        "layers.TemporaryStructure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    context_advertising = models.ForeignKey(
        "layers.AdvertisingStructure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The same as found at intake, kept even if a feature later changes or goes.
    context = models.JSONField(_("spatial context at intake"), default=dict, blank=True)
    structure_without_valid_permit = models.BooleanField(
        _("structure without a valid permit"), default=False
    )

    tracking_code = models.CharField(
        _("tracking code"), max_length=32, unique=True, default=new_tracking_code, editable=False
    )
    # A retried submission with the same key and content returns the first report. Keys
    # are per client: the owner is a digest of the client that sent the key (its device,
    # account, session or address, or its Open311 API key; geoportal/core/clients.py).
    idempotency_key = models.CharField(max_length=128, null=True, blank=True, editable=False)
    idempotency_owner = models.CharField(max_length=32, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    # Bumped by every action: a second action based on an older read gets a conflict.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("submitted"), default=timebase.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
