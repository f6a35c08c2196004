"""Layer passports: the update regulation of DOMAIN.md and the overdue flag."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from layers.models import LayerPassport, UpdateFrequency


def test_an_edit_touches_the_passport_with_domain_defaults(kiosk, billboard):
    maf = LayerPassport.objects.get(municipality=kiosk.municipality, layer="maf")
    assert maf.update_frequency == UpdateFrequency.MONTHLY
    assert (maf.name_uk, maf.name_en) == ("Тимчасові споруди (МАФ)", "Temporary structures (МАФ)")
    advertising = LayerPassport.objects.get(layer="advertising")
    assert advertising.update_frequency == UpdateFrequency.QUARTERLY
    assert advertising.licence == "CC BY 4.0"
    assert not maf.is_update_overdue()


def test_layer_older_than_its_frequency_is_overdue(kiosk):
    passport = LayerPassport.objects.get(layer="maf")
    assert not passport.is_update_overdue(timezone.now() + timedelta(days=30))
    assert passport.is_update_overdue(timezone.now() + timedelta(days=32))
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        # The other layers of Pokrovsk were never updated: stale as well.
        stale = LayerPassport.objects.filter(municipality=kiosk.municipality).stale()
        assert sorted(stale.values_list("layer", flat=True)) == [
            "advertising", "land", "maf", "zoning",
        ]  # fmt: skip
        kiosk.address = "вул. Оновлена, 2"
        kiosk.save()
        assert not LayerPassport.objects.stale().filter(layer="maf").exists()


def test_admin_warns_about_an_overdue_layer(client, planner, kiosk):
    LayerPassport.objects.filter(layer="maf").update(
        last_updated_at=timezone.now() - timedelta(days=90)
    )
    client.force_login(planner)
    response = client.get(reverse("admin:layers_temporarystructure_changelist"), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("Покровськ" in m and "щомісяця" in m.lower() for m in messages), messages


def test_api_lists_passports_with_the_overdue_flag_and_links(client, kiosk, trade_plot):
    LayerPassport.objects.filter(layer="land").update(
        last_updated_at=timezone.now() - timedelta(days=45)
    )
    rows = client.get(reverse("api:layer-list"), {"municipality": "pokrovsk"}).json()
    by_layer = {row["layer"]: row for row in rows}
    # load_reference keeps a passport for each of the four layers.
    assert set(by_layer) == {"advertising", "land", "maf", "zoning"}
    assert by_layer["land"]["update_overdue"] is True  # monthly regulation
    assert by_layer["maf"]["update_overdue"] is False
    assert by_layer["maf"]["links"]["gpkg"] == (
        "/api/v1/layers/maf/export.gpkg?municipality=pokrovsk"
    )
    assert client.get(by_layer["maf"]["links"]["features"]).json()["count"] == 1
