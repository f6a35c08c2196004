"""Problem categories residents choose when they pin a report."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.core.models import BilingualName
from layers.kinds import LayerKind


class CategoryQuerySet(models.QuerySet["Category"]):
    def active(self) -> CategoryQuerySet:
        return self.filter(is_active=True)


class Category(BilingualName):
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    code = models.SlugField(
        _("code"),
        max_length=64,
        help_text=_("Stable code, used as the Open311 service_code."),
    )
    icon = models.CharField(_("icon"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    linked_layer = models.CharField(
        _("linked layer"), max_length=16, choices=LayerKind.choices, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["municipality", "sort_order", "name_uk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="category_code_unique_per_municipality"
            ),
        ]

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("A category cannot be its own parent.")})
            if self.parent and self.parent.municipality_id != self.municipality_id:
                raise ValidationError(
                    {"parent": _("The parent category belongs to another municipality.")}
                )
