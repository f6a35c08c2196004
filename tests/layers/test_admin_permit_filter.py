"""The admin's lists of МАФ and advertising structures filtered by permit state show each
row's state as a label (the filter annotates the rows with the state's code)."""

from __future__ import annotations

import pytest
from django.test import Client

from geoportal.accounts.models import User
from layers.models import AdvertisingStructure, TemporaryStructure


@pytest.mark.parametrize("model", ["temporarystructure", "advertisingstructure"])
@pytest.mark.parametrize("state", ["", "active", "expiring", "expired", "none"])
def test_permit_state_filter_lists_rows_with_their_state_label(
    admin_user: User,
    kiosk: TemporaryStructure,
    billboard: AdvertisingStructure,
    model: str,
    state: str,
):
    client = Client()
    client.force_login(admin_user)
    query = f"?permit_state={state}" if state else ""
    answer = client.get(f"/en/admin/layers/{model}/{query}")
    assert answer.status_code == 200, answer.content[:500]
    assert b"permit state" in answer.content.lower()
