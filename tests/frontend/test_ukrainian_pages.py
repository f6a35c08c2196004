"""Ukrainian pages show no English and no raw codes (issue 17, "Language").

Every role of the permission matrix (tests/security/permission_matrix.py) opens every
Ukrainian HTML page its rows let that role GET, then every page those pages link to within
the site (one step further); the visible text of each page (no <script>, <style> or
attributes) is searched for Latin-script words. Words of the allow-list (names of products
and standards, units, the cast's own names) and URLs or e-mail addresses pass; any other
Latin word is reported with its page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from tests.security.permission_matrix import MATRIX, ROLES, Row
from tests.security.world import World, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Latin words a Ukrainian page may show, each for a reason.
ALLOWED = {
    # Products, formats and standards named as they are spelt everywhere.
    "OpenStreetMap", "Leaflet", "GeoJSON", "CSV", "JSON", "API", "OGC", "Open311",
    "PostGIS", "GeoPackage", "GPKG", "Shapefile", "KML", "DCAT", "XML", "MVT", "PNG",
    "JPEG", "PDF", "HTML", "SVG", "WGS", "EPSG", "CC", "BY", "OSM", "KATOTTH", "TOTP",
    "QR", "ID", "OpenAPI", "Swagger", "WebP", "XLSX",
    "Features",  # «OGC API – Features», the standard's name
    "otp_token",  # the API's field name, quoted on the two-factor page
    "contributors",  # «© OpenStreetMap contributors», the licence's own words
    # Two-factor apps a person installs, by their names in the app stores.
    "Google", "Authenticator", "Aegis", "FreeOTP",
    # The language switcher names each language in its own language.
    "English",
    # The test world's people (usernames are the accounts' names, shown as typed).
    "resident_olha", "moderator_oksana", "worker_ivan", "worker_maria", "head_petro",
    "planner_andrii", "coordinator_natalia", "admin_root", "totp_owner",
    # The test world's markers (tests/security/world.py) and reporters' contacts.
    "Contactmarker", "Alpha", "Bravo", "Novel", "Oscar", "Matrix", "client",
    "internal-note-alpha-5150", "internal-note-bravo-5150", "internal-note-novel-5150",
}  # fmt: skip
# A word of Latin letters (with digits, hyphens, dots or underscores inside it).
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]")
URL_OR_EMAIL = re.compile(
    r"\S+@\S+\.\w+|https?://\S+|www\.\S+|\S+\.(?:org|ua|com|net)\S*"
    r"|\S+\.(?:json|geojson|csv|xml|gpkg|zip)\b"  # a file's name ("catalog.json")
)
# Links not followed: the API and data endpoints, files, the admin's, other languages.
NOT_PAGES = re.compile(
    r"^/(?:en/|api/|ogc/|open311/|tiles/|photos/|media/|static/|i18n/|health/|admin/)"
    r"|\.(?:csv|json|geojson|xml|mvt|jpg|png|pdf|gpkg|zip)$"
)
SKIPPED_TAGS = {"script", "style", "template", "noscript"}
# Codes a person copies rather than reads (a two-factor secret) are marked up as such.
CODE_TAGS = {"code", "kbd", "samp"}
VOID_TAGS = {"input", "img", "br", "hr", "meta", "link", "source", "area", "wbr"}


class VisibleText(HTMLParser):
    """The text a person reads on the page, and the site's links on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipping = 0
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hidden = tag in SKIPPED_TAGS or tag in CODE_TAGS or ("translate", "no") in attrs
        if hidden and tag not in VOID_TAGS:
            self._skipping += 1
            self._open.append(tag)
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def latin_words(text: str) -> set[str]:
    text = URL_OR_EMAIL.sub(" ", text)
    return {word for word in LATIN.findall(text) if word not in ALLOWED}


def seed_paths(role: str, world: World) -> list[str]:  # noqa: F811
    """The Ukrainian pages (not the API, not the admin) the matrix lets the role GET."""
    rows: list[Row] = [
        row
        for row in MATRIX
        if row.method == "GET" and role in row.allow and not NOT_PAGES.match(row.path)
    ]
    return sorted({world.fill(row.path) for row in rows})


def crawl(client: Client, seeds: list[str], refused: list[str]) -> Iterator[tuple[str, str]]:
    """(path, visible text) of each HTML page of the seeds and of the pages they link to.
    A seed must open (else it is put in `refused`); a link that refuses the role (the header's
    staff link for a resident) is scanned as the refusal page the person is shown."""
    seen: set[str] = set()
    queue = [(path, 0) for path in seeds]
    while queue:
        path, depth = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        if response.status_code != 200 and depth == 0:
            refused.append(f"{path} ({response.status_code})")
        parser = VisibleText()
        parser.feed(response.content.decode())
        yield path, " ".join(parser.parts)
        if depth > 0 or response.status_code != 200:
            continue
        for href in parser.links:
            parts = urlsplit(urljoin(path, href))
            if parts.netloc in ("", "testserver") and not NOT_PAGES.match(parts.path):
                link = parts.path + (f"?{parts.query}" if parts.query else "")
                queue.append((link, depth + 1))


@pytest.mark.parametrize("role", ROLES)
def test_ukrainian_pages_show_no_latin_words(world: World, role: str):  # noqa: F811
    client = world.client(role)
    client.cookies["django_language"] = "uk"
    found: dict[str, set[str]] = {}
    pages, refused = 0, list[str]()
    for path, text in crawl(client, seed_paths(role, world), refused):
        pages += 1
        words = latin_words(text)
        if words:
            found[path] = words
    assert not refused, f"pages {role} should open but do not: {refused}"
    assert pages >= 3, f"{role} reached only {pages} pages"
    listing = "\n".join(f"  {path}: {sorted(words)}" for path, words in sorted(found.items()))
    assert not found, (
        f"Latin words on {len(found)} of {pages} Ukrainian pages of {role}:\n{listing}"
    )
