"""The officers' application console: each action by each person, the actions offered,
conflicts, the documents and the page itself (README, "E-permits")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from geoportal.permits.models import Application, ApplicationDocument, ApprovalTask
from tests.frontend.permit_cases import (
    PRIORITY_BLOCKER,
    client_of,
    file_application,
    walk,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# Each action: the state it is taken from, the form's fields, the state it leads to.
CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "register": ("submitted", {}, "under_review"),
    "request_approval": ("under_review", {"body": "site_owner", "due_days": 10}, "under_review"),
    "record_approval": ("under_review", {"result": "approved", "note": "Лист №5"}, "under_review"),
    "check": ("under_review", {"note": "Відповідає плану зонування."}, "checked"),
    "grant": (
        "checked",
        {
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY + timedelta(days=365)).isoformat(),
            "text": "Надано.",
        },
        "granted",
    ),
    "refuse": ("under_review", {"reason": "site_taken", "text": "Місце зайняте."}, "refused"),
    "extend": (
        "granted",
        {"valid_to": (TODAY + timedelta(days=2000)).isoformat(), "text": "Продовжено."},
        "granted",
    ),
    "annul": ("granted", {"text": "Порушення умов паспорта."}, "annulled"),
    "remove": ("annulled", {"text": "Демонтовано 1 грудня."}, "removed"),
    "comment": ("under_review", {"text": "Зателефонувати заявнику."}, "under_review"),
}
OFFICERS = set(CASES) - {"annul"}  # the head's alone
# Who may take which action (everyone else is refused and nothing changes).
ALLOWED: dict[str, set[str]] = {
    "worker_arch": OFFICERS,
    "head_arch": set(CASES),
    "coordinator": {"comment"},
    "worker_zhkg": set(),
    "moderator": set(),
    "officer_pokrov": set(),
}


def prepared(action: str, officer: Any, head: Any, pokrovsk: Any) -> tuple[Application, dict]:
    """An application in the state `action` starts from, and the form to post."""
    start, form, _target = CASES[action]
    application = file_application(pokrovsk)
    if start != "submitted":
        walk(application, officer, "granted" if start == "annulled" else start)
    if start == "annulled":
        application.annul(head, "Анульовано.")
    form = dict(form)
    if action == "record_approval":
        application.request_approval(officer, "site_owner", "", 10)
        form["task"] = application.approvals.get().pk
    application.refresh_from_db()
    return application, form


def snapshot(application: Application) -> tuple[Any, ...]:
    application.refresh_from_db()
    return (application.state, application.version, application.events.count(),
            list(application.approvals.values_list("result", flat=True)),
            application.valid_to, application.permit_number)  # fmt: skip


@pytest.mark.parametrize("persona", sorted(ALLOWED))
@pytest.mark.parametrize("action", sorted(CASES))
def test_each_action_by_each_person(
    request, persona, action, pokrovsk, worker_arch, head_arch, officer_pokrov
):
    user = request.getfixturevalue(persona)
    application, form = prepared(action, worker_arch, head_arch, pokrovsk)
    before = snapshot(application)
    answer = client_of(user).post(
        f"/en/staff/permits/{application.pk}/{action}/",
        {**form, "version": application.version},
    )
    if action in ALLOWED[persona]:
        assert answer.status_code == 200, (answer.status_code, answer.content)
        body = answer.json()
        assert body["state"] == CASES[action][2]
        assert body["version"] == application.version + 1
        assert snapshot(application)[2] == before[2] + 1  # its event
    else:
        assert answer.status_code == 403, (answer.status_code, answer.content)
        assert snapshot(application) == before  # nothing changed


def test_the_console_offers_only_what_the_person_may_do(
    pokrovsk, worker_arch, head_arch, coordinator
):
    application = walk(file_application(pokrovsk), worker_arch, "granted")
    forms = {}
    for user in (worker_arch, head_arch, coordinator):
        page = client_of(user).get(f"/en/staff/permits/{application.pk}/").content.decode()
        forms[user.username] = {a for a in CASES if f'data-action="{a}"' in page}
    assert forms["worker_maria"] == {"extend", "comment"}
    assert forms["head_arch_yurii"] == {"extend", "annul", "comment"}
    assert forms["coordinator_natalia"] == {"comment"}


def test_an_action_on_an_older_read_is_a_conflict_and_changes_nothing(pokrovsk, worker_arch):
    application = file_application(pokrovsk)
    seen = application.version
    application.comment(worker_arch, "Хтось інший щойно щось зробив.")
    before = snapshot(application)
    answer = client_of(worker_arch).post(
        f"/en/staff/permits/{application.pk}/register/", {"version": seen}
    )
    assert answer.status_code == 409
    assert "changed meanwhile" in answer.json()["detail"]
    assert answer.json()["version"] == seen + 1
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("action", "form", "field"),
    [
        ("refuse", {"reason": "site_taken", "text": ""}, "text"),
        ("refuse", {"reason": "because", "text": "Ні."}, "reason"),
        ("grant", {"valid_from": "2026-13-01", "valid_to": "2027-01-01"}, "valid_from"),
        ("register", {}, "version"),
    ],
)
def test_bad_input_names_its_field_and_changes_nothing(pokrovsk, worker_arch, action, form, field):
    application = file_application(pokrovsk)
    if action != "register":
        walk(application, worker_arch, "checked")
        form = {**form, "version": application.version}
    before = snapshot(application)
    answer = client_of(worker_arch).post(f"/en/staff/permits/{application.pk}/{action}/", form)
    assert answer.status_code == 400
    assert field in answer.json()
    assert snapshot(application) == before


def test_the_check_waits_for_pending_approvals(pokrovsk, worker_arch):
    application = walk(file_application(pokrovsk, "advertising"), worker_arch, "under_review")
    application.request_approval(worker_arch, "road_authority", "", 5)
    application.refresh_from_db()
    page = client_of(worker_arch).get(f"/en/staff/permits/{application.pk}/").content.decode()
    assert "Approvals are still pending" in page
    assert 'data-action="record_approval"' in page
    answer = client_of(worker_arch).post(
        f"/en/staff/permits/{application.pk}/check/", {"version": application.version}
    )
    assert answer.status_code == 400 and "approvals" in answer.json()
    assert application.approvals.get().result == "pending"


def test_an_unknown_action_is_404(pokrovsk, worker_arch):
    application = file_application(pokrovsk)
    answer = client_of(worker_arch).post(
        f"/en/staff/permits/{application.pk}/expire/", {"version": application.version}
    )
    assert answer.status_code == 404


def test_the_console_shows_the_site_the_precheck_the_steps_and_the_history(pokrovsk, worker_arch):
    blocked = file_application(
        pokrovsk, "advertising", precheck=PRIORITY_BLOCKER, precheck_level="blocker"
    )
    holder = file_application(pokrovsk, "advertising", offset_m=20)
    walk(holder, worker_arch, "under_review")
    blocked.register(worker_arch)
    page = client_of(worker_arch).get(f"/en/staff/permits/{blocked.pk}/").content.decode()
    assert 'data-code="priority_of_another"' in page and "finding-blocker" in page
    assert "Another applicant holds the priority" in page
    assert f'href="/en/staff/permits/{holder.pk}/"' in page  # the other one nearby
    assert "priority until" in page
    assert "olena.koval@example.org" in page  # the applicant's contacts, to the staff
    assert "running, due" in page  # the check's clock
    assert "Registered" in page
    assert '"role": "report"' in page  # the site on the map


def test_a_footprint_is_drawn_as_a_polygon(pokrovsk, worker_arch):
    application = file_application(pokrovsk, "terrace", polygon=True)
    page = client_of(worker_arch).get(f"/staff/permits/{application.pk}/").content.decode()
    assert '"type": "Polygon"' in page


def _document(application: Application, content_type: str, data: bytes) -> ApplicationDocument:
    name = {"application/pdf": "scheme.pdf", "image/png": "photo.png"}[content_type]
    return ApplicationDocument.objects.create(
        application=application, kind="site_scheme", file=ContentFile(data, name=name),
        content_type=content_type, size=len(data), original_name=name,
    )  # fmt: skip


def test_documents_are_attachments_to_those_who_work_on_the_application(
    pokrovsk, worker_arch, worker_zhkg, moderator, officer_pokrov
):
    application = file_application(pokrovsk)
    pdf = _document(application, "application/pdf", b"%PDF-1.4\n%%EOF\n")
    url = f"/en/staff/permits/{application.pk}/documents/{pdf.pk}/"
    answer = client_of(worker_arch).get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment;")
    assert "2026-0001-site_scheme" in answer["Content-Disposition"]  # ЗД-…, encoded
    assert "no-store" in answer["Cache-Control"]
    assert b"".join(answer.streaming_content) == b"%PDF-1.4\n%%EOF\n"  # type: ignore[attr-defined]
    # Even asked to show it, a PDF is never inline.
    assert (
        client_of(worker_arch).get(url + "?view=1")["Content-Disposition"].startswith("attachment;")
    )
    for stranger in (worker_zhkg, moderator, officer_pokrov):
        assert client_of(stranger).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to sign-in
    other = file_application(pokrovsk, offset_m=40)
    wrong = f"/en/staff/permits/{other.pk}/documents/{pdf.pk}/"
    assert client_of(worker_arch).get(wrong).status_code == 404


def test_approval_tasks_are_listed_with_their_due_dates(pokrovsk, worker_arch):
    application = walk(file_application(pokrovsk, "advertising"), worker_arch, "under_review")
    application.request_approval(worker_arch, "heritage", "Обласна інспекція", 5)
    task = ApprovalTask.objects.get(application=application)
    page = client_of(worker_arch).get(f"/en/staff/permits/{application.pk}/").content.decode()
    assert "Обласна інспекція" in page
    assert task.due_at is not None and task.due_at.strftime("%d.%m.%Y") in page
