"""Building blocks shared by the civic apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A name kept in Ukrainian and English; `name` gives the one of the active language."""

    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        if language == "en" and self.name_en:
            return self.name_en
        return self.name_uk


class RateCounter(models.Model):
    """Requests of one client (address or account) in one window of one rate limit,
    counted by PostgreSQL so that every web process and replica shares the count."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # seconds since the epoch // the limit's period
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="ratecounter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} × {self.hits}"
