"""A photo that is not public is gone: every state of a photo × who asks × which URL, on
the local disk (Django sends the file), behind nginx (X-Accel-Redirect) and on S3 (moto).

Each case builds one photo in its state through the real procedure, then asks every URL
that ever named it as every role, and compares the whole table with the one written
here: the file only where the role may see the photo now, 404 everywhere else (never 403:
the answer does not tell the photo exists).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Municipality
from geoportal.reports.models import ReportPhoto
from geoportal.reports.photo_serving.access import GRANT_PARAMETER, grant
from geoportal.reports.photos import check_all
from tests.cast import give_role, join, load_hromada, make_user
from tests.reports.conftest import file_report, jpeg

pytestmark = pytest.mark.django_db

ACCEL = "/internal-media/"
BACKENDS = ("disk", "nginx", "s3")
ROLES = ("anonymous", "resident", "reporter", "moderator", "worker_a", "worker_b",
         "coordinator", "other_moderator", "admin")  # fmt: skip
# The checked URLs (the reporter's carry the grant their tracking page gives), the old
# direct /media/ addresses, and on S3 the object's own plain URL.
URLS = ("image", "thumbnail", "old image", "old thumbnail", "bucket")


@dataclass
class Cast:
    users: dict[str, User]
    sessions: dict[str, str]
    pokrovsk: Municipality
    pokrov: Municipality

    @property
    def moderator(self) -> User:
        return self.users["moderator"]

    @property
    def worker_a(self) -> User:
        return self.users["worker_a"]


@pytest.fixture(scope="module")
def cast(django_db_setup: None, django_db_blocker: Any) -> Iterator[Cast]:
    """tests/cast.py's people, signed in once for the module; each test runs in a savepoint
    of this transaction (pytest-django's `db`), as tests/security/world.py does."""
    with django_db_blocker.unblock(), transaction.atomic():
        pokrovsk, pokrov = load_hromada("pokrovsk"), load_hromada("pokrov")
        zhkg, arch = (pokrovsk.departments.get(code=code) for code in ("zhkg", "arch"))

        def staff(name: str, hromada: Municipality = pokrovsk) -> User:
            return make_user(name, hromada, is_staff=True)

        users = {
            "resident": make_user("resident_olha"),
            "moderator": give_role(staff("moderator_oksana"), Role.MODERATOR),
            "worker_a": join(staff("worker_ivan"), zhkg, "worker"),
            "worker_b": join(staff("worker_maria"), arch, "worker"),
            "coordinator": give_role(staff("coordinator_natalia"), Role.COORDINATOR),
            "other_moderator": give_role(staff("moderator_pokrov", pokrov), Role.MODERATOR),
            "admin": User.objects.create_superuser("admin_root", "root@test.example.org"),
        }
        sessions = {}
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        yield Cast(users, sessions, pokrovsk, pokrov)
        transaction.set_rollback(True)


def _routed(cast: Cast, **fields: Any) -> Any:
    report = file_report(photos=[jpeg()], **fields)
    report.approve(cast.moderator, cast.pokrovsk.departments.get(code="zhkg"))
    return report


def in_moderation(cast: Cast) -> ReportPhoto:
    return file_report(photos=[jpeg()]).photos.get()


def public(cast: Cast) -> ReportPhoto:
    return _routed(cast).photos.get()


def hidden(cast: Cast) -> ReportPhoto:
    report = _routed(cast)
    report.hide_photo(cast.moderator, report.photos.get())
    return report.photos.get()


def redacted_and_hidden(cast: Cast) -> ReportPhoto:
    report = file_report(photos=[jpeg()])
    report.hide_photo(cast.moderator, report.photos.get())
    report.redact(cast.moderator, "Без персональних даних", "Опис без даних.")
    report.approve(cast.moderator, cast.pokrovsk.departments.get(code="zhkg"))
    return report.photos.get()


def rejected_for_personal_data(cast: Cast) -> ReportPhoto:
    """Public once (routed, then returned), then rejected: never public again."""
    report = _routed(cast)
    report.return_to_moderator(cast.worker_a, "Тут чужі персональні дані")
    assert report.photos.get().is_public  # returned reports are on the map
    report.reject(cast.moderator, "personal_data")
    return report.photos.get()


def rejected_not_a_problem(cast: Cast) -> ReportPhoto:
    report = file_report(photos=[jpeg()])
    report.reject(cast.moderator, "not_a_problem")
    return report.photos.get()


def answer_photo(cast: Cast) -> ReportPhoto:
    report = _routed(cast)
    report.accept(cast.worker_a)
    report.resolve(cast.worker_a, "Замінили лампу.", check_all([jpeg(colour="#22aa44")]))
    return report.events.get(action="resolve").photos.get()


def duplicate(cast: Cast) -> ReportPhoto:
    original = _routed(cast)
    report = file_report(photos=[jpeg()])
    report.mark_duplicate(cast.moderator, original)
    return report.photos.get()


def other_hromada(cast: Cast) -> ReportPhoto:
    centre = cast.pokrov.centre
    return file_report(photos=[jpeg()], lat=centre.y, lon=centre.x).photos.get()


def hromada_switched_off(cast: Cast) -> ReportPhoto:
    photo = public(cast)
    Municipality.objects.filter(pk=cast.pokrovsk.pk).update(is_active=False)
    return photo


@dataclass(frozen=True)
class State:
    build: Callable[[Cast], ReportPhoto]
    public: bool
    staff: frozenset[str]  # who sees it signed in, by the report's staff scope
    reporter: bool  # the grant of the reporter's own page opens it


ROUTED_A = frozenset({"moderator", "worker_a", "coordinator", "admin"})
MODERATION = frozenset({"moderator", "coordinator", "admin"})
STATES = {
    "in moderation": State(in_moderation, False, MODERATION, reporter=True),
    "public": State(public, True, ROUTED_A, reporter=True),
    "hidden by a moderator": State(hidden, False, ROUTED_A, reporter=False),
    "redacted, photo hidden": State(redacted_and_hidden, False, ROUTED_A, reporter=False),
    # Returned by department A, then rejected: A's people keep it in their scope.
    "rejected for personal data": State(rejected_for_personal_data, False, ROUTED_A, True),
    "rejected, not a problem": State(rejected_not_a_problem, True, MODERATION, reporter=True),
    "answer's photo": State(answer_photo, True, ROUTED_A, reporter=True),
    "duplicate": State(duplicate, True, MODERATION, reporter=True),
    "another hromada's": State(other_hromada, False, frozenset({"other_moderator", "admin"}), True),
    "hromada switched off": State(hromada_switched_off, False, ROUTED_A, reporter=True),
}


@pytest.fixture
def backend(request: pytest.FixtureRequest, settings: Any) -> str:
    name: str = request.param
    settings.PHOTO_ACCEL_REDIRECT = ACCEL if name == "nginx" else ""
    if name == "s3":
        request.getfixturevalue("s3")
    return name


def clients(cast: Cast) -> dict[str, Client]:
    """A client per role: the reporter holds no account, only the links of their page."""
    asked = {"anonymous": Client(), "reporter": Client()}
    for role, session in cast.sessions.items():
        asked[role] = Client()
        asked[role].cookies[django_settings.SESSION_COOKIE_NAME] = session
    return asked


def url_for(photo: ReportPhoto, url: str, role: str) -> str:
    kind = "thumbnail" if "thumbnail" in url else "image"
    name = str(getattr(photo, kind).name)
    if url == "bucket":
        return default_storage.url(name).split("?")[0]  # the object's address, unsigned
    if url.startswith("old"):
        return f"/media/{name}"
    checked = photo.url_of(kind)
    return f"{checked}?{GRANT_PARAMETER}={grant(photo)}" if role == "reporter" else checked


def fetch(url: str) -> tuple[int, bytes]:
    """A request straight to the S3 server, as a browser following the redirect makes it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback)
            return int(answer.status), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, b""


STORED: dict[str, bytes] = {}  # a stored name is never reused: its bytes never change


def answer(client: Client, photo: ReportPhoto, url: str, role: str, backend: str) -> str:
    """What the role got, in the table's words: sent (with its caching), moved, 404..."""
    kind = "thumbnail" if "thumbnail" in url else "image"
    name = str(getattr(photo, kind).name)
    if name not in STORED:
        with default_storage.open(name) as stored:
            STORED[name] = stored.read()
    data = STORED[name]
    address = url_for(photo, url, role)
    if url == "bucket":
        status, body = fetch(address)
        assert data not in body
        return str(status)
    response = client.get(address)
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    if response.status_code == 404:
        assert data not in body and not response.has_header("X-Accel-Redirect")
        assert not response.has_header("Location")
        return "404"
    caching = {"public, max-age=3600, s-maxage=0": "public", "private, no-store": "private",
               "public, max-age=150, s-maxage=0": "public"}[response["Cache-Control"]]  # fmt: skip
    if url.startswith("old"):
        assert response.status_code == 301, response.status_code
        assert response["Location"] == photo.url_of(kind), response["Location"]
        return f"moved {caching}"
    if backend == "disk":
        assert response.status_code == 200 and body == data and response["ETag"]
    elif backend == "nginx":
        assert response.status_code == 200 and body == b""
        assert response["X-Accel-Redirect"] == ACCEL + name
        assert response["Content-Type"] == "image/jpeg"
    else:
        assert response.status_code == 302, response.status_code
        signed = urlsplit(response["Location"])
        assert signed.path.endswith("/" + name)
        query = parse_qs(signed.query)
        assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
        assert fetch(response["Location"]) == (200, data)
    return f"sent {caching}"


def expected(state: State, role: str, url: str, backend: str) -> str:
    if url == "bucket":
        return "403"  # a plain request to a private object, whoever makes it
    allowed = state.public or role in state.staff
    allowed |= role == "reporter" and state.reporter and not url.startswith("old")
    if not allowed:
        return "404"
    done = "moved" if url.startswith("old") else "sent"
    return f"{done} public" if state.public else f"{done} private"


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("state", STATES)
def test_a_photo_reaches_only_those_who_may_see_it_now(cast, backend, state):
    photo = ReportPhoto.objects.get(pk=STATES[state].build(cast).pk)
    assert photo.is_public is STATES[state].public  # the Python rule says the same
    assert ReportPhoto.objects.public().filter(pk=photo.pk).exists() is STATES[state].public
    urls = URLS if backend == "s3" else URLS[:-1]
    asked = clients(cast)
    got = {(role, url): answer(asked[role], photo, url, role, backend)
           for role in ROLES for url in urls}  # fmt: skip
    wanted = {(role, url): expected(STATES[state], role, url, backend)
              for role in ROLES for url in urls}  # fmt: skip
    assert got == wanted, {
        cell: (got[cell], wanted[cell]) for cell in got if got[cell] != wanted[cell]
    }


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_hide_photo_closes_every_url_of_the_photo(cast, backend):
    photo = public(cast)
    visitor = Client()
    for url in ("image", "thumbnail"):
        assert answer(visitor, photo, url, "anonymous", backend) == "sent public"
    assert answer(visitor, photo, "old image", "anonymous", backend) == "moved public"
    photo.report.hide_photo(cast.moderator, photo)
    photo.refresh_from_db()
    for url in URLS[:-1]:
        assert answer(visitor, photo, url, "anonymous", backend) == "404", url
    # The moderators still need it, through the same checked URL.
    moderator = clients(cast)["moderator"]
    assert answer(moderator, photo, "image", "moderator", backend) == "sent private"


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_rejection_for_personal_data_closes_every_url_of_the_photo(cast, backend):
    report = _routed(cast)
    photo = report.photos.get()
    report.return_to_moderator(cast.worker_a, "Не наше")
    visitor = Client()
    assert answer(visitor, photo, "thumbnail", "anonymous", backend) == "sent public"
    report.reject(cast.moderator, "personal_data")
    for url in URLS[:-1]:
        assert answer(visitor, photo, url, "anonymous", backend) == "404", url


def test_a_public_photo_is_cached_by_browsers_and_revalidated_by_shared_caches(cast):
    photo = public(cast)
    first = Client().get(photo.url_of("image"))
    assert first["Cache-Control"] == "public, max-age=3600, s-maxage=0"
    again = Client().get(photo.url_of("image"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    # Hidden: the same ETag no longer gets a 304, but a 404.
    photo.report.hide_photo(cast.moderator, photo)
    gone = Client().get(photo.url_of("image"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert gone.status_code == 404


def test_the_reporters_page_links_their_photos_with_a_grant_that_expires(cast):
    report = file_report(photos=[jpeg(), jpeg(colour="#aa3322")])
    first, second = report.photos.all()
    report.hide_photo(cast.moderator, second)
    page = Client().get(f"/reports/track/{report.tracking_code}/")
    html = page.content.decode()
    assert f"/photos/{first.pk}/thumbnail.jpg?{GRANT_PARAMETER}=" in html
    assert f"/photos/{second.pk}/" not in html  # the hidden one is not linked at all
    link = html.split(f'src="/photos/{first.pk}/thumbnail.jpg?')[1].split('"')[0]
    thumbnail = f"/photos/{first.pk}/thumbnail.jpg?{link.replace('&amp;', '&')}"
    assert Client().get(thumbnail).status_code == 200
    # The grant opens this photo only, and only for PHOTO_URL_SECONDS.
    token = parse_qs(link)[GRANT_PARAMETER][0]
    assert Client().get(f"/photos/{second.pk}/photo.jpg?grant={token}").status_code == 404
    with time_machine.travel(time.time() + 301):
        assert Client().get(thumbnail).status_code == 404
    # The public page of a report in moderation does not exist.
    assert Client().get(f"/reports/{report.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/layers/../reports/photos/{name}",
        "/media/./reports/photos/{name}",
        "/media/reports//photos/{name}",
        "/media/reports/photos/{name}x",
        "/photos/{missing}/photo.jpg",
        "/photos/{pk}/photo.png",
        "/internal-media/{full}",
    ],
)
def test_guessed_addresses_do_not_reach_a_photo_that_is_not_public(cast, settings, path):
    settings.DEBUG = True  # development serves the public uploads under /media/
    photo = in_moderation(cast)
    name, missing = str(photo.image.name).split("/")[-1], photo.pk + 10**6
    filled = path.format(name=name, pk=photo.pk, missing=missing, full=photo.image.name)
    for role, client in clients(cast).items():
        response = client.get(filled)
        assert response.status_code == 404, (role, filled, response.status_code)


def test_layer_photos_are_public_uploads_served_in_development(settings, media):
    settings.DEBUG = True
    (media / "layers" / "maf").mkdir(parents=True)
    (media / "layers" / "maf" / "kiosk.jpg").write_bytes(jpeg().read())
    assert Client().get("/media/layers/maf/kiosk.jpg").status_code == 200
    (media / "backup.sql").write_text("not an upload anyone should read")
    assert Client().get("/media/backup.sql").status_code == 404  # only the public folders
    settings.DEBUG = False  # in production nginx serves them; Django does not
    assert Client().get("/media/layers/maf/kiosk.jpg").status_code == 404


def test_only_reading_is_allowed(cast):
    photo = public(cast)
    response = Client().post(photo.url_of("image"))
    assert response.status_code == 405


def names(body: bytes, photo: ReportPhoto) -> bool:
    return f"/photos/{photo.pk}/".encode() in body


def test_pages_and_apis_name_a_photo_only_to_those_who_may_see_it(cast):
    report = file_report(photos=[jpeg(), jpeg(colour="#aa3322")])
    shown, hidden_one = report.photos.all()
    report.hide_photo(cast.moderator, hidden_one)
    report.approve(cast.moderator, cast.pokrovsk.departments.get(code="zhkg"))
    asked = clients(cast)
    public_answers = {
        "page": asked["anonymous"].get(f"/reports/{report.pk}/"),
        "API": asked["anonymous"].get(f"/api/v1/reports/{report.pk}/"),
        "Open311": asked["anonymous"].get(f"/open311/v2/requests/{report.pk}.json"),
    }
    for where, response in public_answers.items():
        assert response.status_code == 200, where
        assert names(response.content, shown) and not names(response.content, hidden_one), where
    media_url = json.loads(public_answers["Open311"].content)[0]["media_url"]
    assert media_url == django_settings.SITE_URL + shown.url_of("image")
    # The staff who work on the report get both, the hidden one marked, and can open it.
    staff_pages = {f"/api/v1/reports/{report.pk}/": "moderator",
                   f"/staff/reports/{report.pk}/": "moderator",
                   f"/admin/reports/report/{report.pk}/change/": "admin"}  # fmt: skip
    for page, role in staff_pages.items():
        response = asked[role].get(page)
        assert response.status_code == 200, page
        assert names(response.content, shown) and names(response.content, hidden_one), page
        assert b"/media/reports/" not in response.content, page
    staff = json.loads(asked["moderator"].get(f"/api/v1/reports/{report.pk}/").content)
    listed = {photo["id"]: photo for photo in staff["properties"]["photos"]}
    assert listed[hidden_one.pk]["is_hidden"] is True
    url = urlsplit(listed[hidden_one.pk]["image"]).path
    assert asked["moderator"].get(url).status_code == 200
    assert asked["anonymous"].get(url).status_code == 404


def test_open311_gives_no_media_url_before_the_report_is_public(cast):
    from geoportal.open311.models import ApiKey, Open311Request

    report = file_report(photos=[jpeg()])
    key = ApiKey(name="Міський застосунок")
    value = key.issue()
    key.save()
    Open311Request.objects.create(report=report, api_key=key)
    read_back = Client().get(f"/open311/v2/requests/{report.pk}.json?api_key={value}")
    assert read_back.status_code == 200
    assert json.loads(read_back.content)[0]["media_url"] == ""
    assert not names(read_back.content, report.photos.get())
