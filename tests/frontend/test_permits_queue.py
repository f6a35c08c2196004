"""The permit department's queue: whose applications, its filters, order and pages, and
the header's link to it for the roles that may open it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from geoportal.permits.models import Application, PermitSettings
from geoportal.procedure import timebase
from tests.frontend.permit_cases import (
    client_of,
    file_application,
    walk,
)

pytestmark = pytest.mark.django_db

QUEUE = "/en/staff/permits/"


def listed(user: Any, query: str = "") -> list[str]:
    """The registration numbers of the queue's rows, in order."""
    page = client_of(user).get(QUEUE + query)
    assert page.status_code == 200
    return re.findall(r'href="/en/staff/permits/\d+/">([^<]+)</a>', page.content.decode())


def test_the_queue_is_the_permit_departments_of_its_hromada(
    pokrovsk, pokrov, worker_arch, head_arch, coordinator, officer_pokrov
):
    ours = file_application(pokrovsk)
    theirs = file_application(pokrov)
    assert listed(worker_arch) == [ours.number]
    assert listed(head_arch) == [ours.number]
    assert listed(coordinator) == [ours.number]
    assert listed(officer_pokrov) == [theirs.number]


def test_a_kind_given_to_another_department_leaves_the_arch_queue(
    pokrovsk, zhkg, worker_arch, worker_zhkg
):
    maf = file_application(pokrovsk)
    advertising = file_application(pokrovsk, "advertising", offset_m=30)
    settings = PermitSettings.for_(pokrovsk, "advertising")
    settings.department = zhkg
    settings.save()
    assert listed(worker_arch) == [maf.number]
    assert listed(worker_zhkg) == [advertising.number]
    assert client_of(worker_zhkg).get(f"/en/staff/permits/{maf.pk}/").status_code == 403


@pytest.mark.parametrize("persona", ["worker_zhkg", "moderator", "planner", "resident"])
def test_people_outside_the_permit_department_are_refused(request, persona, pokrovsk):
    user = request.getfixturevalue(persona)
    assert client_of(user).get(QUEUE).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(db):
    answer = Client().get(QUEUE)
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_filters_narrow_the_queue(pokrovsk, worker_arch):
    submitted = file_application(pokrovsk, address="вул. Шмідта, 3")
    advertising = file_application(pokrovsk, "advertising", offset_m=30,
                                   organisation_name="ТОВ «Білборд Плюс»")  # fmt: skip
    checked = walk(file_application(pokrovsk, "terrace", offset_m=60), worker_arch, "checked")
    refused = walk(file_application(pokrovsk, offset_m=90), worker_arch, "under_review")
    refused.refuse(worker_arch, "site_taken", "Зайнято.")
    assert sorted(listed(worker_arch)) == sorted(
        [submitted.number, advertising.number, checked.number]
    )  # a refusal is done with: shown only when asked for
    assert listed(worker_arch, "?kind=advertising") == [advertising.number]
    assert listed(worker_arch, "?state=checked") == [checked.number]
    assert listed(worker_arch, "?state=refused") == [refused.number]
    assert len(listed(worker_arch, "?state=all")) == 4
    assert listed(worker_arch, "?q=Шмідта") == [submitted.number]
    assert listed(worker_arch, "?q=Білборд") == [advertising.number]
    assert listed(worker_arch, f"?q={checked.number}") == [checked.number]


def test_a_bad_filter_shows_the_whole_queue_with_the_error(pokrovsk, worker_arch):
    file_application(pokrovsk)
    page = client_of(worker_arch).get(QUEUE + "?state=lost").content.decode()
    assert 'role="alert"' in page and "1 application" in page


def test_soonest_due_first_and_overdue_marked(pokrovsk, worker_arch):
    early = file_application(pokrovsk)
    later = file_application(pokrovsk, offset_m=30)
    Application.objects.filter(pk=early.pk).update(due_at=timebase.now() - timedelta(days=2))
    Application.objects.filter(pk=later.pk).update(due_at=timebase.now() + timedelta(days=2))
    granted = walk(file_application(pokrovsk, offset_m=60), worker_arch, "granted")
    assert listed(worker_arch) == [early.number, later.number, granted.number]
    assert listed(worker_arch, "?overdue=on") == [early.number]
    page = client_of(worker_arch).get(QUEUE).content.decode()
    assert page.count("overdue-mark") == 1
    assert f"valid until {granted.valid_to:%d.%m.%Y}" in page


def test_fifty_to_a_page(pokrovsk, worker_arch):
    with time_machine.travel("2026-06-01 09:00 +0300", tick=False):
        for n in range(51):
            file_application(pokrovsk, offset_m=n * 25)
        first = listed(worker_arch)
        second = listed(worker_arch, "?page=2")
    assert len(first) == 50 and len(second) == 1


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("worker_arch", True), ("head_arch", True), ("coordinator", True),
     ("worker_zhkg", False), ("moderator", False)],
)  # fmt: skip
def test_the_header_links_to_the_queue_for_those_who_may_open_it(request, persona, shown, pokrovsk):
    user = request.getfixturevalue(persona)
    page = client_of(user).get("/en/staff/two-factor/").content.decode()
    assert ('href="/en/staff/permits/"' in page) is shown
