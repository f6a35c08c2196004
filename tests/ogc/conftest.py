from __future__ import annotations

import pytest

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Municipality
from tests.cast import give_role, make_user
from tests.layers.conftest import kiosk  # noqa: F401 (a fixture)


@pytest.fixture
def pokrov_planner(pokrov: Municipality) -> User:
    """A planning editor of the other hromada (Pokrov)."""
    return give_role(make_user("planner_pokrov", pokrov, is_staff=True), Role.PLANNING_EDITOR)
