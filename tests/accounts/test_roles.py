"""Roles as groups with permissions, and the demo accounts."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import override_settings

from geoportal.accounts.models import User
from geoportal.accounts.roles import ROLE_PERMISSIONS, Role

DEMO_ACCOUNTS = [
    "moderator",
    "worker_zhkg",
    "head_zhkg",
    "worker_arch",
    "planner",
    "coordinator",
    "admin",
]


def test_every_role_is_a_group_holding_exactly_its_permissions(db):
    for role, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(codes), role


def test_coordinator_edits_routing_and_moderator_only_views(coordinator, moderator):
    assert coordinator.has_perm("municipalities.change_routingrule")
    assert coordinator.has_role(Role.COORDINATOR)
    assert moderator.has_perm("municipalities.view_routingrule")
    assert not moderator.has_perm("municipalities.change_routingrule")


def test_department_membership_grants_the_worker_or_head_role(worker_zhkg, head_zhkg, zhkg):
    assert worker_zhkg.has_role(Role.DEPARTMENT_WORKER)
    assert not worker_zhkg.has_role(Role.DEPARTMENT_HEAD)
    assert head_zhkg.has_role(Role.DEPARTMENT_HEAD)
    assert list(zhkg.heads()) == [head_zhkg]


def test_inactive_user_has_no_role(moderator):
    moderator.is_active = False
    assert not moderator.has_role(Role.MODERATOR)


@override_settings(DEMO=False)
def test_demo_accounts_are_refused_when_demo_is_off(pokrovsk):
    with pytest.raises(CommandError, match="DEMO is off"):
        call_command("load_demo")
    assert not User.objects.filter(username__in=DEMO_ACCOUNTS).exists()


@override_settings(DEMO=True)
def test_demo_accounts_log_in_with_the_readme_password(client, pokrovsk):
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)  # idempotent
    assert User.objects.filter(username__in=DEMO_ACCOUNTS).count() == 7
    for username in DEMO_ACCOUNTS:
        assert client.login(request=HttpRequest(), username=username, password="demo-pass-2026"), (
            username
        )
    assert User.objects.get(username="head_zhkg").has_role(Role.DEPARTMENT_HEAD)
    assert User.objects.get(username="planner").has_role(Role.PLANNING_EDITOR)
    assert User.objects.get(username="admin").is_superuser


@override_settings(DEMO=False)
def test_make_asks_for_demo_accounts_only_if_enabled(pokrovsk):
    from io import StringIO

    out = StringIO()
    call_command("load_demo", "--if-enabled", stdout=out)
    assert "DEMO is off" in out.getvalue()
    assert not User.objects.filter(username__in=DEMO_ACCOUNTS).exists()
