"""Each role sees only its own console; deny by default."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client

from tests.cast import PASSWORD
from tests.reports.conftest import file_report

CONSOLES = ["moderation", "department", "dashboard", "layers"]
# Who may open which console (written down once; everything else is 403).
ALLOWED = {
    "moderator": {"moderation"},
    "worker_zhkg": {"department"},
    "head_zhkg": {"department"},
    "worker_arch": {"department"},
    "coordinator": {"moderation", "department", "dashboard", "layers"},
    "planner": {"department", "layers"},  # the demo planner also works in arch
    "resident": set(),
}


def client_of(user) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_each_role_opens_only_its_own_consoles(request, persona, arch):
    user = request.getfixturevalue(persona)
    if persona == "planner":
        from tests.cast import join

        join(user, arch, "worker")
    client = client_of(user)
    for console in CONSOLES:
        status = client.get(f"/en/staff/{console}/").status_code
        assert status == (200 if console in ALLOWED[persona] else 403), (persona, console)


def test_anonymous_people_are_sent_to_sign_in(db):
    for console in CONSOLES:
        answer = Client().get(f"/en/staff/{console}/")
        assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_another_departments_report_is_403(pokrovsk, moderator, worker_zhkg, worker_arch):
    report = file_report()
    report.approve(moderator)  # to zhkg
    assert client_of(worker_zhkg).get(f"/en/staff/reports/{report.pk}/").status_code == 200
    assert client_of(worker_arch).get(f"/en/staff/reports/{report.pk}/").status_code == 403
    assert client_of(moderator).get(f"/en/staff/reports/{report.pk}/").status_code == 200


def test_a_console_shows_only_the_actions_the_person_may_take(
    pokrovsk, moderator, worker_zhkg, head_zhkg
):
    report = file_report()
    page = client_of(moderator).get(f"/en/staff/reports/{report.pk}/").content.decode()
    for action in ("approve", "reject", "mark_duplicate", "out_of_competence", "redact"):
        assert f'data-action="{action}"' in page
    assert 'data-action="accept"' not in page
    report.approve(moderator)
    report.accept(worker_zhkg)
    worker_page = client_of(worker_zhkg).get(f"/en/staff/reports/{report.pk}/").content.decode()
    head_page = client_of(head_zhkg).get(f"/en/staff/reports/{report.pk}/").content.decode()
    for action in ("plan", "resolve", "not_resolve", "comment"):
        assert f'data-action="{action}"' in worker_page
    assert 'data-action="extend"' not in worker_page  # heads extend
    assert 'data-action="extend"' in head_page
    for label in ("Plan", "Resolve", "Not resolved", "Comment"):
        assert f">{label}</button>" in worker_page


def test_staff_home_sends_each_person_to_their_console(
    moderator, worker_zhkg, coordinator, planner
):
    assert client_of(planner).get("/en/staff/")["Location"].endswith("/staff/layers/")
    assert client_of(moderator).get("/en/staff/")["Location"].endswith("/staff/moderation/")
    assert client_of(worker_zhkg).get("/en/staff/")["Location"].endswith("/staff/department/")
    assert client_of(coordinator).get("/en/staff/")["Location"].endswith("/staff/dashboard/")
