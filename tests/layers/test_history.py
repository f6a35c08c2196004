"""Every create, update and delete of a layer feature is kept: who, when, before, after."""

from django.contrib.gis.geos import Point
from django.urls import reverse

from layers.models import TemporaryStructure


def test_admin_edit_records_who_and_the_values_before_and_after(client, planner, kiosk):
    client.force_login(planner)
    url = reverse("admin:layers_temporarystructure_change", args=[kiosk.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"address": "вул. Нова, 7", "geometry": kiosk.geometry.geojson, "photo": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    latest, previous = kiosk.history.all()[:2]
    assert latest.history_user == planner
    assert latest.history_type == "~"
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("address", "вул. Центральна, 1", "вул. Нова, 7")
    ]


def test_history_is_viewable_per_feature_and_revertable(client, planner, kiosk):
    original = kiosk.history.earliest()
    kiosk.address = "вул. Помилкова, 13"
    kiosk.geometry = Point(37.18, 48.28, srid=4326)
    kiosk.save()
    client.force_login(planner)
    history_url = reverse("admin:layers_temporarystructure_history", args=[kiosk.pk])
    page = client.get(history_url).content.decode()
    assert "вул. Помилкова, 13" in page or "Помилкова" in page
    # Revert: open the old version and save it again (SimpleHistoryAdmin's revert form).
    revert_url = reverse(
        "admin:layers_temporarystructure_simple_history", args=[kiosk.pk, original.history_id]
    )
    form = client.get(revert_url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"geometry": original.geometry.geojson, "photo": ""})
    response = client.post(revert_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    kiosk.refresh_from_db()
    assert kiosk.address == "вул. Центральна, 1"
    assert kiosk.geometry.equals_exact(original.geometry, 1e-9)
    assert kiosk.history.count() == 3


def test_delete_is_kept_in_history(kiosk):
    pk = kiosk.pk
    kiosk.delete()
    assert not TemporaryStructure.objects.filter(pk=pk).exists()
    deleted = TemporaryStructure.history.filter(id=pk).latest()
    assert deleted.history_type == "-"
    assert deleted.passport_number == "МАФ-2026-001"
