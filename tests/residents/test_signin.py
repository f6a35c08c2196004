"""Signing in by a link mailed to the address: one use, 15 minutes, the same answer for any
address, rate-limited per client, per network address and (silently) per e-mail."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings as project_settings
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from geoportal.residents.models import Resident, SignInLink, hash_token
from tests.residents.conftest import ask, link_path, sign_in

pytestmark = pytest.mark.django_db

EMAIL = "olha.resident@example.org"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def test_a_link_signs_in_once_and_makes_the_account(pokrovsk):
    client = Client()
    answer = sign_in(client, "Olha.Resident@Example.org")
    assert answer.status_code == 302 and answer["Location"] == "/residents/reports/"
    resident = Resident.objects.get()
    assert resident.email == EMAIL  # kept in lower case, whatever was typed
    assert not resident.user.has_usable_password() and not resident.user.is_staff
    assert client.get("/residents/reports/").status_code == 200


def test_only_the_hash_of_a_token_is_stored(pokrovsk):
    ask(Client(), EMAIL)
    token = link_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    link = SignInLink.objects.get()
    assert link.token_hash == hash_token(token) and token not in link.token_hash
    assert not SignInLink.objects.filter(token_hash=token).exists()


def test_opening_the_link_does_not_spend_it(pokrovsk):
    """A mail program that opens links to check them signs nobody in."""
    client = Client()
    ask(client, EMAIL)
    path = link_path(mail.outbox[0])
    assert Client().get(path).status_code == 200
    assert Client().get(path).status_code == 200
    assert SignInLink.objects.get().used_at is None
    assert client.post(path).status_code == 302


def test_the_answer_is_the_same_whatever_the_address(pokrovsk, moderator):
    """An address with reports and an account, a new one and a staff one: the same page."""
    from tests.reports.conftest import file_report

    file_report(reporter_email=EMAIL)
    sign_in(Client(), EMAIL)  # EMAIL now has an account and a report
    answers = []
    for email in (EMAIL, "nobody.yet@example.org", moderator.email):
        client = Client()
        answer = ask(client, email)
        page = client.get(answer["Location"])
        text = CSRF.sub("", page.content.decode())  # each client's own token
        answers.append((answer.status_code, answer["Location"], text))
    assert answers[0] == answers[1] == answers[2]


def test_a_staff_address_gets_no_link(pokrovsk, moderator):
    """A link never signs a member of staff in past their password and code."""
    mail.outbox.clear()
    ask(Client(), moderator.email.upper())
    (note,) = mail.outbox
    assert "/login/" in note.body and "/residents/sign-in/" not in note.body
    assert not SignInLink.objects.exists()


@dataclass(frozen=True)
class Bad:
    name: str
    path: Any  # (token of a fresh link) → the path to open
    later: timedelta = timedelta(0)
    spend_first: bool = False
    reason: str = ""


BAD_LINKS = [
    Bad("expired", lambda t: f"/en/residents/sign-in/{t}/", timedelta(minutes=15, seconds=1),
        reason="has expired"),
    Bad("reused", lambda t: f"/en/residents/sign-in/{t}/", spend_first=True,
        reason="was used already"),
    Bad("tampered", lambda t: f"/en/residents/sign-in/{t[:-1]}{'A' if t[-1] != 'A' else 'B'}/",
        reason="is not valid"),
    Bad("truncated", lambda t: f"/en/residents/sign-in/{t[:20]}/", reason="is not valid"),
    Bad("made up", lambda t: "/en/residents/sign-in/not-a-token/", reason="is not valid"),
]  # fmt: skip


@pytest.mark.parametrize("bad", BAD_LINKS, ids=[b.name for b in BAD_LINKS])
def test_a_bad_link_signs_nobody_in(pokrovsk, bad: Bad):
    _link, token = SignInLink.issue(EMAIL)
    if bad.spend_first:
        assert Client().post(f"/residents/sign-in/{token}/").status_code == 302
    client = Client()
    with time_machine.travel(timezone.now() + bad.later):
        shown = client.get(bad.path(token))
        pressed = client.post(bad.path(token))
    for answer in (shown, pressed):
        assert answer.status_code == 400
        assert bad.reason in answer.content.decode()
        assert "/residents/sign-in/" in answer.content.decode()  # ask for a new one
    assert "_auth_user_id" not in client.session
    assert client.get("/residents/reports/").status_code == 302


def test_a_link_works_until_its_fifteenth_minute(pokrovsk):
    _link, token = SignInLink.issue(EMAIL)
    with time_machine.travel(timezone.now() + timedelta(minutes=14, seconds=59)):
        assert Client().post(f"/residents/sign-in/{token}/").status_code == 302


ERRORS = {"Give the e-mail you file reports with.",
          "Give an e-mail address such as name@example.org.",
          "An e-mail address has at most 254 characters."}  # fmt: skip
BAD_EMAILS = ["", "olha", "olha@", "@example.org", "olha example@example.org",
              "olha@example..org", "a" * 250 + "@example.org"]  # fmt: skip


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_a_wrong_address_is_refused_in_words(pokrovsk, email: str):
    with translation.override("en"):
        answer = ask(Client(), email, "en")
    assert answer.status_code == 400
    error = re.search(
        r'<p id="email-error" class="field-error" role="alert">([^<]+)</p>', answer.content.decode()
    )
    assert error and error.group(1) in ERRORS, answer.content.decode()
    assert not mail.outbox and not SignInLink.objects.exists()


def limits(settings: Any, client: str, address: str, email: str) -> None:
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {
        **project_settings.RATE_LIMITS,
        "resident_link": {"client": client, "address": address},
    }
    settings.RATE_RESIDENT_LINK_EMAIL = email


def test_one_client_asking_too_often_is_told_when_to_retry(pokrovsk, settings):
    limits(settings, "2/hour", "100/hour", "100/hour")
    client = Client()
    answers = [ask(client, f"person{n}@example.org", "en") for n in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert "Too many sign-in links were asked for from this device" in answers[2].content.decode()
    assert len(mail.outbox) == 2


def test_one_network_address_has_a_ceiling(pokrovsk, settings):
    limits(settings, "100/hour", "2/hour", "100/hour")
    answers = [ask(Client(REMOTE_ADDR="198.51.100.7"), f"p{n}@example.org") for n in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert ask(Client(REMOTE_ADDR="198.51.100.8"), "p9@example.org").status_code == 302


def test_one_address_gets_few_mails_and_the_page_does_not_say_so(pokrovsk, settings):
    """Past the e-mail's limit the page answers the same and nothing is sent: no mailbox is
    flooded, and nobody learns how often an address was asked for."""
    limits(settings, "100/hour", "100/hour", "2/hour")
    answers = [ask(Client(REMOTE_ADDR=f"198.51.100.{n}"), EMAIL) for n in range(4)]
    assert [a.status_code for a in answers] == [302] * 4
    assert len({a["Location"] for a in answers}) == 1
    assert len(mail.outbox) == 2
    assert ask(Client(), "someone.else@example.org").status_code == 302
    assert len(mail.outbox) == 3


def test_the_mail_is_in_the_language_of_the_page(pokrovsk):
    ask(Client(), EMAIL, "en")
    ask(Client(), "inna@example.org")
    english, ukrainian = mail.outbox
    assert english.subject == "Your sign-in link" and "15 minutes" in english.body
    assert "/en/residents/sign-in/" in english.body
    assert ukrainian.subject == "Ваше посилання для входу" and "15 хвилин" in ukrainian.body


def test_expired_links_are_forgotten(pokrovsk):
    from geoportal.residents.signin import forget_expired

    SignInLink.issue(EMAIL)
    assert forget_expired() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert forget_expired() == 1


def test_two_first_links_of_one_address_make_one_account(pokrovsk):
    """Two links asked for before the first sign-in, both used: one account."""
    first, second = (SignInLink.issue(EMAIL)[1] for _ in range(2))
    assert Client().post(f"/residents/sign-in/{first}/").status_code == 302
    assert Client().post(f"/residents/sign-in/{second}/").status_code == 302
    assert Resident.objects.count() == 1


def test_an_account_made_meanwhile_is_the_one_signed_in(pokrovsk):
    """The race of two first sign-ins: the second to write finds the first's account (the
    unique e-mail refuses a second one) instead of failing."""
    from geoportal.residents.signin import _new_resident

    first = _new_resident(EMAIL)
    assert _new_resident(EMAIL) == first
    assert Resident.objects.count() == 1
