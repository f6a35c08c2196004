"""Ready texts a department (or the hromada's moderators) inserts into an answer, a return
reason or a rejection comment, and edits before sending."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ResponseTemplateQuerySet(models.QuerySet["ResponseTemplate"]):
    def offered_for(self, report: Any, purpose: str) -> ResponseTemplateQuerySet:
        """Active templates of this purpose for a report: its department's, then the
        hromada-wide ones (department left empty)."""
        mine = Q(department__isnull=True)
        if report.department_id:
            mine |= Q(department_id=report.department_id)
        return self.filter(
            mine, municipality_id=report.municipality_id, purpose=purpose, is_active=True
        ).order_by(models.F("department").asc(nulls_last=True), "sort_order", "title_uk")


class ResponseTemplate(models.Model):
    class Purpose(models.TextChoices):
        ANSWER = "answer", _("Answer to the resident")
        RETURN = "return", _("Reason for returning to moderation")
        REJECT = "reject", _("Comment on a rejection")
        PERMIT_GRANT = "permit_grant", _("Text of a permit's grant")
        PERMIT_REFUSE = "permit_refuse", _("Text of a permit's refusal")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="response_templates",
        verbose_name=_("municipality"),
    )
    department = models.ForeignKey(
        "municipalities.Department",
        on_delete=models.CASCADE,
        related_name="response_templates",
        null=True,
        blank=True,
        verbose_name=_("department"),
        help_text=_("Leave empty for a template every department and the moderators may use."),
    )
    purpose = models.CharField(_("used for"), max_length=16, choices=Purpose.choices)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    text_uk = models.TextField(_("text (Ukrainian)"), max_length=4000)
    text_en = models.TextField(_("text (English)"), max_length=4000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ResponseTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["municipality", "department", "purpose", "sort_order", "title_uk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "department", "purpose", "title_uk"],
                name="responsetemplate_unique_title",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        department = self.department if self.department_id else None
        if department is not None and department.municipality_id != self.municipality_id:
            raise ValidationError({"department": _("The department belongs to another hromada.")})

    def _in_language(self, uk: str, en: str) -> str:
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return en if language == "en" and en else uk

    @property
    def title(self) -> str:
        return self._in_language(self.title_uk, self.title_en)

    @property
    def text(self) -> str:
        return self._in_language(self.text_uk, self.text_en)

    def as_offer(self) -> dict[str, str]:
        """What the console's template picker gets: the title and text of the page's language."""
        return {"id": str(self.pk), "title": self.title, "text": self.text}
