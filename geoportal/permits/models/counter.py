"""Numbers per hromada: the applications' registration numbers ("ЗД-2026-0007") and the
passports' and permits' numbers per kind ("МАФ-2026-0003"), each series restarting every
year. The counter's row is locked while a number is taken, so two at once never share one."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from geoportal.permits.states import PERMIT_PREFIX, REGISTRATION_PREFIX, Kind


class Series(models.TextChoices):
    REGISTRATION = "registration", _("Registration numbers")
    MAF = Kind.MAF.value, _("МАФ passports")
    TERRACE = Kind.TERRACE.value, _("Terrace passports")
    ADVERTISING = Kind.ADVERTISING.value, _("Advertising permits")


PREFIX: dict[str, str] = {Series.REGISTRATION: REGISTRATION_PREFIX, **PERMIT_PREFIX}


class PermitCounter(models.Model):
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("series"), max_length=16, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("permit number counter")
        verbose_name_plural = _("permit number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "year"], name="permit_counter_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{PREFIX[self.kind]}-{self.year}: {self.last}"

    @classmethod
    def next_number(cls, municipality: Any, kind: str, year: int) -> str:
        """The next number of the series, e.g. "МАФ-2026-0003" (in the caller's transaction,
        or its own)."""
        with transaction.atomic():
            cls.objects.get_or_create(municipality=municipality, kind=kind, year=year)
            counter = cls.objects.select_for_update().get(
                municipality=municipality, kind=kind, year=year
            )
            counter.last += 1
            counter.save(update_fields=["last"])
        return f"{PREFIX[kind]}-{year}-{counter.last:04d}"
