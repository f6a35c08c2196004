"""A department's workers see another department's reports only as the public does: never
its staff view, internal notes or the reporter's contact (PROCEDURE.md, "Roles").

The permission matrix searches every answer for the markers of tests/security/world.py;
these tests show the markers are there for those who work on the report, so that search
finds what it looks for, and check the other department's ways in one by one.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from geoportal.reports.models import Report, ReportEvent
from tests.security.permission_matrix import PRIVATE_PARTS
from tests.security.world import (  # noqa: F401  (fixtures)
    PLOT_USERS,
    World,
    contact,
    markers,
    undone,
    world,
)

# Marked so that pytest-django sets up the test database even when this module runs
# alone; each test is then a savepoint inside the module's world (tests/security/world.py).
pytestmark = pytest.mark.django_db

# The staff views of a report, and the markers each shows (the admin's report page lists
# no events: staff roles do not read events in the admin).
STAFF_VIEWS = {
    "/api/v1/reports/{routed_a}/": markers("alpha"),
    "/staff/reports/{routed_a}/": markers("alpha"),
    "/admin/reports/report/{routed_a}/change/": tuple(contact("alpha").values()),
}


def body(world: World, role: str, path: str) -> bytes:  # noqa: F811
    response = world.client(role).get(world.fill(path))
    assert response.status_code == 200, (role, path, response.status_code)
    return bytes(response.content)


@pytest.mark.parametrize("path", STAFF_VIEWS)
@pytest.mark.parametrize("role", ["worker_a", "head_a", "moderator", "coordinator"])
def test_those_who_work_on_a_report_see_its_contact_and_notes(
    world: World,  # noqa: F811
    undone: None,  # noqa: F811
    role: str,
    path: str,
):
    page = body(world, role, path)
    assert [m for m in STAFF_VIEWS[path] if m.encode() not in page] == []


def test_another_departments_worker_gets_exactly_the_public_report(
    world: World,  # noqa: F811
    undone: None,  # noqa: F811
):
    path = world.fill("/api/v1/reports/{progress_a}/")
    seen: Any = world.client("worker_b").get(path).json()
    assert seen == world.client("anonymous").get(path).json()
    for private in ("events", "reporter_name", "reporter_email", "reporter_phone", "context"):
        assert private not in seen


def test_another_departments_worker_is_refused_its_staff_pages_queue_and_admin(
    world: World,  # noqa: F811
    undone: None,  # noqa: F811
):
    worker_b = world.client("worker_b")
    for path in ("/staff/reports/{routed_a}/", "/staff/reports/{progress_a}/",
                 "/staff/department/?department=zhkg",
                 "/api/v1/reports/queue/department/?department=zhkg"):  # fmt: skip
        response = worker_b.get(world.fill(path))
        assert response.status_code == 403, path
        assert not [m for m in markers("alpha") if m.encode() in response.content], path
    change = worker_b.get(world.fill("/admin/reports/report/{routed_a}/change/"))
    assert (change.status_code, change["Location"]) == (302, "/admin/")


def test_another_departments_reports_are_not_in_the_workers_lists(
    world: World,  # noqa: F811
    undone: None,  # noqa: F811
):
    worker_b = world.client("worker_b")
    queue = worker_b.get("/api/v1/reports/queue/department/").json()["results"]
    assert world.values["routed_b"] in [row["id"] for row in queue]
    assert {row["department"] for row in queue} == {"arch"}
    listed = worker_b.get("/admin/reports/report/").content.decode()
    of_a = Report.objects.filter(department__code="zhkg")
    assert of_a.exists()
    assert [r.title for r in of_a if r.title in listed] == []
    assert Report.objects.get(pk=world.values["routed_b"]).title in listed


@pytest.mark.parametrize("action", ["comment", "accept", "return"])
def test_another_departments_worker_cannot_write_on_the_report(
    world: World,  # noqa: F811
    undone: None,  # noqa: F811
    action: str,
):
    report = world.values["routed_a"]
    before = ReportEvent.objects.filter(report_id=report).count()
    response = world.client("worker_b").post(
        f"/api/v1/reports/{report}/{action}/",
        {"text": "Чужа нотатка", "reason": "Не наше", "needs_study": False},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert ReportEvent.objects.filter(report_id=report).count() == before


def test_department_a_sees_nothing_private_of_department_b(
    world: World,  # noqa: F811
    undone: None,  # noqa: F811
):
    for role in ("worker_a", "head_a"):
        seen = body(world, role, "/api/v1/reports/{routed_b}/")
        assert not [m for m in markers("bravo") if m.encode() in seen], role
        assert world.client(role).get(world.fill("/staff/reports/{routed_b}/")).status_code == 403


# Red team (issue #14): the admin's change list takes a lookup on any field of the model
# in its query string (Django allows every lookup on a local field), so a role that is not
# shown a plot's user can still ask for the plots whose user starts with a guess and
# spell the name out letter by letter. Each lookup on a private field must answer the
# same for a true guess as for a false one to those who may not see that field.
PRIVATE_LOOKUPS = [
    ("user_name__startswith", PLOT_USERS["lima"][:18]),
    ("user_name", PLOT_USERS["lima"]),
    ("user_name__icontains", PLOT_USERS["lima"][-10:]),
    ("user_name__regex", "^Plotusermarker Li"),
]


def _listed(world: World, role: str, query: dict[str, str]) -> list[str]:  # noqa: F811
    response = world.client(role).get("/admin/layers/landplot/", query)
    assert response.status_code in (200, 302, 400), (role, query, response.status_code)
    if response.status_code == 400:  # the lookup is refused: nothing listed either way
        return []
    return sorted(set(re.findall(r"/admin/layers/landplot/(\d+)/change/", response.text)))


@pytest.mark.parametrize(
    ("lookup", "guess"), PRIVATE_LOOKUPS, ids=[lookup for lookup, _g in PRIVATE_LOOKUPS]
)
@pytest.mark.parametrize("role", ["moderator", "worker_a", "coordinator"])
def test_a_hidden_field_cannot_be_guessed_through_the_change_lists_lookups(
    world: World,  # noqa: F811
    undone: None,  # noqa: F811
    role: str,
    lookup: str,
    guess: str,
):
    assert role not in PRIVATE_PARTS["lima"]
    true_guess = _listed(world, role, {lookup: guess})
    false_guess = _listed(world, role, {lookup: "Nobody-by-this-name"})
    assert true_guess == false_guess, f"{role} learns the plot's user through ?{lookup}="
