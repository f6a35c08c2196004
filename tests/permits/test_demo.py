"""The demo permit applications of `make run`: every state, walked through the real actions
in the past, their features in the layers, loaded once."""

from __future__ import annotations

from django.core.management import call_command

from geoportal.permits.models import Application
from geoportal.permits.states import State
from layers.models import StructureStatus, TemporaryStructure


def test_demo_permits_cover_every_state_and_load_once(pokrovsk, settings, capsys):
    settings.DEMO = True
    call_command("load_demo")
    call_command("load_demo_permits")
    assert {a.state for a in Application.objects.all()} == set(State)
    removed = Application.objects.get(state=State.REMOVED)
    events = list(removed.events.all())
    assert [e.action for e in events][:3] == ["submit", "register", "check"]
    assert events[0].created_at < events[-1].created_at
    assert removed.maf is not None and removed.maf.status == StructureStatus.DISMANTLED
    assert TemporaryStructure.objects.filter(status="active", is_demo=True).exists()
    board = Application.objects.get(state=State.EXPIRED).advertising
    assert board is not None and board.status == "expired"
    count = Application.objects.count()
    call_command("load_demo_permits")
    assert Application.objects.count() == count
    assert "0 filed" in capsys.readouterr().out


def test_demo_permits_are_not_loaded_without_demo(pokrovsk, settings, capsys):
    settings.DEMO = False
    call_command("load_demo_permits", "--if-enabled")
    assert not Application.objects.exists()
    assert "DEMO is off" in capsys.readouterr().out
