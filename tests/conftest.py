"""Shared fixtures: the named cast (tests/cast.py), an S3 server (tests/s3.py) and a real
Chromium for browser tests.

`make pytest` runs the suite in parallel (pytest-xdist): each worker has its own test
database (pytest-django adds _gw0, _gw1… to its name, and every database a test makes is
named after it), its own temporary folder and so its own cache, exports and media below,
and its own Chromium; every server a test starts takes a free port of its own."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest

from tests.cast import *  # noqa: F403  (the named cast of users and hromadas)
from tests.s3 import s3  # noqa: F401  (photos in a bucket of a moto server on loopback)


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A file cache of the test run's own: tiles or statistics kept by one run (or by the
    developer's server) never answer for the next."""
    from django.conf import settings
    from django.test import override_settings

    location = tmp_path_factory.mktemp("cache")
    own = {
        alias: {**conf, "LOCATION": str(location / alias)}
        for alias, conf in settings.CACHES.items()
    }
    with override_settings(CACHES=own):
        yield


@pytest.fixture(scope="session", autouse=True)
def own_exports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A folder of prebuilt downloads of the test run's own: a file built by the developer's
    worker never answers a test's download (tests that build one use their own folder)."""
    from django.test import override_settings

    with override_settings(EXPORTS_DIR=tmp_path_factory.mktemp("exports")):
        yield


@pytest.fixture(scope="session", autouse=True)
def own_media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A media folder of the test run's own (tests that look at files take their own
    `tmp_path` one): an upload never lands among the developer's demo photos, nor beside
    another worker's when the suite runs in parallel (`make pytest`)."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def language_restored() -> Iterator[None]:
    """The language active before each test, again after it: a request to an /en/ page
    switches the thread's language, and the next test's reverse() would follow it."""
    from django.utils import translation

    language = translation.get_language()
    yield
    translation.activate(language)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first (a minute or more each: the phone crawl, the API fuzz, the
    bench's own run): pytest-xdist hands out the first quarter of the suite to its workers
    in turns and the rest to whichever is free, so started first they run side by side, and
    no worker is left alone with one of them at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


CHROMIUM = "/usr/bin/chromium"
# Flags for a sandboxed, offline machine: no background calls to Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; never a browser Playwright downloads."""
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: `make test` installs chromium"
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (not the live server) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def csp_refusals(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """What the Content-Security-Policy refused in any page of a browser test: must be nothing.

    Chromium reports each refusal on the page's console; every context a test opens from
    the shared browser is watched, and the test fails at its end if anything was refused.
    """
    refused: list[str] = []
    if "browser" not in request.fixturenames:
        yield refused
        return
    browser = request.getfixturevalue("browser")
    opened = type(browser).new_context

    def new_context(*args: object, **kwargs: object) -> object:
        context = opened(browser, *args, **kwargs)
        context.on("console", lambda message: _note_refusal(message, refused))
        return context

    browser.new_context = new_context
    yield refused
    del browser.new_context
    assert not refused, f"the Content-Security-Policy refused: {refused}"


def _note_refusal(message: object, refused: list[str]) -> None:
    text = message.text  # type: ignore[attr-defined]
    if "Content Security Policy" in text:
        refused.append(text)


@pytest.fixture
def offline_tiles(monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the base map at a path of the live server that does not exist, so browser tests
    never reach an outside tile server and exercise the no-tiles case."""
    import leaflet

    url = "/tiles-unavailable/{z}/{x}/{y}.png"
    monkeypatch.setitem(leaflet.app_settings, "TILES", [("Base map", url, {"maxZoom": 19})])
    return url


def close_settled(context: object) -> None:
    """Close a browser context once its pages have no request in flight.

    The live server keeps answering a request (a vector tile, say) after the page that
    asked for it is closed; the database flush that ends a transactional test would then
    deadlock with that query.
    """
    from playwright.sync_api import TimeoutError as PageTimeout

    for tab in context.pages:  # type: ignore[attr-defined]
        with contextlib.suppress(PageTimeout):  # a page that never settles is closed anyway
            tab.wait_for_load_state("networkidle", timeout=15_000)
    context.close()  # type: ignore[attr-defined]


@pytest.fixture
def page(browser: object, offline_tiles: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    close_settled(context)
