"""Ukrainian pages show no English and no raw codes (issue 17, "Language").

Every role of the permission matrix opens every Ukrainian HTML page its rows let that role
GET, then every page those pages link to within the site (tests/frontend/pages.py); the
visible text of each page (no <script>, <style> or attributes) is searched for Latin-script
words. Words of the allow-list (names of products and standards, units, the cast's own
names) and URLs or e-mail addresses pass; any other Latin word is reported with its page.
"""

from __future__ import annotations

import re

import pytest

from tests.frontend.pages import crawl, seed_paths
from tests.security.permission_matrix import ROLES
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
    "Applicantmarker", "Quebec", "Romeo",  # permit applicants (tests/security/world.py)
    "internal-note-alpha-5150", "internal-note-bravo-5150", "internal-note-novel-5150",
    # A law's number as it is cited: «№ 3038-VI» (the convocation, in Roman numerals).
    "VI",
}  # fmt: skip
# A word of Latin letters (with digits, hyphens, dots or underscores inside it).
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]")
URL_OR_EMAIL = re.compile(
    r"\S+@\S+\.\w+|https?://\S+|www\.\S+|\S+\.(?:org|ua|com|net)\S*"
    r"|\S+\.(?:json|geojson|csv|xml|gpkg|zip)\b"  # a file's name ("catalog.json")
)


def latin_words(text: str) -> set[str]:
    text = URL_OR_EMAIL.sub(" ", text)
    return {word for word in LATIN.findall(text) if word not in ALLOWED}


@pytest.mark.parametrize("role", ROLES)
def test_ukrainian_pages_show_no_latin_words(world: World, role: str):  # noqa: F811
    client = world.client(role)
    client.cookies["django_language"] = "uk"
    found: dict[str, set[str]] = {}
    pages, refused = 0, list[str]()
    for page in crawl(client, seed_paths(role, world), refused):
        pages += 1
        words = latin_words(page.text)
        if words:
            found[page.path] = words
    assert not refused, f"pages {role} should open but do not: {refused}"
    assert pages >= 3, f"{role} reached only {pages} pages"
    listing = "\n".join(f"  {path}: {sorted(words)}" for path, words in sorted(found.items()))
    assert not found, (
        f"Latin words on {len(found)} of {pages} Ukrainian pages of {role}:\n{listing}"
    )
