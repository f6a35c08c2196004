"""The API's messages follow the page's language, not the browser's (issue 17,
"Language"): a moderator whose browser prefers English works on a Ukrainian page, and the
refusal of an action comes back in Ukrainian."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.frontend.conftest import sign_in
from tests.reports.conftest import file_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("prefix", "language"), [("", "uk"), ("/en", "en")])
def test_an_action_refused_on_a_page_is_told_in_the_pages_language(
    live_server, browser, pokrovsk, moderator, prefix: str, language: str
):
    report = file_report()
    with translation.override(language):
        required = translation.gettext("This field is required.")
    # The browser asks for the other language than the page's.
    browser_language = "en-US" if language == "uk" else "uk-UA"
    tab = sign_in(browser, live_server, moderator, locale=browser_language)
    tab.goto(f"{live_server.url}{prefix}/staff/reports/{report.pk}/")
    form = tab.locator("form[data-action=reject]")
    form.locator("select[name=ground]").select_option("other")
    form.locator("button[type=submit]").click()
    error = form.locator(".field-error[data-for=comment]")
    error.wait_for()
    tab.wait_for_function(
        "el => el.textContent.trim() !== ''", arg=error.element_handle(), timeout=5000
    )
    assert required in error.inner_text(), (language, error.inner_text())
    tab.context.close()
