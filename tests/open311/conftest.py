from __future__ import annotations

import pytest

from geoportal.open311.models import ApiKey
from tests.layers.conftest import kiosk  # noqa: F401 (a fixture)
from tests.reports.conftest import english, media  # noqa: F401 (autouse fixtures)


@pytest.fixture
def api_key(db) -> str:
    key = ApiKey(name="Міський застосунок «311»")
    value = key.issue()
    key.save()
    return value
