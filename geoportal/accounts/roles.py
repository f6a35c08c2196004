"""Staff roles of PROCEDURE.md, kept as Django groups with their permissions.

A role's permissions are written down once here; `sync_role_groups` runs after
every `migrate` and makes each group hold exactly these permissions.
Department workers and heads additionally belong to a department through
DepartmentMembership, which scopes what they may act on.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    DEPARTMENT_WORKER = "department_worker", _("Department worker")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COORDINATOR = "coordinator", _("Coordinator")
    PLANNING_EDITOR = "planning_editor", _("Planning editor")


_VIEW_REFERENCE = [
    "municipalities.view_municipality",
    "municipalities.view_department",
    "municipalities.view_category",
    "municipalities.view_routingrule",
]
_LAYER_MODELS = ["temporarystructure", "advertisingstructure", "landplot", "zoningzone"]
# Every staff role reads the layers; only planning editors change them.
_VIEW_LAYERS = [f"layers.view_{m}" for m in [*_LAYER_MODELS, "layerpassport"]]
_EDIT_LAYERS = [
    *(f"layers.{action}_{m}" for m in _LAYER_MODELS for action in ("add", "change", "delete")),
    "layers.change_layerpassport",
]

# Reports are read in the admin within each person's scope; every action is a model method.
_VIEW_REPORTS = ["reports.view_report"]
# Response templates: the coordinator the hromada's, a head their departments' (admin.py).
_KEEP_TEMPLATES = [
    f"municipalities.{action}_responsetemplate" for action in ("view", "add", "change", "delete")
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.MODERATOR: [*_VIEW_REFERENCE, *_VIEW_LAYERS, *_VIEW_REPORTS],
    Role.DEPARTMENT_WORKER: [*_VIEW_REFERENCE, *_VIEW_LAYERS, *_VIEW_REPORTS],
    Role.DEPARTMENT_HEAD: [*_VIEW_REFERENCE, *_VIEW_LAYERS, *_VIEW_REPORTS, *_KEEP_TEMPLATES],
    Role.COORDINATOR: [
        *_VIEW_REFERENCE,
        *_VIEW_LAYERS,
        *_VIEW_REPORTS,
        "reports.view_notification",
        "municipalities.add_department",
        "municipalities.change_department",
        "municipalities.add_departmentmembership",
        "municipalities.change_departmentmembership",
        "municipalities.delete_departmentmembership",
        "municipalities.view_departmentmembership",
        "municipalities.add_category",
        "municipalities.change_category",
        "municipalities.add_routingrule",
        "municipalities.change_routingrule",
        "municipalities.delete_routingrule",
        "layers.view_importrun",
        *_KEEP_TEMPLATES,
    ],
    Role.PLANNING_EDITOR: [
        "municipalities.view_municipality",
        *_VIEW_LAYERS,
        *_EDIT_LAYERS,
        "layers.view_importrun",
    ],
}


def sync_role_groups(sender: Any = None, **kwargs: Any) -> None:
    """Create the role groups and give each exactly the permissions listed above.

    migrate (and a test's flush) sends post_migrate once per app; the groups are synced
    once, after the last app's permissions exist."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not None and with_models and sender is not with_models[-1]:
        return
    using = kwargs.get("using", "default")
    codes = {code for listed in ROLE_PERMISSIONS.values() for code in listed}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(codename__in={code.split(".", 1)[1] for code in codes})
        .values_list("pk", "content_type__app_label", "codename")
    }
    # Through the link table of `using` itself: the router sends other writes to the
    # primary, and migrate also runs on the test suite's replica database.
    links = Group.permissions.through.objects.using(using)
    for role, listed in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        # A permission of an app not migrated yet is missing: the next migrate adds it.
        wanted = {found[code] for code in listed if code in found}
        links.filter(group=group).exclude(permission_id__in=wanted).delete()
        links.bulk_create(
            [links.model(group=group, permission_id=pk) for pk in wanted], ignore_conflicts=True
        )
