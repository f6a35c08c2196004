"""Demo accounts (data/demo/accounts.json), created only when DEMO is on."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Department, DepartmentMembership, Municipality


class DemoDataError(ValueError):
    """The demo file names something that does not exist."""


def load_demo_accounts(path: Path, log: Callable[[str], object] = print) -> list[str]:
    """Create the demo accounts that are missing and their roles; return the usernames."""
    data = json.loads(path.read_text(encoding="utf-8"))
    municipality = Municipality.objects.filter(slug=data["municipality"]).first()
    if municipality is None:
        raise DemoDataError(
            f"{path}: municipality {data['municipality']!r} is not loaded; "
            "run load_reference first."
        )
    names = []
    with transaction.atomic():
        for entry in data["accounts"]:
            superuser = entry.get("superuser", False)
            user, created = User.objects.get_or_create(
                username=entry["username"],
                defaults={
                    "first_name": entry.get("first_name", ""),
                    "last_name": entry.get("last_name", ""),
                    "email": f"{entry['username']}@demo.example.org",
                    "is_staff": True,
                    "is_superuser": superuser,
                    "municipality": None if superuser else municipality,
                },
            )
            if created:
                # Only on creation, so a password changed by hand survives a re-run.
                user.set_password(data["password"])
                user.save(update_fields=["password"])
                log(f"Created demo account {user.username}")
            for role in entry.get("roles", []):
                user.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])
            for membership in entry.get("departments", []):
                try:
                    department = Department.objects.get(
                        municipality=municipality, code=membership["code"]
                    )
                except Department.DoesNotExist:
                    raise DemoDataError(
                        f"{path}: {user.username}: no department {membership['code']!r}."
                    ) from None
                DepartmentMembership.objects.update_or_create(
                    user=user, department=department, defaults={"role": membership["role"]}
                )
            names.append(user.username)
    return names
