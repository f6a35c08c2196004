"""Rate limits, one table per class of hole, counted in PostgreSQL so every process shares
them; a refused request gets 429 with Retry-After and writes nothing.

- Every rate-limited entry point, over its limit, answers 429 with Retry-After and a body
  in the client's language (Ukrainian and English) that names the field (the API's
  `detail`, Open311's `api_key:`) and says when to try again. Every limit of the settings
  must have a row here.
- Many devices behind one address (a mobile carrier's CGNAT, an office's Wi-Fi) are each
  limited on their own, up to the generous ceiling of the address.
- An Open311 key files up to its own hourly limit, set in the admin, from any address;
  two keys never share a counter.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as project_settings
from django.db import connection, connections
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from geoportal.accounts.models import User
from geoportal.core.clientip import client_ip
from geoportal.core.clients import Kind
from geoportal.core.models import RateCounter
from geoportal.core.ratelimit import Rate, check, forget_expired, hit
from geoportal.open311.models import ApiKey
from geoportal.reports.api.views import THROTTLED_ACTIONS
from geoportal.reports.models import Report
from tests.cast import PASSWORD
from tests.reports.conftest import file_report, jpeg, media, new_report_form  # noqa: F401

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Answer

pytestmark = pytest.mark.django_db

CGNAT = "100.64.0.7"  # RFC 6598: the shared address space carriers use for CGNAT
TRY_AGAIN = {"en": "try again", "uk": "спробуйте ще раз"}
emails = itertools.count()


@dataclass(frozen=True)
class Scene:
    """What the rows send to: a public report, a moderator, two Open311 keys."""

    public: int
    moderator: User
    api_key: str
    other_key: str


@pytest.fixture
def scene(pokrovsk, moderator) -> Scene:
    report = file_report()
    report.approve(moderator)
    keys = []
    for name in ("Кол-центр 1580", "Міський застосунок"):
        key = ApiKey(name=name)
        keys.append(key.issue())
        key.save()
    return Scene(report.pk, moderator, *keys)


def limits(settings: Any, client: str, address: str) -> None:
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {scope: {"client": client, "address": address}
                            for scope in project_settings.RATE_LIMITS}  # fmt: skip
    settings.RATE_OPEN311 = client


def page(path: str, lang: str) -> str:
    """A page in the language: Ukrainian is the site's default, without a prefix."""
    return f"/{path}" if lang == "uk" else f"/{lang}/{path}"


def open311(client: Client, scene: Scene, lang: str, fmt: str = "json", key: str = "") -> Answer:
    form = {"api_key": key or scene.api_key, "service_code": "lighting", "lat": 48.2771,
            "long": 37.1772, "description": "Не горить ліхтар біля школи"}  # fmt: skip
    return client.post(f"/open311/v2/requests.{fmt}", form, HTTP_ACCEPT_LANGUAGE=lang)


def held_for_code(client: Client, scene: Scene, lang: str) -> None:
    """The right password of a user with two-factor sign-in on: the code step waits."""
    TOTPDevice.objects.create(user=scene.moderator, name="phone", confirmed=True)
    client.post(page("login/", lang), {"username": scene.moderator.username,
                                       "password": PASSWORD})  # fmt: skip


Send = Callable[[Client, Scene, str], "Answer"]


@dataclass(frozen=True)
class Limited:
    entry: str
    scope: str
    send: Send  # one request, in the language given
    prepare: Callable[[Client, Scene, str], object] = lambda client, scene, lang: None
    names: str = "detail"  # what the answer names: a JSON key, an Open311 field, or "page"
    words: dict[str, str] = field(default_factory=lambda: TRY_AGAIN)
    rates: tuple[str, str] = ("1/hour", "1/hour")  # (per client, per address)


PRECHECK = {"kind": "terrace", "municipality": "pokrovsk", "area_m2": 24,
            "site": {"type": "Point", "coordinates": [37.1772, 48.2771]}}  # fmt: skip


def signed_in_resident(client: Client, scene: Scene, lang: str) -> None:
    """A resident's account signed in, with the form page opened (its device)."""
    from geoportal.residents.models import Resident

    user = User.objects.create_user(f"resident-{lang}", email=f"cafe.{lang}@example.org")
    Resident.objects.create(user=user, email=user.email)
    client.force_login(user)
    client.get(page("permits/apply/maf/", lang))


LIMITED = [
    Limited("report API (JSON, no cookie)", "report", lambda c, s, lang: c.post(
        "/api/v1/reports/", json.dumps(new_report_form()), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=lang)),
    Limited("report form (the page's device)", "report",
            lambda c, s, lang: c.post("/api/v1/reports/", new_report_form(),
                                      HTTP_ACCEPT_LANGUAGE=lang),
            prepare=lambda c, s, lang: c.get(page("report/", lang))),
    Limited("support", "support",
            lambda c, s, lang: c.post(f"/api/v1/reports/{s.public}/support/",
                                      {"email": f"n{next(emails)}@example.org"},
                                      HTTP_ACCEPT_LANGUAGE=lang),
            prepare=lambda c, s, lang: c.get(page(f"reports/{s.public}/", lang))),
    Limited("a photo's location", "photo_location",
            lambda c, s, lang: c.post("/api/v1/reports/photo-location/", {"photo": jpeg()},
                                      HTTP_ACCEPT_LANGUAGE=lang),
            prepare=lambda c, s, lang: c.get(page("report/", lang))),
    Limited("token endpoint", "login",
            lambda c, s, lang: c.post("/api/v1/auth/token/", {
                "username": s.moderator.username, "password": "guess"},
                HTTP_ACCEPT_LANGUAGE=lang)),
    Limited("sign-in page", "login",
            lambda c, s, lang: c.post(page("login/", lang), {
                "username": f"nobody{next(emails)}", "password": "guess"}),
            prepare=lambda c, s, lang: c.get(page("login/", lang)), names="page"),
    Limited("sign-in code step", "login",
            lambda c, s, lang: c.post(page("login/code/", lang), {"otp_token": "000000"}),
            prepare=held_for_code, names="page"),
    Limited("sign-in paused after wrong passwords (django-axes)", "lockout",
            lambda c, s, lang: c.post(page("login/", lang), {
                "username": s.moderator.username, "password": "guess"}),
            names="page", rates=("1000/hour", "1000/hour"),
            words={"en": "Too many wrong passwords", "uk": "Забагато неправильних паролів"}),
    Limited("residents' sign-in link", "resident_link",
            lambda c, s, lang: c.post(page("residents/sign-in/", lang), {
                "email": f"n{next(emails)}@example.org"}),
            prepare=lambda c, s, lang: c.get(page("residents/sign-in/", lang)), names="page"),
    Limited("permit pre-check", "permit_precheck",
            lambda c, s, lang: c.post("/api/v1/permits/precheck/", json.dumps(PRECHECK),
                                      content_type="application/json",
                                      HTTP_ACCEPT_LANGUAGE=lang)),
    Limited("permit application form", "permit_application",
            lambda c, s, lang: c.post(page("permits/apply/maf/", lang), {}),
            prepare=signed_in_resident, names="page"),
    Limited("Open311 POST requests.json", "open311", open311, names="api_key"),
    Limited("Open311 POST requests.xml", "open311",
            lambda c, s, lang: open311(c, s, lang, "xml"), names="api_key"),
]  # fmt: skip


def named(response: Answer, name: str) -> bool:
    text = response.content.decode()
    if name == "page":
        return "text/html" in response["Content-Type"]
    if response["Content-Type"].startswith("text/xml"):
        return f"<description>{name}: " in text
    body = json.loads(text)
    if isinstance(body, list):  # Open311's errors
        return any(str(error["description"]).startswith(f"{name}: ") for error in body)
    return name in body


def test_every_limit_has_a_row():
    """A new rate-limited scope fails here until its refusal is in the table."""
    written = {row.scope for row in LIMITED}
    assert set(project_settings.RATE_LIMITS) | {"open311"} <= written
    assert set(THROTTLED_ACTIONS.values()) <= set(project_settings.RATE_LIMITS)


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("row", LIMITED, ids=[row.entry for row in LIMITED])
def test_over_the_limit_is_429_with_retry_after_in_the_clients_language(
    row: Limited, lang: str, scene: Scene, settings: Any
):
    limits(settings, *row.rates)
    client = Client(raise_request_exception=False)
    row.prepare(client, scene, lang)
    reports, tokens = Report.objects.count(), Token.objects.count()
    answers = [row.send(client, scene, lang) for _ in range(6)]
    refused = next((a for a in answers if a.status_code == 429), None)
    assert refused is not None, [a.status_code for a in answers]
    text = refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 3600, refused.headers
    assert row.words[lang] in text, text[:500]
    assert named(refused, row.names), text[:500]
    if row.scope != "lockout" and row.names == "detail":
        body = refused.json()
        assert body["retry_after"] == int(refused["Retry-After"])
        assert body["counted"] in {kind.value for kind in Kind}
    # Refused requests wrote nothing: at most the one let through was filed.
    assert Report.objects.count() - reports <= 1
    assert Token.objects.count() == tokens


@dataclass(frozen=True)
class Shared:
    entry: str
    scope: str
    page: Callable[[Scene], str]  # the page that gives the browser its device
    send: Callable[[Client, Scene], Answer]
    ok: int


SHARED = [
    Shared("filing a report", "report", lambda s: "/en/report/",
           lambda c, s: c.post("/api/v1/reports/", new_report_form()), 201),
    Shared("a photo's location", "photo_location", lambda s: "/en/report/",
           lambda c, s: c.post("/api/v1/reports/photo-location/", {"photo": jpeg()}), 200),
    Shared("support", "support", lambda s: f"/en/reports/{s.public}/",
           lambda c, s: c.post(f"/api/v1/reports/{s.public}/support/",
                               {"email": f"n{next(emails)}@example.org"}), 200),
    Shared("sign-in", "login", lambda s: "/en/login/",
           lambda c, s: c.post("/en/login/", {"username": f"nobody{next(emails)}",
                                              "password": "guess"}), 200),
]  # fmt: skip


def device_at(address: str, path: str) -> Client:
    """A browser behind `address` that has opened the page (and so has its device)."""
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    client.get(path)
    assert client.cookies["device"]["httponly"], "the device cookie is not httpOnly"
    return client


@pytest.mark.parametrize("row", SHARED, ids=[row.entry for row in SHARED])
def test_devices_behind_one_address_are_limited_each_up_to_the_address_ceiling(
    row: Shared, scene: Scene, settings: Any
):
    limits(settings, "2/hour", "5/hour")
    first, second, third = (device_at(CGNAT, row.page(scene)) for _ in range(3))
    assert [row.send(first, scene).status_code for _ in range(2)] == [row.ok, row.ok]
    own = row.send(first, scene)  # the device's own limit, whatever the address has left
    assert own.status_code == 429 and "from this device" in own.content.decode()
    assert [row.send(second, scene).status_code for _ in range(2)] == [row.ok, row.ok]
    ceiling = row.send(third, scene)  # the 6th request from the address
    assert ceiling.status_code == 429 and "from your network address" in ceiling.content.decode()
    assert row.send(device_at("198.51.100.9", row.page(scene)), scene).status_code == row.ok


def test_a_forged_device_cookie_counts_as_no_device(scene, settings):
    limits(settings, "1/hour", "3/hour")
    client = Client(REMOTE_ADDR=CGNAT, HTTP_ACCEPT_LANGUAGE="en")
    answers = []
    for n in range(4):  # a new unsigned id each time: only the address counts them
        client.cookies["device"] = f"forged{n:018d}"
        answers.append(client.post("/api/v1/reports/", new_report_form()).status_code)
    assert answers == [201, 201, 201, 429]


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        ("2001:db8:7:1::10", "2001:db8:7:1:ffff::99", True),  # one subscriber's /64
        ("2001:db8:7:1::10", "2001:db8:7:2::10", False),  # the next /64: someone else
        ("::ffff:198.51.100.7", "198.51.100.7", True),  # IPv4 written as IPv6
        ("198.51.100.7", "198.51.100.8", False),
    ],
)
def test_an_ipv6_address_counts_by_its_64(scene, settings, first, second, shared):
    """Every address of a /64 is the subscriber's to take: the ceiling counts the /64."""
    limits(settings, "100/hour", "1/hour")
    assert Client(REMOTE_ADDR=first).post("/api/v1/reports/", new_report_form()).status_code == 201
    again = Client(REMOTE_ADDR=second).post("/api/v1/reports/", new_report_form())
    assert again.status_code == (429 if shared else 201)


def test_an_account_is_limited_whatever_its_address(scene, settings, resident):
    limits(settings, "2/hour", "100/hour")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(resident)
    answers = [client.post("/api/v1/reports/", new_report_form(), REMOTE_ADDR=f"198.51.100.{n}")
               for n in range(3)]  # fmt: skip
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[-1].json()["counted"] in {"account", "session"}


KEY_LIMITS = [
    pytest.param(3, None, id="its own limit, set in the admin"),
    pytest.param(None, "2/hour", id="the site's default (RATE_OPEN311)"),
]


@pytest.mark.parametrize(("hourly", "default"), KEY_LIMITS)
def test_an_open311_key_files_its_limit_from_any_address_then_waits(
    hourly: int | None, default: str | None, scene: Scene, settings: Any
):
    limits(settings, "1/hour", "1/hour")  # the web's limits do not apply to a key
    settings.RATE_OPEN311 = default or "30/hour"
    ApiKey.objects.filter(prefix=scene.api_key[:8]).update(hourly_limit=hourly)
    ApiKey.objects.filter(prefix=scene.other_key[:8]).update(hourly_limit=1000)
    allowed = hourly or Rate.parse(default or "").count
    for n in range(allowed):  # one address, then others: the key is what is counted
        client = Client(REMOTE_ADDR=CGNAT if n < 2 else f"198.51.100.{n}")
        answer = open311(client, scene, "en", ("json", "xml")[n % 2])
        assert answer.status_code == 201, answer.content
    for fmt in ("json", "xml"):
        refused = open311(Client(REMOTE_ADDR="203.0.113.99"), scene, "en", fmt)
        assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
        assert "with this API key" in refused.content.decode()
    # The other key, from the same addresses, has a counter of its own.
    assert open311(Client(REMOTE_ADDR=CGNAT), scene, "en", key=scene.other_key).status_code == 201
    assert Report.objects.count() == allowed + 2  # the scene's report and the other key's


def test_the_admin_sets_a_keys_hourly_limit(scene, admin_user):
    key = ApiKey.objects.get(prefix=scene.api_key[:8])
    admin = Client()
    admin.force_login(admin_user)
    url = f"/en/admin/open311/apikey/{key.pk}/change/"
    form = {"name": key.name, "contact": "", "is_active": "on", "hourly_limit": "2000"}
    assert admin.post(url, form).status_code == 302
    key.refresh_from_db()
    assert key.hourly_limit == 2000 and key.rate() == Rate(2000, 3600)
    refused = admin.post(url, {**form, "hourly_limit": "0"})
    assert 'id="id_hourly_limit_error"' in refused.content.decode()
    key.refresh_from_db()
    assert key.hourly_limit == 2000


def test_one_statement_counts_every_identity(settings, resident):
    limits(settings, "10/hour", "100/hour")
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "203.0.113.5"
    request.user = resident
    with CaptureQueriesContext(connection) as queries:
        assert check(request, "report") is None
    assert len(queries) == 1
    assert set(RateCounter.objects.values_list("key", flat=True)) == {
        f"report:account:{resident.pk}", "report:address:203.0.113.5"}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_counts_are_exact_across_connections(settings):
    """Eight requests at once on eight database connections: exactly the limit passes."""
    limits(settings, "100/hour", "5/hour")
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "203.0.113.77"
    results: list[object] = []
    start = threading.Barrier(8)

    def one() -> None:
        start.wait()
        try:
            results.append(check(request, "report"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 5 and len(results) == 8
    assert RateCounter.objects.get(key="report:address:203.0.113.77").hits == 8


def test_windows_end_and_old_counters_go():
    rate = Rate.parse("3/minute")
    assert [hit("k", rate, now=120.0)[0] for _ in range(4)] == [1, 2, 3, 4]
    assert hit("k", rate, now=180.0)[0] == 1  # the next minute starts again
    assert hit("k", rate, now=179.0)[1] == pytest.approx(1.0)
    assert forget_expired() == 2  # both windows ended long ago (1970)
    with pytest.raises(ValueError, match="not a rate"):
        Rate.parse("10 per hour")


def test_client_address_behind_trusted_proxies(settings):
    request = HttpRequest()
    request.META.update({"REMOTE_ADDR": "10.0.0.2",
                         "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.4"})  # fmt: skip
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.4"  # what nginx saw; 6.6.6.6 was forged
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert client_ip(request) == "unknown"
