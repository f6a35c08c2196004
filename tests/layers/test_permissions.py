"""Planning editors edit the layers; other staff only read them."""

import pytest
from django.urls import reverse

CHANGE = "admin:layers_temporarystructure_change"
ADD = "admin:layers_landplot_add"


def test_planner_may_edit_layers(client, planner, kiosk):
    client.force_login(planner)
    assert client.get(reverse(ADD)).status_code == 200
    page = client.get(reverse(CHANGE, args=[kiosk.pk])).content.decode()
    assert 'name="_save"' in page


@pytest.mark.parametrize("who", ["moderator", "worker_zhkg", "head_zhkg", "coordinator"])
def test_other_staff_read_but_cannot_edit(client, request, who, kiosk):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(reverse(ADD)).status_code == 403
    page = client.get(reverse(CHANGE, args=[kiosk.pk]))
    assert page.status_code == 200  # view permission
    assert 'name="_save"' not in page.content.decode()
    response = client.post(reverse(CHANGE, args=[kiosk.pk]), {"address": "змінено"})
    assert response.status_code == 403
    kiosk.refresh_from_db()
    assert kiosk.address == "вул. Центральна, 1"


def test_residents_do_not_get_into_the_admin(client, resident, kiosk):
    client.force_login(resident)
    response = client.get(reverse(CHANGE, args=[kiosk.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
