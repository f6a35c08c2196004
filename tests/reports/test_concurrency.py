"""Two staff act on one report at once, each on their own database connection."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from geoportal.accounts.roles import Role
from geoportal.reports.errors import ConflictError
from geoportal.reports.models import Report, ReportEvent
from tests.cast import give_role, make_user
from tests.reports.conftest import file_report


@pytest.mark.django_db(transaction=True)
def test_two_moderators_approve_at_once_one_wins_one_gets_a_conflict(pokrovsk, zhkg):
    first = give_role(make_user("moderator_one", pokrovsk, is_staff=True), Role.MODERATOR)
    second = give_role(make_user("moderator_two", pokrovsk, is_staff=True), Role.MODERATOR)
    report = file_report()
    both_read = threading.Barrier(2)
    outcomes: dict[str, object] = {}
    backends: set[int] = set()

    def approve(moderator):
        try:
            mine = Report.objects.get(pk=report.pk)  # each reads the same version...
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backends.add(cursor.fetchone()[0])
            both_read.wait(timeout=10)  # ...before either acts
            mine.approve(moderator)
            outcomes[moderator.username] = "approved"
        except ConflictError as exc:
            outcomes[moderator.username] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(backends) == 2  # two real connections to PostgreSQL
    assert sorted(str(type(o).__name__) for o in outcomes.values()) == ["ConflictError", "str"]
    conflict = next(o for o in outcomes.values() if isinstance(o, ConflictError))
    assert conflict.status == 409 and conflict.details["state"] == "routed"
    assert ReportEvent.objects.filter(report=report, action="approve").count() == 1
    report.refresh_from_db()
    assert (report.state, report.version) == ("routed", 1)
