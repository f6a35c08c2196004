"""A permit application: a МАФ placement passport, a summer terrace or an advertising permit."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geoportal.permits.lifecycle import ApplicationLifecycle
from geoportal.permits.states import IN_FORCE, ApplicantKind, State


class Application(ApplicationLifecycle):
    class Meta:
        verbose_name = _("permit application")
        verbose_name_plural = _("permit applications")
        ordering = ["-created_at"]
        indexes = [
            # Serves the map's layer of applications under review and the site checks.
            GistIndex(fields=["site"], name="permit_application_site_gist"),
            # Serves the officers' queue and the public register by hromada and state.
            models.Index(fields=["municipality", "kind", "state", "due_at"], name="permit_queue"),
            # Serves the clocks' sweeps.
            models.Index(
                fields=["due_at"],
                condition=~Q(clock="") & Q(escalated_at__isnull=True),
                name="permit_clock_unescalated",
            ),
            models.Index(
                fields=["remind_at"],
                condition=~Q(clock="") & Q(reminded_at__isnull=True),
                name="permit_clock_unreminded",
            ),
            # Serves the expiry sweep of permits in force.
            models.Index(
                fields=["valid_to"], condition=Q(state__in=IN_FORCE), name="permit_in_force"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="permit_application_number_unique"
            ),
            models.UniqueConstraint(
                fields=["municipality", "permit_number"],
                condition=~Q(permit_number=""),
                name="permit_number_unique",
            ),
            models.CheckConstraint(
                name="permit_business_has_organisation",
                condition=~Q(applicant_kind=ApplicantKind.BUSINESS)
                | ~Q(organisation_name="")
                | ~Q(applicant_name=""),
            ),
            models.CheckConstraint(
                name="permit_edrpou_8_digits",
                condition=Q(edrpou="") | Q(edrpou__regex=r"^[0-9]{8}$"),
                violation_error_message=_("An ЄДРПОУ code has 8 digits."),
            ),
            models.CheckConstraint(
                name="permit_refused_has_reason",
                condition=~Q(state=State.REFUSED) | ~Q(refusal_reason=""),
            ),
            models.CheckConstraint(
                name="permit_granted_has_number_and_term",
                condition=~Q(state__in=[*IN_FORCE, State.EXPIRED, State.ANNULLED])
                | (~Q(permit_number="") & Q(valid_from__isnull=False) & Q(valid_to__isnull=False)),
            ),
            models.CheckConstraint(
                name="permit_valid_to_after_from",
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                violation_error_message=_("The end of validity must not precede its start."),
            ),
            models.CheckConstraint(
                name="permit_clock_has_due_time", condition=Q(clock="") | Q(due_at__isnull=False)
            ),
            models.CheckConstraint(
                name="permit_area_positive", condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"
