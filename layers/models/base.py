"""What every layer feature shares: its hromada, demo flag, timestamps and permit dates."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PermitState(models.TextChoices):
    """Derived from a permit's dates (never stored): drives map styles and filters."""

    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    NONE = "none", _("No permit")


class StructureStatus(models.TextChoices):
    """Status of a МАФ or an advertising structure as recorded by the department."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    DISMANTLED = "dismantled", _("Dismantled")
    UNAUTHORISED = "unauthorised", _("Unauthorised")


class LayerFeature(models.Model):
    """Abstract base of the four layers' features."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    # The columns of an imported file that no field takes (a plot's address, a surveyor's
    # note...), kept as the file gave them rather than lost: {column: value}.
    attributes = models.JSONField(
        _("other attributes from the file"),
        default=dict,
        db_default={},  # rows written by SQL (COPY, the synthetic city) get one too
        blank=True,
        encoder=DjangoJSONEncoder,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    geometry_types: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def rule_errors(self) -> dict[str, str]:
        """Rules across fields, checked in Python (no query), keyed by the field to blame.

        The database enforces the same rules as named constraints; this gives the message
        before a write, for forms and for every row of an import.
        """
        return {}

    def clean(self) -> None:
        """Cross-field rules, then geometry: right type, valid, inside the hromada."""
        from layers.geometry import buffered_area, check_geometry

        super().clean()
        if errors := self.rule_errors():
            raise ValidationError(errors)
        geometry = getattr(self, "geometry", None)
        if self.municipality_id is None:
            return
        area = buffered_area(
            self.municipality.boundary, self.municipality.layer_boundary_tolerance_m
        )
        try:
            check_geometry(geometry, self.geometry_types, area)
        except ValidationError as exc:
            raise ValidationError({"geometry": exc.messages}) from exc


class PermittedQuerySet(models.QuerySet):
    def with_permit_state(self, today: date | None = None) -> PermittedQuerySet:
        """Annotate `permit_state` computed in SQL, so it can be filtered and styled on."""
        today = today or timezone.localdate()
        # date + integer is a date in PostgreSQL: the last day that counts as "expiring".
        expiring_until = ExpressionWrapper(
            Value(today) + F("municipality__permit_expiring_days"),
            output_field=models.DateField(),
        )
        return self.annotate(
            permit_state=Case(
                When(permit_valid_to__isnull=True, then=Value(PermitState.NONE.value)),
                When(permit_valid_to__lt=today, then=Value(PermitState.EXPIRED.value)),
                When(permit_valid_to__lte=expiring_until, then=Value(PermitState.EXPIRING.value)),
                default=Value(PermitState.ACTIVE.value),
                output_field=models.CharField(),
            )
        )

    def in_permit_state(self, state: str, today: date | None = None) -> PermittedQuerySet:
        return self.with_permit_state(today).filter(permit_state=state)


class Permitted(LayerFeature):
    """A feature standing on a permit (or passport) that is valid between two dates."""

    permit_valid_from = models.DateField(_("valid from"), null=True, blank=True)
    permit_valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(class)s_valid_to_after_valid_from",
                condition=Q(permit_valid_to__isnull=True)
                | Q(permit_valid_from__isnull=True)
                | Q(permit_valid_to__gte=F("permit_valid_from")),
                violation_error_message=_("The end of validity must not precede its start."),
            ),
        ]

    def rule_errors(self) -> dict[str, str]:
        errors = super().rule_errors()
        start, end = self.permit_valid_from, self.permit_valid_to
        if start is not None and end is not None and end < start:
            errors["permit_valid_to"] = str(_("The end of validity must not precede its start."))
        return errors

    def permit_state(self, today: date | None = None) -> PermitState:
        """The permit's state on `today` (default: today in Kyiv)."""
        if self.permit_valid_to is None:
            return PermitState.NONE
        today = today or timezone.localdate()
        if self.permit_valid_to < today:
            return PermitState.EXPIRED
        if self.permit_valid_to <= today + timedelta(days=self.municipality.permit_expiring_days):
            return PermitState.EXPIRING
        return PermitState.ACTIVE
