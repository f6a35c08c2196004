"""Response templates: which ones a report's console offers, who keeps them in the admin
(the coordinator the hromada's, a head their own departments'), and a template inserted,
edited and sent as an answer in the browser, in Ukrainian and English."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from geoportal.municipalities.models import ResponseTemplate
from tests.conftest import close_settled
from tests.frontend.conftest import sign_in
from tests.reports.conftest import file_report

Purpose = ResponseTemplate.Purpose


@pytest.fixture
def templates(pokrovsk, pokrov, zhkg, arch) -> dict[str, ResponseTemplate]:
    def make(key: str, municipality: Any, department: Any, purpose: str, **more: Any):
        return ResponseTemplate.objects.create(
            municipality=municipality, department=department, purpose=purpose,
            title_uk=f"Шаблон {key}", title_en=f"Template {key}",
            text_uk=f"Текст {key}", text_en=f"Text {key}", **more,
        )  # fmt: skip

    return {
        "zhkg_answer": make("zhkg_answer", pokrovsk, zhkg, Purpose.ANSWER),
        "zhkg_return": make("zhkg_return", pokrovsk, zhkg, Purpose.RETURN),
        "arch_answer": make("arch_answer", pokrovsk, arch, Purpose.ANSWER),
        "hromada_answer": make("hromada_answer", pokrovsk, None, Purpose.ANSWER),
        "hromada_reject": make("hromada_reject", pokrovsk, None, Purpose.REJECT),
        "inactive": make("inactive", pokrovsk, zhkg, Purpose.ANSWER, is_active=False),
        "pokrov_answer": make("pokrov_answer", pokrov, None, Purpose.ANSWER),
    }


@pytest.mark.parametrize(
    ("purpose", "offered"),
    [
        # The department's own first, then the hromada's; never another department's,
        # another hromada's or an inactive one.
        (Purpose.ANSWER, ["zhkg_answer", "hromada_answer"]),
        (Purpose.RETURN, ["zhkg_return"]),
        (Purpose.REJECT, ["hromada_reject"]),
    ],
)
def test_a_report_is_offered_its_departments_and_hromadas_templates(
    templates, moderator, zhkg, purpose, offered
):
    report = file_report()
    report.approve(moderator, zhkg)
    found = ResponseTemplate.objects.offered_for(report, purpose)
    assert [t.title_uk for t in found] == [f"Шаблон {key}" for key in offered]


def test_a_template_speaks_the_pages_language(templates):
    template = templates["zhkg_answer"]
    with translation.override("en"):
        assert template.as_offer()["text"] == "Text zhkg_answer"
    with translation.override("uk"):
        assert template.as_offer() == {
            "id": str(template.pk), "title": "Шаблон zhkg_answer", "text": "Текст zhkg_answer",
        }  # fmt: skip


def test_a_department_of_another_hromada_is_refused(pokrov, zhkg):
    template = ResponseTemplate(
        municipality=pokrov, department=zhkg, purpose=Purpose.ANSWER,
        title_uk="Чужий", text_uk="Текст",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert "department" in caught.value.message_dict


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        # The coordinator keeps every template of the hromada, not another hromada's.
        ("coordinator", {"zhkg_answer", "zhkg_return", "arch_answer", "hromada_answer",
                         "hromada_reject", "inactive"}),
        # A head keeps their own department's only.
        ("head_zhkg", {"zhkg_answer", "zhkg_return", "inactive"}),
    ],
)  # fmt: skip
def test_the_admin_lists_the_templates_each_one_keeps(templates, request, who, sees):
    client = signed_in(request.getfixturevalue(who))
    answer = client.get("/en/admin/municipalities/responsetemplate/")
    assert answer.status_code == 200
    listed = {key for key, t in templates.items() if f"Шаблон {key}<" in answer.text}
    assert listed == sees
    for key in set(templates) - sees:
        page = client.get(f"/en/admin/municipalities/responsetemplate/{templates[key].pk}/change/")
        assert page.status_code == 302  # the admin's "does not exist" redirect


def test_a_head_adds_templates_only_for_a_department_they_head(templates, head_zhkg, zhkg, arch):
    client = signed_in(head_zhkg)
    form = client.get("/en/admin/municipalities/responsetemplate/add/")
    choices = form.context["adminform"].form.fields["department"].queryset
    assert list(choices) == [zhkg]
    fields = {"municipality": zhkg.municipality_id, "purpose": "answer", "title_uk": "Новий",
              "text_uk": "Текст", "is_active": "on", "sort_order": "0"}  # fmt: skip
    refused = client.post(
        "/en/admin/municipalities/responsetemplate/add/", {**fields, "department": arch.pk}
    )
    assert refused.status_code == 200 and "department" in refused.context["adminform"].form.errors
    empty = client.post("/en/admin/municipalities/responsetemplate/add/", fields)
    assert empty.status_code == 200 and "department" in empty.context["adminform"].form.errors
    assert not ResponseTemplate.objects.filter(title_uk="Новий").exists()
    client.post("/en/admin/municipalities/responsetemplate/add/", {**fields, "department": zhkg.pk})
    assert ResponseTemplate.objects.get(title_uk="Новий").department == zhkg


def test_a_worker_cannot_keep_templates(templates, worker_zhkg):
    client = signed_in(worker_zhkg)
    assert client.get("/en/admin/municipalities/responsetemplate/").status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "viewport", "picker", "expected"),
    [
        ("", {"width": 1280, "height": 900}, "Вставити готовий текст", "Текст zhkg_answer"),
        ("/en", {"width": 390, "height": 844}, "Insert a ready text", "Text zhkg_answer"),
    ],
)
def test_a_worker_inserts_edits_and_sends_a_template(
    live_server, browser, templates, moderator, worker_zhkg, zhkg, language, viewport, picker,
    expected,
):  # fmt: skip
    report = file_report()
    report.approve(moderator, zhkg)
    report.accept(worker_zhkg)
    tab = sign_in(browser, live_server, worker_zhkg, viewport=viewport)
    tab.goto(f"{live_server.url}{language}/staff/reports/{report.pk}/")
    answer = tab.locator("#resolve-answer")
    answer.fill("Доброго дня.")
    # Keyboard only: the picker is a labelled select next to the answer box.
    chooser = tab.get_by_label(picker).first
    chooser.focus()
    chooser.select_option(label=f"{'Template' if language else 'Шаблон'} zhkg_answer")
    assert answer.input_value() == f"Доброго дня.\n\n{expected}"
    assert tab.evaluate("document.activeElement.id") == "resolve-answer"
    tab.keyboard.type(" Дякуємо.")
    tab.locator("form[data-action=resolve] button[type=submit]").click()
    tab.locator(".state-badge[data-state=resolved]").wait_for()
    report.refresh_from_db()
    # A form sends a text box's line breaks as CRLF (HTML's form encoding).
    assert report.public_answer.replace("\r\n", "\n") == f"Доброго дня.\n\n{expected} Дякуємо."
    close_settled(tab.context)
