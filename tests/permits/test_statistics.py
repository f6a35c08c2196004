"""Permit statistics on a small known set: applications by kind × state, working days from
registration to decision against the deadline, refusals by ground; per hromada and date
range. Then who may read them (the staff JSON and the coordinator's dashboard).

Every expected figure is counted by hand below from the dates of the set. The deadline is
the defaults' check (10) + decision (10) working days of each kind (data/permits/
defaults.json). March 2026 starts on a Sunday; Pokrovsk has a day off on Monday 9 March;
Ukraine lists no public holidays under martial law.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client

from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Municipality, NonWorkingDay
from geoportal.municipalities.working_days import KYIV
from geoportal.permits.models import Application, PermitSettings
from geoportal.permits.states import Kind, RefusalReason, State
from geoportal.permits.statistics import KindFigures, permit_statistics
from tests.cast import give_role, make_user
from tests.permits.conftest import application_in, footprint


def at(day: int, hour: int = 12, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=KYIV)


SUBMITTED, REGISTERED = at(2, 9), at(2, 12)  # Monday 2 March


def place(state: State, municipality: Municipality, n: int, **fields: Any) -> Application:
    values = {"created_at": SUBMITTED, "registered_at": REGISTERED, "site": footprint(30 * n)}
    return application_in(state, municipality, **{**values, **fields})


@pytest.fixture
def known(pokrovsk: Municipality, pokrov: Municipality) -> dict[str, Application]:
    NonWorkingDay.objects.create(municipality=pokrovsk, date=date(2026, 3, 9), reason="Тест")
    refuse = State.REFUSED
    return {
        # Working days after 2 March up to 13 March: 3–6 (4), 9 is off, 10–13 (4) = 8.
        "maf_granted": place(State.GRANTED, pokrovsk, 1, decided_at=at(13, 15)),
        # … up to Monday 6 April: March 3–6, 10–13, 16–20, 23–27, 30–31 (20), April 1–3
        # (3), 6 (1) = 24 > 20: late.
        "maf_refused": place(refuse, pokrovsk, 2, decided_at=at(6, 10, month=4),
                             refusal_reason=RefusalReason.PLANNING_DOCUMENTS),
        # Decided the day it was registered: 0.
        "maf_active": place(State.ACTIVE, pokrovsk, 3, decided_at=at(2, 16)),
        "maf_review": place(State.UNDER_REVIEW, pokrovsk, 4),
        # A withdrawal is no decision, though it closes the application.
        "maf_withdrawn": place(State.WITHDRAWN, pokrovsk, 5, decided_at=at(5)),
        # Submitted in February: after Friday 20 Feb up to 3 March: 23–27 (5), 2–3 (2) = 7.
        "maf_february": place(State.GRANTED, pokrovsk, 6, created_at=at(20, 9, month=2),
                              registered_at=at(20, month=2), decided_at=at(3)),
        # Refused before registration: a ground, but no processing time.
        "terrace_unregistered": place(refuse, pokrovsk, 7, kind=Kind.TERRACE, registered_at=None,
                                      decided_at=at(3),
                                      refusal_reason=RefusalReason.INCOMPLETE_DOCUMENTS),
        # After 2 March up to Monday 30 March: 4 + 4 + 5 + 5 + 1 = 19: on time.
        "advertising_refused": place(refuse, pokrovsk, 8, kind=Kind.ADVERTISING,
                                     decided_at=at(30),
                                     refusal_reason=RefusalReason.PRIORITY_OF_ANOTHER),
        "advertising_submitted": place(State.SUBMITTED, pokrovsk, 9, kind=Kind.ADVERTISING,
                                       registered_at=None),
        # Another hromada's: never in Pokrovsk's figures.
        "pokrov": place(State.GRANTED, pokrov, 10, decided_at=at(4)),
    }  # fmt: skip


def row(figures: Any, kind: str) -> KindFigures:
    return figures.total if kind == "total" else next(r for r in figures.kinds if r.kind == kind)


def test_all_time_figures_of_the_hromada(known, pokrovsk):
    figures = permit_statistics(pokrovsk)
    maf = row(figures, "maf")
    assert maf.total == 6
    assert {s: n for s, n in maf.by_state.items() if n} == {
        "granted": 2, "refused": 1, "active": 1, "under_review": 1, "withdrawn": 1,
    }  # fmt: skip
    assert (maf.decided, maf.decided_on_time, maf.share_on_time) == (4, 3, 0.75)
    assert maf.deadline_working_days == 20
    # 0, 7, 8, 24 working days.
    assert (maf.median_working_days, maf.mean_working_days, maf.max_working_days) == (7.5, 9.8, 24)
    assert {r: n for r, n in maf.refused_by_reason.items() if n} == {"planning_documents": 1}

    terrace = row(figures, "terrace")
    assert (terrace.total, terrace.decided, terrace.share_on_time) == (1, 0, None)
    assert terrace.median_working_days is None
    assert terrace.refused_by_reason["incomplete_documents"] == 1

    advertising = row(figures, "advertising")
    assert (advertising.total, advertising.by_state["submitted"]) == (2, 1)
    assert (advertising.decided, advertising.share_on_time, advertising.max_working_days) == (
        1, 1.0, 19)  # fmt: skip

    total = row(figures, "total")
    assert (total.total, total.decided, total.decided_on_time, total.share_on_time) == (
        9, 5, 4, 0.8)  # fmt: skip
    # 0, 7, 8, 19, 24.
    assert (total.median_working_days, total.mean_working_days) == (8.0, 11.6)
    assert total.deadline_working_days is None
    assert total.refused_by_reason == {
        "planning_documents": 1, "site_taken": 0, "priority_of_another": 1,
        "incomplete_documents": 1, "approvals_refused": 0, "other": 0,
    }  # fmt: skip


def test_a_date_range_counts_the_applications_submitted_in_it(known, pokrovsk):
    march = permit_statistics(pokrovsk, date(2026, 3, 1), date(2026, 3, 31))
    maf = row(march, "maf")
    assert (maf.total, maf.decided, maf.decided_on_time) == (5, 3, 2)  # February's left out
    assert (maf.share_on_time, maf.median_working_days) == (0.667, 8.0)
    assert row(march, "total").total == 8
    until = permit_statistics(pokrovsk, end=date(2026, 3, 1))
    assert row(until, "total").total == 1 and row(until, "maf").decided == 1
    assert row(permit_statistics(pokrovsk, start=date(2026, 3, 3)), "total").total == 0


def test_a_hromadas_own_deadline_and_days_off_are_used(known, pokrovsk):
    PermitSettings.objects.filter(municipality=pokrovsk, kind=Kind.MAF).update(
        check_working_days=5, issue_working_days=2
    )
    maf = row(permit_statistics(pokrovsk), "maf")
    assert maf.deadline_working_days == 7
    assert maf.decided_on_time == 2  # 0 and 7 within 7 working days; 8 and 24 not
    NonWorkingDay.objects.filter(municipality=pokrovsk).delete()
    assert row(permit_statistics(pokrovsk), "maf").max_working_days == 25  # 9 March counts


def test_the_figures_are_the_kinds_asked_for(known, pokrovsk):
    figures = permit_statistics(pokrovsk, kinds=["maf", "terrace"])
    assert [r.kind for r in figures.kinds] == ["maf", "terrace"]
    assert figures.total.total == 7


# --- who reads them ---------------------------------------------------------------------

URL = "/api/v1/permits/statistics/"


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_coordinator_and_the_permit_department_read_their_hromadas(
    known, coordinator, worker_arch
):
    for user in (coordinator, worker_arch):
        answer = client_of(user).get(URL, HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert body["municipality"] == "pokrovsk" and body["total"]["total"] == 9
        maf = next(r for r in body["kinds"] if r["kind"] == "maf")
        assert maf["name"] == "Temporary structure (МАФ) placement passport"
        assert (maf["decided"], maf["share_on_time"], maf["median_working_days"]) == (4, 0.75, 7.5)
    march = client_of(coordinator).get(URL, {"start": "2026-03-01", "end": "2026-03-31"}).json()
    assert (march["start"], march["end"]) == ("2026-03-01", "2026-03-31")
    assert march["total"]["total"] == 8


def test_the_permit_department_sees_the_kinds_it_reviews(known, pokrovsk, worker_arch, zhkg):
    """Advertising given to another department: arch's worker no longer counts it."""
    PermitSettings.objects.filter(municipality=pokrovsk, kind=Kind.ADVERTISING).update(
        department=zhkg
    )
    body = client_of(worker_arch).get(URL).json()
    assert [r["kind"] for r in body["kinds"]] == ["maf", "terrace"]
    assert body["total"]["total"] == 7


def test_everyone_else_is_refused(known, pokrovsk, worker_zhkg, moderator, resident, admin_user):
    for user in (worker_zhkg, moderator, resident, admin_user):
        assert client_of(user).get(URL).status_code == 403, user
    assert Client().get(URL).status_code == 403


def test_another_hromadas_staff_see_only_their_own(known, coordinator, pokrov):
    assert client_of(coordinator).get(URL, {"municipality": "pokrov"}).status_code == 403
    theirs = give_role(make_user("coordinator_pokrov", pokrov, is_staff=True), Role.COORDINATOR)
    own = client_of(theirs).get(URL)
    assert own.status_code == 200
    assert (own.json()["municipality"], own.json()["total"]["total"]) == ("pokrov", 1)
    assert client_of(theirs).get(URL, {"municipality": "pokrovsk"}).status_code == 403
    assert client_of(coordinator).get(URL, {"municipality": "nowhere"}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [{"start": "2026-04-01", "end": "2026-03-01"}, {"start": "yesterday"},
     {"end": "0001-01-01"}, {"municipality": "no such"}],
    ids=str,
)  # fmt: skip
def test_a_bad_parameter_is_named(known, coordinator, query):
    answer = client_of(coordinator).get(URL, query)
    assert answer.status_code == 400
    assert set(answer.json()) & set(query)


def test_the_dashboard_shows_the_e_permits_section(known, coordinator):
    page = client_of(coordinator).get("/en/staff/dashboard/").content.decode()
    assert "E-permits" in page and "Applications submitted at any time." in page
    assert "Permit applications by kind" in page and "Refusals by ground" in page
    assert "Contrary to the planning documents" in page
    assert "<td>3 (75%)</td><td>20</td><td>7.5</td><td>9.8</td><td>24</td>" in page
    ranged = (
        client_of(coordinator)
        .get("/en/staff/dashboard/?permits_start=2026-03-01&permits_end=2026-03-31")
        .content.decode()
    )
    assert "Applications submitted 01.03.2026 – 31.03.2026." in ranged
    wrong = (
        client_of(coordinator)
        .get("/en/staff/dashboard/?permits_start=2026-04-01&permits_end=2026-03-01")
        .content.decode()
    )
    assert "The end is before the start." in wrong and "at any time" in wrong
