"""The demo reports of `make run`: every state, real events and photos, loaded once."""

from __future__ import annotations

from django.core.management import call_command

from geoportal.reports.models import Report, ReportPhoto
from geoportal.reports.states import State


def test_demo_reports_cover_every_state_and_load_once(pokrovsk, settings, capsys):
    settings.DEMO = True
    call_command("load_demo")
    call_command("load_demo_reports")
    assert {r.state for r in Report.objects.all()} == set(State)
    assert Report.objects.count() == 34
    resolved = Report.objects.filter(state=State.RESOLVED).earliest("pk")
    events = list(resolved.events.all())
    assert [e.action for e in events][:2] == ["submit", "approve"]
    assert events[0].created_at < events[-1].created_at  # a history in the past, in order
    assert ReportPhoto.objects.exists()
    assert Report.objects.filter(disputed_at__isnull=False).exists()
    assert Report.objects.filter(was_overdue=True).exists()  # some are late, as in life
    call_command("load_demo_reports")
    assert Report.objects.count() == 34
    assert "0 filed" in capsys.readouterr().out


def test_demo_reports_are_not_loaded_without_demo(pokrovsk, settings, capsys):
    settings.DEMO = False
    call_command("load_demo_reports", "--if-enabled")
    assert not Report.objects.exists()
    assert "DEMO is off" in capsys.readouterr().out
