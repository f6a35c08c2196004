"""My reports: every report filed with the resident's address, before the account and
after it, signed in or not, in any state; nobody else's; and the account's deletion."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from geoportal.reports.models import Follow, Report
from geoportal.residents.models import Resident, SignInLink
from tests.reports.conftest import file_report
from tests.residents.conftest import sign_in

pytestmark = pytest.mark.django_db

EMAIL = "olha.resident@example.org"
OTHER = "taras.neighbour@example.org"


def file_over_api(client: Client, title: str, **fields: object) -> Report:
    answer = client.post("/api/v1/reports/", {
        "category": "lighting", "title": title, "description": "Темно біля школи.",
        "lat": 48.2771, "lon": 37.1772, **fields,
    })  # fmt: skip
    assert answer.status_code == 201, answer.content
    return Report.objects.get(pk=answer.json()["id"])


def rows(page: bytes) -> list[str]:
    text = page.decode()
    return [chunk.split("</a>")[0] for chunk in text.split('<td data-label="')[1:]
            if "<a href=" in chunk.split("</td>")[0]]  # fmt: skip


def test_reports_before_and_after_signing_in_are_listed(pokrovsk, moderator):
    before = file_report(title="Подано до входу", reporter_email=EMAIL.upper())
    before.approve(moderator)
    neighbours = file_report(title="Сусідське", reporter_email=OTHER)
    client = Client()
    sign_in(client, EMAIL)
    after = file_over_api(client, "Подано після входу", reporter_email=EMAIL)
    no_email = file_over_api(client, "Подано без адреси")  # signed in: the account files it
    stranger = file_over_api(Client(), "Подано іншим", reporter_email=OTHER)

    page = client.get("/residents/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    for mine in (before, after, no_email):
        assert mine.title in text and f"/reports/track/{mine.tracking_code}/" in text
    for theirs in (neighbours, stranger):
        assert theirs.title not in text and theirs.tracking_code not in text
    # State, category, date and due date of each.
    before.refresh_from_db()
    assert before.get_state_display() in text and "Вуличне освітлення" in text
    assert before.created_at.strftime("%d.%m.%Y") in text
    assert before.due_at is not None and before.due_at.astimezone().strftime("%d.%m.%Y") in text
    # Newest first.
    assert text.index(no_email.title) < text.index(after.title) < text.index(before.title)


def test_my_reports_in_english(pokrovsk):
    file_report(title="Ліхтар", reporter_email=EMAIL)
    client = Client()
    sign_in(client, EMAIL)
    text = client.get("/en/residents/reports/").content.decode()
    assert "My reports" in text and "New, awaiting moderation" in text and "Street lighting" in text


def test_staff_have_no_my_reports_and_residents_no_console(pokrovsk, moderator):
    staff = Client()
    staff.force_login(moderator)
    assert staff.get("/residents/reports/").status_code == 403
    resident = Client()
    sign_in(resident, EMAIL)
    assert resident.get("/staff/").status_code == 403
    assert resident.get("/staff/moderation/").status_code == 403
    admin = resident.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")
    # The staff sign-in takes no password for a resident's account.
    user = Resident.objects.get().user
    refused = Client().post("/login/", {"username": user.username, "password": "x"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session


def test_deleting_the_account_keeps_the_reports_without_personal_data(pokrovsk, moderator):
    filed = file_report(reporter_email=EMAIL, reporter_name="Ольга Петренко",
                        reporter_phone="+380 67 123 45 67",
                        reporter_postal_address="вул. Шкільна, 1", show_name=True)  # fmt: skip
    filed.approve(moderator)
    theirs = file_report(
        reporter_email=OTHER, reporter_name="Тарас", reporter_phone="+380 50 111 22 33"
    )
    client = Client()
    sign_in(client, EMAIL)
    later = file_over_api(
        client, "Після входу", reporter_name="Ольга", reporter_phone="+380 67 765 43 21"
    )
    assert Follow.objects.filter(email=EMAIL).count() == 1  # the reporter follows their own

    assert client.get("/residents/account/delete/").status_code == 200
    answer = client.post("/residents/account/delete/")
    assert answer.status_code == 302 and answer["Location"] == "/residents/sign-in/?deleted=1"

    for report in (filed, later):
        report.refresh_from_db()
        assert (report.reporter_email, report.reporter_name, report.reporter_phone,
                report.reporter_postal_address, report.reporter_user,
                report.show_name) == ("", "", "", "", None, False)  # fmt: skip
        assert report.title and report.point  # the report itself stays
    filed.refresh_from_db()
    assert filed.state == "routed" and Report.objects.public().filter(pk=filed.pk).exists()
    theirs.refresh_from_db()
    assert theirs.reporter_email == OTHER and theirs.reporter_phone == "+380 50 111 22 33"
    assert not Follow.objects.filter(email=EMAIL).exists()
    assert not Resident.objects.exists() and not SignInLink.objects.filter(email=EMAIL).exists()
    assert "_auth_user_id" not in client.session
    assert client.get("/residents/reports/").status_code == 302
    # Signing in again makes a new, empty account.
    mail.outbox.clear()
    sign_in(client, EMAIL)
    assert "Після входу" not in client.get("/residents/reports/").content.decode()
