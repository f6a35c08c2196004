"""Which department a report goes to (DOMAIN.md, "Problem categories and default routing")."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from geoportal.municipalities.models.category import Category
from geoportal.municipalities.models.department import Department
from layers.geometry import reprojected


class RoutingRuleQuerySet(models.QuerySet["RoutingRule"]):
    def matching(self, point: GEOSGeometry, category: Category) -> RoutingRuleQuerySet:
        """Active rules of the category with an active department that apply at the point,
        best first: highest priority, then a rule with an area before a general one."""
        if point.srid not in (None, 4326):
            point = reprojected(point, 4326)
        return (
            self.filter(category=category, is_active=True, department__is_active=True)
            .filter(Q(area__isnull=True) | Q(area__covers=point))
            .annotate(
                general=Case(
                    When(area__isnull=True, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("-priority", "general", "pk")
        )


class RoutingRule(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("category")
    )
    area = models.MultiPolygonField(
        _("area"),
        srid=4326,
        null=True,
        blank=True,
        spatial_index=False,
        help_text=_("Optional: the rule applies only to points inside this area."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("department"),
    )
    priority = models.IntegerField(
        _("priority"), default=0, help_text=_("The matching rule with the highest priority wins.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category", "-priority"]
        indexes = [
            # Serves RoutingRuleQuerySet.matching(): the rules of one category at routing time.
            models.Index(fields=["category", "is_active"], name="routingrule_category_active"),
            # Serves the area__covers filter of matching() for area-limited rules.
            GistIndex(fields=["area"], name="routingrule_area_gist"),
        ]

    def __str__(self) -> str:
        where = _("in an area") if self.area else _("everywhere")
        return f"{self.category} → {self.department} ({where}, {self.priority})"

    def clean(self) -> None:
        if (
            self.category_id
            and self.department_id
            and self.category.municipality_id != self.department.municipality_id
        ):
            raise ValidationError(
                {
                    "department": _(
                        "The department belongs to another municipality than the category."
                    )
                }
            )

    @classmethod
    def route(cls, point: GEOSGeometry, category: Category) -> Department | None:
        """The department a report of this category at this point goes to, or None
        when no rule applies (the moderator decides)."""
        rule = cls.objects.matching(point, category).select_related("department").first()
        return rule.department if rule else None
