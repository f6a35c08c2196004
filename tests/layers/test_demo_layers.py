"""The demo layers of both hromadas load cleanly, once, and only with DEMO on."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings

from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone

MODELS = (LandPlot, ZoningZone, TemporaryStructure, AdvertisingStructure)


@override_settings(DEMO=True)
def test_demo_layers_load_inside_their_hromadas_and_once(pokrovsk, pokrov):
    out = StringIO()
    call_command("load_demo_layers", stdout=out)
    assert out.getvalue().count("created") == 8  # 2 hromadas × 4 layers
    for municipality in (pokrovsk, pokrov):
        for model in MODELS:
            features = model.objects.filter(municipality=municipality)
            assert 6 <= features.count() <= 40, (municipality, model)
            assert not features.filter(is_demo=False).exists()
            assert not features.exclude(geometry__intersects=municipality.boundary).exists()
    counts = [m.objects.count() for m in MODELS]
    again = StringIO()
    call_command("load_demo_layers", stdout=again)
    assert "already loaded" in again.getvalue()
    assert [m.objects.count() for m in MODELS] == counts


@override_settings(DEMO=True)
@time_machine.travel(date(2026, 11, 23), tick=False)  # the date the demo data was generated for
def test_demo_data_covers_every_permit_state_and_investor_offers(pokrovsk):
    call_command("load_demo_layers", stdout=StringIO())
    states = set(
        TemporaryStructure.objects.with_permit_state().values_list("permit_state", flat=True)
    )
    assert states == {"active", "expiring", "expired", "none"}
    assert LandPlot.objects.for_investors().filter(municipality=pokrovsk).count() >= 4


@override_settings(DEMO=False)
def test_no_demo_layers_without_demo(pokrovsk):
    with pytest.raises(CommandError, match="DEMO is off"):
        call_command("load_demo_layers")
    call_command("load_demo_layers", "--if-enabled", stdout=StringIO())
    assert not LandPlot.objects.exists()
