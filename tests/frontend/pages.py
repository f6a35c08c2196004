"""Every page each role of the permission matrix may open: the seeds are the matrix's GET
rows the role is allowed (tests/security/permission_matrix.py), and the crawl adds every
page those pages link to within the site (one step further).

Shared by the scan of the Ukrainian pages for English (test_ukrainian_pages.py) and the
phone-width browser test (test_phone_pages_browser.py), so both cover the same pages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client

from tests.security.permission_matrix import MATRIX, Row
from tests.security.world import World

# Links not followed: the API and data endpoints, files, the admin's, other languages.
NOT_PAGES = re.compile(
    r"^/(?:en/|api/|ogc/|open311/|tiles/|photos/|media/|static/|i18n/|health/|admin/)"
    r"|\.(?:csv|json|geojson|xml|mvt|jpg|png|pdf|gpkg|zip)$"
)
SKIPPED_TAGS = {"script", "style", "template", "noscript"}
# Codes a person copies rather than reads (a two-factor secret) are marked up as such.
CODE_TAGS = {"code", "kbd", "samp"}
VOID_TAGS = {"input", "img", "br", "hr", "meta", "link", "source", "area", "wbr"}
# What differs between two answers of the same page and is never shown: a script's nonce and
# hidden fields' values (a form's token, the path the language switch comes back to).
PER_ANSWER = re.compile(rb'(nonce|type="hidden" value|name="csrfmiddlewaretoken" value)="[^"]*"')
MAIN = re.compile(rb"<main\b.*</main>", re.DOTALL)
HEADER = re.compile(rb"<header\b.*?</header>", re.DOTALL)


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


@dataclass(frozen=True)
class CrawledPage:
    """A page as the crawl found it: its path (Ukrainian, without a language prefix), the
    status it answered with after redirects, the text a person reads on it, and digests of
    its HTML, the same for every role shown the same thing: of its <main> (`content`) and of
    its site header (`frame`)."""

    path: str
    status: int
    text: str
    content: str
    frame: str


def _digests(html: bytes) -> tuple[str, str]:
    html = PER_ANSWER.sub(b"", html)
    main, header = MAIN.search(html), HEADER.search(html)
    content = main.group(0) if main else html
    frame = header.group(0) if header else b""
    return hashlib.sha256(content).hexdigest(), hashlib.sha256(frame).hexdigest()


def seed_paths(role: str, world: World) -> list[str]:
    """The Ukrainian pages (not the API, not the admin) the matrix lets the role GET."""
    rows: list[Row] = [
        row
        for row in MATRIX
        if row.method == "GET" and role in row.allow and not NOT_PAGES.match(row.path)
    ]
    return sorted({world.fill(row.path) for row in rows})


def crawl(client: Client, seeds: list[str], refused: list[str]) -> Iterator[CrawledPage]:
    """Each HTML page of the seeds and of the pages they link to.
    A seed must open (else it is put in `refused`); a link that refuses the role (the header's
    staff link for a resident) is kept as the refusal page the person is shown."""
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
        content, frame = _digests(response.content)
        yield CrawledPage(path, response.status_code, " ".join(parser.parts), content, frame)
        if depth > 0 or response.status_code != 200:
            continue
        for href in parser.links:
            parts = urlsplit(urljoin(path, href))
            if parts.netloc in ("", "testserver") and not NOT_PAGES.match(parts.path):
                link = parts.path + (f"?{parts.query}" if parts.query else "")
                queue.append((link, depth + 1))
