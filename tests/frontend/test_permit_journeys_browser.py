"""The officers' journeys of e-permits in a real browser (uk on a phone, en on a desktop):
a café's summer terrace registered, checked and granted until the public МАФ layer shows
it with its passport and dates; an advertising application refused for another
applicant's priority, the blocker shown in the console; and the head's annulment taking a
structure out of the active layer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from geoportal.permits.models import Application
from geoportal.permits.states import Kind, RefusalReason, State
from layers.models import TemporaryStructure
from layers.models.base import StructureStatus
from tests.conftest import close_settled
from tests.frontend.conftest import sign_in
from tests.frontend.permit_cases import PRIORITY_BLOCKER, file_application, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UK = {"prefix": "", "viewport": {"width": 390, "height": 844}, "register": "Зареєструвати",
      "check": "Завершити перевірку", "grant": "Надати", "refuse": "Відмовити",
      "annul": "Анулювати", "done": "Виконано"}  # fmt: skip
EN = {"prefix": "/en", "viewport": {"width": 1280, "height": 900}, "register": "Register",
      "check": "Complete the check", "grant": "Grant", "refuse": "Refuse",
      "annul": "Annul", "done": "Done"}  # fmt: skip
LANGUAGES = pytest.mark.parametrize("words", [UK, EN], ids=["uk-phone", "en-desktop"])


def act(tab: Any, words: dict[str, Any], action: str, fill: dict[str, str] | None = None) -> None:
    """Fill the action's form, press its button, and wait for the page drawn again."""
    tab.locator("#console[data-ready]").wait_for(state="attached")
    form = tab.locator(f"form.action-form[data-action='{action}']")
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    button = form.locator("button[type=submit]")
    label = button.inner_text().strip()
    button.click()
    # The page is drawn again with "Done: «<this action>»" (or stays with the refusal).
    done = tab.locator("#console-status").filter(has_text=f"{words['done']}")
    done.filter(has_text=label).or_(tab.locator("#console-status.error")).wait_for()
    status = tab.locator("#console-status").inner_text()
    assert label in status and "error" not in (
        tab.locator("#console-status").get_attribute("class") or ""
    ), status


def layer_features(tab: Any, server: str, query: str) -> list[dict[str, Any]]:
    """The public МАФ layer as the map and open data read it (the API's GeoJSON)."""
    answer = tab.request.get(f"{server}/api/v1/layers/maf/?q={query}")
    assert answer.ok, answer.status
    return list(json.loads(answer.text())["features"])


@LANGUAGES
def test_a_terrace_is_granted_and_the_maf_layer_shows_it(
    live_server: Any, browser: Any, pokrovsk: Any, worker_arch: Any, words: dict[str, Any]
) -> None:
    application = file_application(pokrovsk, Kind.TERRACE, polygon=True)
    site = f"{live_server.url}{words['prefix']}"
    officer = sign_in(browser, live_server, worker_arch, viewport=words["viewport"])
    officer.goto(f"{site}/staff/permits/")
    officer.get_by_role("link", name=application.number).click()
    act(officer, words, "register")
    act(officer, words, "check")
    act(officer, words, "grant")

    application.refresh_from_db()
    assert application.state == State.GRANTED
    assert application.permit_number and application.maf is not None
    assert application.permit_number in officer.locator("main").inner_text()
    features = layer_features(officer, live_server.url, application.permit_number)
    assert len(features) == 1
    shown = features[0]["properties"]
    assert shown["passport_number"] == application.permit_number
    assert application.valid_from is not None and application.valid_to is not None
    assert shown["permit_valid_from"] == application.valid_from.isoformat()
    assert shown["permit_valid_to"] == application.valid_to.isoformat()
    assert shown["owner_name"] == "ТОВ «Кава на розі»"
    assert "Олена" not in json.dumps(features, ensure_ascii=False)  # the person stays private
    close_settled(officer.context)


@LANGUAGES
def test_an_advertising_application_is_refused_for_another_applicants_priority(
    live_server: Any, browser: Any, pokrovsk: Any, worker_arch: Any, words: dict[str, Any]
) -> None:
    application = file_application(
        pokrovsk, Kind.ADVERTISING, precheck=PRIORITY_BLOCKER, precheck_level="blocker"
    )
    walk(application, worker_arch, "under_review")
    site = f"{live_server.url}{words['prefix']}"
    officer = sign_in(browser, live_server, worker_arch, viewport=words["viewport"])
    officer.goto(f"{site}/staff/permits/{application.pk}/")
    officer.locator("#console[data-ready]").wait_for(state="attached")
    assert "ЗД-2026-0001" in officer.locator("main").inner_text()  # the blocker, as found
    act(officer, words, "refuse", {
        "select[name=reason]": RefusalReason.PRIORITY_OF_ANOTHER.value,
        "textarea[name=text]": "Пріоритет на це місце належить іншому заявнику.",
    })  # fmt: skip

    application.refresh_from_db()
    assert application.state == State.REFUSED
    assert application.refusal_reason == RefusalReason.PRIORITY_OF_ANOTHER
    assert application.advertising is None  # nothing was written to the layer
    close_settled(officer.context)


@LANGUAGES
def test_the_heads_annulment_takes_the_structure_out_of_the_active_layer(
    live_server: Any,
    browser: Any,
    pokrovsk: Any,
    worker_arch: Any,
    head_arch: Any,
    words: dict[str, Any],
) -> None:
    application = walk(file_application(pokrovsk, Kind.MAF), worker_arch, "granted")
    number = application.permit_number
    site = f"{live_server.url}{words['prefix']}"
    head = sign_in(browser, live_server, head_arch, viewport=words["viewport"])
    head.goto(f"{site}/staff/permits/{application.pk}/")
    before = layer_features(head, live_server.url, number)
    assert [f["properties"]["status"] for f in before] == [StructureStatus.ACTIVE.value]
    act(head, words, "annul", {"textarea[name=text]": "Рішення виконавчого комітету № 12."})

    application.refresh_from_db()
    assert application.state == State.ANNULLED
    assert application.maf is not None
    feature = TemporaryStructure.objects.get(pk=application.maf.pk)
    assert feature.status == StructureStatus.CANCELLED
    after = layer_features(head, live_server.url, number)
    assert [f["properties"]["status"] for f in after] == [StructureStatus.CANCELLED.value]
    active = head.request.get(f"{live_server.url}/api/v1/layers/maf/?q={number}&status=active")
    assert json.loads(active.text())["features"] == []
    assert Application.objects.get(pk=application.pk).events.filter(action="annul").count() == 1
    close_settled(head.context)
