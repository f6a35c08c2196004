"""The staff e-mails link to the report in the admin: readable within each one's scope."""

from __future__ import annotations

from django.http import HttpRequest
from django.test import Client

from tests.cast import PASSWORD
from tests.reports.conftest import file_report


def signed_in(user) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


def test_staff_read_their_reports_in_the_admin_and_cannot_change_them(
    pokrovsk, moderator, worker_zhkg, worker_arch
):
    report = file_report(reporter_phone="+380501234567")
    report.approve(moderator)
    url = f"/en/admin/reports/report/{report.pk}/change/"
    page = signed_in(worker_zhkg).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "+380501234567" in body and "Save" not in body  # read-only view
    assert signed_in(moderator).get(url).status_code == 200
    # Another department's worker: not in their scope.
    assert signed_in(worker_arch).get(url).status_code == 302
    assert (
        report.title not in signed_in(worker_arch).get("/en/admin/reports/report/").content.decode()
    )
