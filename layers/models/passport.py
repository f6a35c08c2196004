"""The open-data passport of a layer in a hromada, with its update regulation."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from geoportal.core.models import BilingualName
from layers.kinds import LayerKind


class UpdateFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


FREQUENCY_DAYS = {
    UpdateFrequency.DAILY: 1,
    UpdateFrequency.WEEKLY: 7,
    UpdateFrequency.MONTHLY: 31,
    UpdateFrequency.QUARTERLY: 92,
    UpdateFrequency.YEARLY: 366,
}

# Pokrovsk order of 12.01.2021 (DOMAIN.md, "Update regulations"); the zoning plan is
# revised rarely, so yearly is our default for it.
DEFAULT_FREQUENCY = {
    LayerKind.TEMPORARY_STRUCTURES: UpdateFrequency.MONTHLY,
    LayerKind.ADVERTISING: UpdateFrequency.QUARTERLY,
    LayerKind.LAND_PLOTS: UpdateFrequency.MONTHLY,
    LayerKind.ZONING: UpdateFrequency.YEARLY,
}

DEFAULT_LICENCE = "CC BY 4.0"

# Sent by LayerPassport.touch (every edit and import) with municipality_id and layer: the
# open-data downloads of that layer are rebuilt (geoportal.opendata.signals).
layer_updated = Signal()


class LayerPassportQuerySet(models.QuerySet["LayerPassport"]):
    def stale(self) -> LayerPassportQuerySet:
        """Passports whose layer was not updated within its frequency (or never)."""
        now = timezone.now()
        stale_ids = [p.pk for p in self if p.is_update_overdue(now)]
        return self.filter(pk__in=stale_ids)


class LayerPassport(BilingualName):
    """Title (name_uk/name_en), description, responsible department, regulation, licence."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="layer_passports",
        verbose_name=_("municipality"),
    )
    layer = models.CharField(_("layer"), max_length=16, choices=LayerKind.choices)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    department = models.ForeignKey(
        "municipalities.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="layer_passports",
        verbose_name=_("responsible department"),
    )
    update_frequency = models.CharField(
        _("update at least"), max_length=16, choices=UpdateFrequency.choices
    )
    last_updated_at = models.DateTimeField(_("last update"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=100, default=DEFAULT_LICENCE)

    objects = LayerPassportQuerySet.as_manager()

    class Meta:
        verbose_name = _("layer passport")
        verbose_name_plural = _("layer passports")
        ordering = ["municipality", "layer"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "layer"], name="layerpassport_unique_per_municipality"
            ),
        ]

    def is_update_overdue(self, now: datetime | None = None) -> bool:
        """True when the layer is older than its update frequency allows (or never updated)."""
        if self.last_updated_at is None:
            return True
        allowed = timedelta(days=FREQUENCY_DAYS[UpdateFrequency(self.update_frequency)])
        return (now or timezone.now()) - self.last_updated_at > allowed

    @classmethod
    def touch(cls, municipality_id: int, layer: str) -> None:
        """Record that the layer of this hromada was just updated (an edit or an import)."""
        updated = cls.objects.filter(municipality_id=municipality_id, layer=layer).update(
            last_updated_at=timezone.now()
        )
        if not updated:
            cls.for_layer(municipality_id, layer, last_updated_at=timezone.now())
        layer_updated.send(sender=cls, municipality_id=municipality_id, layer=layer)

    @classmethod
    def for_layer(cls, municipality_id: int, layer: str, **defaults: object) -> LayerPassport:
        """The passport of the layer, created with the DOMAIN.md defaults when missing: its
        regulation, and the department responsible for the layer unless one is given."""
        from geoportal.municipalities.models import Department

        kind = LayerKind(layer)
        existing = cls.objects.filter(municipality_id=municipality_id, layer=kind.value).first()
        if existing is not None:
            return existing
        if defaults.get("department") is None:
            defaults["department"] = Department.objects.responsible_for_layer(
                municipality_id, kind.value
            )
        with translation.override("uk"):
            name_uk = str(kind.label)
        with translation.override("en"):
            name_en = str(kind.label)
        passport, _created = cls.objects.get_or_create(
            municipality_id=municipality_id,
            layer=kind.value,
            defaults={
                "name_uk": name_uk,
                "name_en": name_en,
                "update_frequency": DEFAULT_FREQUENCY[kind],
                **defaults,
            },
        )
        return passport
