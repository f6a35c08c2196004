"""generate_city: synthetic layers and reports that keep every rule of the real ones."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from geoportal.reports.models import Report, ReportEvent
from geoportal.reports.states import State
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone


def scalar(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])


def test_a_small_city_with_every_state_and_valid_non_overlapping_plots(pokrovsk, capsys):
    call_command(
        "generate_city", "--municipality", "pokrovsk", "--plots", "400", "--maf", "50",
        "--advertising", "40", "--zones", "6", "--reports", "3000", "--seed", "7",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "plots: 400/400" in out and "reports: 3,000/3,000" in out
    assert (LandPlot.objects.count(), TemporaryStructure.objects.count()) == (400, 50)
    assert AdvertisingStructure.objects.count() == 40 and ZoningZone.objects.count() >= 1
    # Plots: valid, inside the hromada, and no two overlapping.
    assert scalar("SELECT count(*) FROM layers_landplot WHERE NOT ST_IsValid(geometry)") == 0
    assert (
        scalar(
            "SELECT count(*) FROM layers_landplot a JOIN layers_landplot b "
            "ON a.id < b.id AND a.geometry && b.geometry AND ST_Intersects(a.geometry, b.geometry)"
        )
        == 0
    )
    assert (
        scalar(
            "SELECT count(*) FROM layers_landplot p JOIN municipalities_municipality m "
            "ON m.id = p.municipality_id WHERE NOT ST_CoveredBy(p.geometry, m.boundary)"
        )
        == 0
    )
    reports = Report.objects.filter(municipality=pokrovsk)
    assert reports.count() == 3000
    assert set(reports.values_list("state", flat=True)) == set(State)
    # Each report's events follow its path; its version counts them.
    assert ReportEvent.objects.filter(action="submit").count() == 3000
    assert (
        ReportEvent.objects.filter(action="resolve").count()
        == reports.filter(state=State.RESOLVED).count()
    )
    assert (
        scalar(
            "SELECT count(*) FROM reports_report r WHERE version + 1 <> "
            "(SELECT count(*) FROM reports_reportevent e WHERE e.report_id = r.id)"
        )
        == 0
    )
    # Milestones in the procedure's order; open reports have a running clock.
    assert not reports.filter(moderated_at__lt=F("created_at")).exists()
    assert not reports.filter(state=State.IN_PROGRESS, due_at__isnull=True).exists()
    assert reports.filter(state=State.DUPLICATE, duplicate_of__isnull=True).count() == 0


def test_a_second_run_adds_more_and_bad_arguments_are_refused(pokrovsk):
    for _run in range(2):
        call_command(
            "generate_city", "--municipality", "pokrovsk", "--reports", "50", "--seed", "3"
        )
    assert Report.objects.count() == 100
    with pytest.raises(CommandError, match="atlantis"):
        call_command("generate_city", "--municipality", "atlantis")
    with pytest.raises(CommandError, match="--plots must not be negative"):
        call_command("generate_city", "--municipality", "pokrovsk", "--plots", "-1")
