"""Personal data of reporters is never public: not in the API, pages, exports or e-mails
to other people. Reports are filed with marker values, then every public answer is
searched for them."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from rest_framework.test import APIClient

from geoportal.reports.models import Notification
from tests.reports.conftest import file_report, jpeg

NAME = "Марко Приватенко-Маркер"
EMAIL = "marker.private.7731@example.org"
PHONE = "+380 67 777 31 31"
ADDRESS = "вул. Таємна, 7731"
MARKERS = [NAME, EMAIL, PHONE, ADDRESS, "777 31 31", "marker.private"]


@pytest.fixture
def private_reports(pokrovsk, moderator, worker_zhkg):
    reports = [
        file_report(
            title=f"Маркерне звернення {n}",
            reporter_name=NAME,
            reporter_email=EMAIL,
            reporter_phone=PHONE,
            reporter_postal_address=ADDRESS,
            is_formal_appeal=n == 0,
            photos=[jpeg(gps=(48.2775, 37.1780))],
        )
        for n in range(3)
    ]
    reports[0].approve(moderator)
    reports[0].accept(worker_zhkg)
    reports[1].approve(moderator)
    reports[1].accept(worker_zhkg)
    reports[1].resolve(worker_zhkg, "Вирішено")
    reports[2].reject(moderator, "not_a_problem")
    return reports


def public_answers(reports) -> dict[str, bytes]:
    api, site = APIClient(), Client()
    urls = ["/api/v1/reports/", "/api/v1/reports/?state=rejected",
            "/api/v1/reports/statistics/", "/api/v1/reports/statistics/export.csv",
            "/api/v1/reports/statistics/export.xlsx", "/", "/en/",
            "/api/v1/reports/nearby/?lat=48.2771&lon=37.1772&category=lighting"]  # fmt: skip
    for report in reports:
        urls += [f"/api/v1/reports/{report.pk}/", f"/reports/{report.pk}/",
                 f"/en/reports/{report.pk}/"]  # fmt: skip
    answers = {}
    for url in urls:
        client = api if url.startswith("/api/") else site
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        body = response.content
        if url.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(body)) as book:
                body = b"".join(book.read(name) for name in book.namelist())
        answers[url] = body
    return answers


def test_no_personal_data_in_any_public_answer(private_reports):
    answers = public_answers(private_reports)
    assert any(b"\xd0\x9c\xd0\xb0\xd1\x80\xd0\xba\xd0\xb5\xd1\x80" in b for b in answers.values())
    for url, body in answers.items():
        text = body.decode("utf-8", errors="replace")
        for marker in MARKERS:
            assert marker not in text, (marker, url)


def test_a_chosen_name_is_shown_and_nothing_else(pokrovsk, moderator):
    report = file_report(reporter_name=NAME, reporter_email=EMAIL, show_name=True)
    report.approve(moderator)
    detail = APIClient().get(f"/api/v1/reports/{report.pk}/").json()["properties"]
    assert detail["reporter_name"] == NAME
    text = str(detail) + Client().get(f"/reports/{report.pk}/").content.decode()
    assert EMAIL not in text and NAME in text


def test_the_tracking_page_is_only_for_the_reporter(private_reports):
    report = private_reports[0]
    site = Client()
    assert site.get(f"/reports/track/{report.tracking_code}/").status_code == 200
    assert site.get("/reports/track/guessed-code/").status_code == 404
    # The tracking code itself is never in a public answer.
    for body in public_answers(private_reports).values():
        for other in private_reports:
            assert other.tracking_code.encode() not in body


def test_staff_e_mails_carry_no_reporter_contact(private_reports):
    for notification in Notification.objects.exclude(to_email=EMAIL):
        for marker in MARKERS:
            assert marker not in notification.subject + notification.body
