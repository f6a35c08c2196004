"""Executive bodies and communal enterprises that answer reports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.roles import Role as StaffRole
from geoportal.core.models import BilingualName


class DepartmentQuerySet(models.QuerySet["Department"]):
    def active(self) -> DepartmentQuerySet:
        return self.filter(is_active=True)

    def responsible_for_layer(self, municipality_id: int, layer: str) -> Department | None:
        """The department that answers for a layer when its passport names none: the one
        the best general routing rule of a category linked to the layer sends reports to
        (DOMAIN.md: illegal kiosks go to the department that keeps the МАФ map)."""
        return (
            self.active()
            .filter(
                municipality_id=municipality_id,
                routing_rules__is_active=True,
                routing_rules__area__isnull=True,
                routing_rules__category__is_active=True,
                routing_rules__category__linked_layer=layer,
            )
            .order_by("-routing_rules__priority", "pk")
            .first()
        )


class Department(BilingualName):
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    code = models.SlugField(
        _("short code"), max_length=32, help_text=_("Short stable code, e.g. zhkg or arch.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Shipped as demo data, not an official list.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="municipalities.DepartmentMembership",
        related_name="departments",
        verbose_name=_("members"),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["municipality", "name_uk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="department_code_unique_per_municipality"
            ),
        ]

    def people(self) -> models.QuerySet[Any]:
        """Its active workers and heads, by name (whom a report may be assigned to)."""
        return (
            self.members.filter(department_memberships__department=self, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )

    def heads(self) -> models.QuerySet[Any]:
        return self.members.filter(
            department_memberships__department=self,
            department_memberships__role=DepartmentMembership.Role.HEAD,
            is_active=True,
        )


class DepartmentMembership(models.Model):
    """A person working in a department as its worker or its head."""

    class Role(models.TextChoices):
        WORKER = "worker", _("Worker")
        HEAD = "head", _("Head")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="department_memberships",
        verbose_name=_("user"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.WORKER)

    class Meta:
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department"], name="membership_unique_user_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.department} ({self.get_role_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save and put the user in the role group that carries the permissions."""
        from django.contrib.auth.models import Group

        with transaction.atomic():
            super().save(*args, **kwargs)
            group, _created = Group.objects.get_or_create(name=self.group_role.value)
            self.user.groups.add(group)

    @property
    def group_role(self) -> StaffRole:
        if self.role == self.Role.HEAD:
            return StaffRole.DEPARTMENT_HEAD
        return StaffRole.DEPARTMENT_WORKER
