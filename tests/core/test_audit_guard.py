"""The audit trail is append-only in the database itself: report events and layer history
refuse UPDATE and DELETE however they are sent, short of a declared purge."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from geoportal.reports.models import ReportEvent
from layers.models import TemporaryStructure
from tests.layers.conftest import kiosk  # noqa: F401 (fixture)
from tests.reports.conftest import file_report

pytestmark = pytest.mark.django_db

STATEMENTS = [
    "UPDATE reports_reportevent SET text = 'rewritten' WHERE report_id = %s",
    "DELETE FROM reports_reportevent WHERE report_id = %s",
]


@pytest.mark.parametrize("sql", STATEMENTS)
def test_report_events_refuse_sql_changes(pokrovsk, moderator, sql):
    report = file_report()
    report.approve(moderator)
    before = list(ReportEvent.objects.filter(report=report).values_list("pk", "action", "text"))
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [report.pk])
    after = list(ReportEvent.objects.filter(report=report).values_list("pk", "action", "text"))
    assert after == before and len(after) == 2


def test_report_events_refuse_queryset_update_and_delete(pokrovsk, moderator):
    report = file_report()
    events = ReportEvent.objects.filter(report=report)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        events.update(text="rewritten")  # no model method runs here: the database refuses
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        events._raw_delete(events.db)  # what a bulk delete sends
    assert events.count() == 1 and events.get().text == ""


def test_layer_history_refuses_changes(kiosk):  # noqa: F811
    history = TemporaryStructure.history.filter(id=kiosk.pk)
    assert history.count() == 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        history.update(address="elsewhere")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        history._raw_delete(history.db)
    assert history.get().address == "вул. Центральна, 1"


@pytest.mark.django_db(transaction=True)  # real transactions: SET LOCAL ends with its own
def test_a_declared_purge_may_delete(pokrovsk, moderator):
    report = file_report()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL geoportal.allow_audit_purge = 'on'")
        cursor.execute(
            "DELETE FROM reports_notification WHERE event_id IN "
            "(SELECT id FROM reports_reportevent WHERE report_id = %s)",
            [report.pk],
        )
        cursor.execute("DELETE FROM reports_reportevent WHERE report_id = %s", [report.pk])
    assert not ReportEvent.objects.filter(report=report).exists()
    with connection.cursor() as cursor:  # the setting ended with its transaction
        cursor.execute("SELECT current_setting('geoportal.allow_audit_purge', true)")
        assert cursor.fetchone()[0] in ("", None)
