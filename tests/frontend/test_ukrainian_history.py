"""A report's history on Ukrainian pages (issue 17, "Language"): events read as things
that happened, the department by its Ukrainian name even when routed from an English page,
permit states and units as words, and Ukrainian quotes «…» in the translations."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from geoportal.accounts.models import User
from geoportal.municipalities.models import Department
from geoportal.reports.models import Report
from layers.models import TemporaryStructure
from tests.layers.conftest import kiosk  # noqa: F401  (fixture)
from tests.reports.conftest import file_report

PO = Path(settings.BASE_DIR) / "geoportal" / "locale" / "uk" / "LC_MESSAGES" / "django.po"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "uk"
    return client


@pytest.fixture
def resolved(zhkg: Department, moderator: User, worker_zhkg: User) -> Report:
    """Submitted, routed to zhkg from an English page, accepted and resolved."""
    report = file_report()
    with translation.override("en"):
        report.approve(moderator, zhkg)
    report.accept(worker_zhkg)
    report.resolve(worker_zhkg, "Замінено лампу.")
    return report


@pytest.mark.parametrize(
    ("page", "past"),
    [
        ("public", ("Подано", "Схвалено", "Прийнято до роботи", "Вирішено")),
        ("staff", ("Подано", "Схвалено", "Прийнято до роботи", "Вирішено")),
    ],
)
def test_history_tells_events_in_the_past_with_the_ukrainian_department(
    resolved: Report, zhkg: Department, moderator: User, page: str, past: tuple[str, ...]
):
    assert zhkg.name_en and zhkg.name_en != zhkg.name_uk
    client = signed_in(moderator) if page == "staff" else Client()
    path = f"/staff/reports/{resolved.pk}/" if page == "staff" else f"/reports/{resolved.pk}/"
    html = client.get(path).content.decode()
    history = html[html.index('class="timeline"') :]
    for label in past:
        assert f"<strong>{label}</strong>" in history, (page, label)
    assert zhkg.name_uk in history and zhkg.name_en not in history
    # The buttons still name what they do.
    assert "<strong>Схвалити</strong>" not in history


def test_api_timeline_labels_follow_the_language(resolved: Report):
    for language, approved in (("uk", "Схвалено"), ("en", "Approved")):
        answer = Client().get(f"/api/v1/reports/{resolved.pk}/", HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 200, answer.content
        labels = [event["action_label"] for event in answer.json()["properties"]["timeline"]]
        assert approved in labels, (language, labels)


def test_staff_page_shows_permit_states_and_units_as_words(
    kiosk: TemporaryStructure,  # noqa: F811
    moderator: User,
):
    kiosk.permit_valid_from, kiosk.permit_valid_to = date(2024, 1, 10), date(2025, 1, 10)
    kiosk.save()
    report = file_report()  # its spatial context keeps the nearest МАФ within 30 m
    html = signed_in(moderator).get(f"/staff/reports/{report.pk}/").content.decode()
    assert "МАФ-2026-001" in html, "the kiosk is the report's nearest МАФ"
    assert "Прострочений" in html
    assert re.search(r"\d м\b", html)
    assert ">expired<" not in html and not re.search(r"\d m\b", html)


def test_ukrainian_translations_use_ukrainian_quotes():
    """«…» in Ukrainian text; English “…” quotes are not Ukrainian typography."""
    text = PO.read_text(encoding="utf-8")
    blocks = re.findall(r'^msgstr "(.*)"\n((?:".*"\n)*)', text, flags=re.MULTILINE)
    english = [first + rest for first, rest in blocks if re.search("[“”]", first + rest)]
    assert blocks and not english, english


def test_admin_index_names_the_projects_applications_in_ukrainian(admin_user: User):
    html = signed_in(admin_user).get("/admin/").content.decode()
    for ukrainian, english in (
        ("Громади", "Municipalities"),
        ("ГІС-шари", "GIS layers"),
        ("Звернення «Відкритого Міста»", "Open City reports"),
        ("Облікові записи", "Accounts"),
    ):
        assert ukrainian in html and english not in html, english
