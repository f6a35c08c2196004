"""People using the platform: residents, staff of the council, administrators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.roles import Role


class User(AbstractUser):
    """A person with an account; staff roles come from groups (see roles.py)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        help_text=_("The hromada this staff member works for; empty for residents and admins."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a new password or a deactivation also revokes the user's API tokens (a
        token held by a script or a lost laptop must not outlive either)."""
        # set_password() keeps the new password here until the save (a hash upgraded at
        # sign-in does not: that is the same password).
        password_changed = getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        if password_changed or not self.is_active:
            from geoportal.accounts import tokens

            tokens.revoke(self)

    def has_role(self, role: Role) -> bool:
        if not self.is_active:
            return False
        return self.groups.filter(name=role.value).exists()

    @property
    def is_staff_member(self) -> bool:
        """Staff of the council or an administrator: is_staff, a role or a department."""
        if not self.is_active:
            return False
        return bool(
            self.is_staff
            or self.groups.filter(name__in=Role.values).exists()
            or self.department_memberships.exists()
        )
