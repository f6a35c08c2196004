"""CSRF: every form of the site carries a token, and a POST without one changes nothing.

The client here checks CSRF as a browser's server would (Django's test client skips the
check unless asked). Staff actions go through the JSON API with the session cookie, so
the API refuses them without the X-CSRFToken header too; Open311 is exempt by design
(API keys, no cookies).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from geoportal.reports.models import Follow, Report
from tests.cast import PASSWORD
from tests.reports.conftest import file_report

FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def checking() -> Client:
    return Client(enforce_csrf_checks=True)


def token_of(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token in the form"
    return found.group(1)


@pytest.fixture
def resolved(pokrovsk, moderator, worker_zhkg) -> Report:
    report = file_report()
    report.approve(moderator)
    report.accept(worker_zhkg)
    report.resolve(worker_zhkg, "Лампу замінено")
    return report


@pytest.mark.django_db
def test_every_post_form_on_the_pages_carries_a_token(resolved, moderator):
    visitor, staff = checking(), checking()
    staff.force_login(moderator)
    follow = Follow.objects.filter(report=resolved).first()
    assert follow is not None
    pages = [
        (visitor, "/en/login/"),
        (visitor, resolved.tracking_url.removeprefix("http://127.0.0.1:8000")),
        (visitor, f"/en/reports/unsubscribe/{follow.token}/"),
        (staff, "/en/staff/moderation/"),  # the sign-out and language forms of every page
    ]
    forms = 0
    for client, url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        for body in FORM.findall(page.content.decode()):
            assert 'name="csrfmiddlewaretoken"' in body, url
            forms += 1
    assert forms >= 6


@pytest.mark.django_db
def test_posts_without_a_token_are_refused_and_change_nothing(resolved, moderator):
    tracking = resolved.tracking_url.removeprefix("http://127.0.0.1:8000")
    follow = Follow.objects.get(report=resolved, email="olha.reporter@example.org")
    visitor = checking()
    assert visitor.post(tracking, {"comment": "Досі не горить"}).status_code == 403
    assert visitor.post("/en/login/", {"username": moderator.username,
                                       "password": PASSWORD}).status_code == 403  # fmt: skip
    resolved.refresh_from_db()
    assert resolved.disputed_at is None
    assert "_auth_user_id" not in visitor.session
    # The one exception by design: a mail program's one-click unsubscribe (RFC 8058) posts
    # with no page and so no token; the link's own secret token is what it stands on.
    assert visitor.post(f"/en/reports/unsubscribe/{follow.token}/").status_code == 200
    follow.refresh_from_db()
    assert follow.unsubscribed_at is not None

    # With the token from the page, the same dispute goes through.
    page = visitor.get(tracking).content.decode()
    answer = visitor.post(tracking, {"comment": "Досі не горить",
                                     "csrfmiddlewaretoken": token_of(page)})  # fmt: skip
    assert answer.status_code in (200, 302)
    resolved.refresh_from_db()
    assert resolved.disputed_at is not None


@pytest.mark.django_db
def test_the_api_refuses_a_session_action_without_the_header(pokrovsk, moderator):
    report = file_report()
    staff = checking()
    staff.force_login(moderator)
    url = f"/api/v1/reports/{report.pk}/reject/"
    refused = staff.post(url, {"ground": "not_a_problem"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    report.refresh_from_db()
    assert report.state == "new"

    token = staff.get("/en/staff/moderation/").cookies["csrftoken"].value
    done = staff.post(url, {"ground": "not_a_problem"}, content_type="application/json",
                      headers={"X-CSRFToken": token})  # fmt: skip
    assert done.status_code == 200, done.content
    report.refresh_from_db()
    assert report.state == "rejected"
