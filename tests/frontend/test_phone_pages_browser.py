"""Every page fits a phone (issue 17, "Mobile first, on every page").

The pages are those of the scan of the Ukrainian pages (tests/frontend/pages.py): every
page each role of the permission matrix may GET, and the pages they link to, as the roles
of tests/security/world.py see them. Each is opened in Debian's Chromium at 360×740 in
Ukrainian and in English, and at 390×844 in Ukrainian (the staff pages in Ukrainian at
1280×800 too: a test per screen and language), and must not be wider than the screen: the
page may not scroll sideways (a wide table scrolls inside its own .table-wrap). A failure
names the widest elements that stick out.

One browser; a context per role, size and language, signed in once with the role's session
from the world. What two roles are shown alike (the same HTML but for tokens) is opened for
the first of them only: a page whose content and header were both seen already is skipped.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings

from tests.conftest import close_settled
from tests.frontend.conftest import screenshot
from tests.frontend.pages import CrawledPage, crawl, seed_paths
from tests.reports.conftest import file_report
from tests.security.permission_matrix import ROLES
from tests.security.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = ((360, 740), (390, 844))
# The staff pages in Ukrainian (the longest words) are also opened on a desktop screen.
DESKTOP = (1280, 800)
# Each page in Ukrainian on this phone is also kept as a screenshot (tests/screenshots/).
PICTURED = ("uk", 390)

# How wide the page is, and the outermost elements that stick out past the screen's edge
# (an element wider than its parent allows, not each of its children; not one that scrolls
# inside a frame of its own), widest first.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.scrollingElement.scrollWidth;
  const sticking = [];
  const out = (element) => element.getBoundingClientRect().right > width + 0.5;
  const clipped = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible" && !out(up)) return true;
    }
    return false;
  };
  if (scrollWidth > width) {
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || !out(element)) continue;
      if (element.parentElement !== document.body && out(element.parentElement)) continue;
      if (clipped(element)) continue;
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map((c) => "." + c).join("");
      sticking.push({ name, right: Math.round(box.right), width: Math.round(box.width) });
    }
    sticking.sort((a, b) => b.right - a.right);
  }
  return { width, scrollWidth, sticking: sticking.slice(0, 5) };
}"""


def pages_by_role(world: World) -> dict[str, list[CrawledPage]]:
    """The crawl's pages of each role that show something not shown before: a page's
    content, or a header (each role's, with each page's tools) that no page opened so far
    had. Whatever is shown alike to two roles is opened for the first of them only."""
    contents: set[str] = set()
    frames: set[str] = set()
    found: dict[str, list[CrawledPage]] = {}
    for role in ROLES:
        refused: list[str] = []
        found[role] = []
        for page in crawl(world.client(role), seed_paths(role, world), refused):
            if page.content not in contents or page.frame not in frames:
                contents.add(page.content)
                frames.add(page.frame)
                found[role].append(page)
        assert not refused, f"pages {role} should open but do not: {refused}"
    return found


def wait_for_map_data(tab: Any) -> None:
    """A map page fills its list of reports after loading; wait for it (the list is the
    widest thing it adds)."""
    if tab.locator("#city-map-panel").count():
        tab.locator("#city-map-panel[data-reports-drawn][data-reports-listed]").wait_for(
            state="attached"
        )


def overflow_of(tab: Any, url: str, picture: str | None = None) -> str | None:
    tab.goto(url)
    wait_for_map_data(tab)
    if picture:
        screenshot(tab, picture)
    found = tab.evaluate(OVERFLOW)
    if found["scrollWidth"] <= found["width"]:
        return None
    culprits = ", ".join(f"{item['name']} (to {item['right']} px)" for item in found["sticking"])
    return f"{found['scrollWidth']} px wide: {culprits}"


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The permission matrix's world, committed so that the live server sees it."""
    return build_world()


# The crawl's screens, a test each so that the parallel workers share them (the world and
# the crawl, ~10 s, are made again by each), and the staff pages in Ukrainian on a desktop
# screen.
# English only on the narrower phone: no style rule changes between 360 and 390 px, so a
# page that fits 360 px fits 390 px too; Ukrainian on both, 390 px kept as screenshots.
SCREENS = [*(("uk", *phone) for phone in PHONES), ("en", *PHONES[0]), ("uk", *DESKTOP)]


@pytest.mark.slow
@pytest.mark.parametrize(("language", "width", "height"), SCREENS)
def test_no_page_is_wider_than_a_phone(
    live_server: Any,
    browser: Any,
    live_world: World,
    offline_tiles: str,
    language: str,
    width: int,
    height: int,
) -> None:
    started = time.monotonic()
    pages = pages_by_role(live_world)
    wide: list[str] = []
    opened = 0
    prefix = "" if language == "uk" else "/en"
    for role, role_pages in pages.items():
        checked = role_pages
        if (width, height) == DESKTOP:
            checked = [page for page in role_pages if page.path.startswith("/staff/")]
        if not checked:
            continue
        context = browser.new_context(viewport={"width": width, "height": height})
        if role in live_world.sessions:
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": live_world.sessions[role]}
            context.add_cookies([{**cookie, "url": live_server.url}])
        tab = context.new_page()
        for page in checked:
            opened += 1
            picture = None
            if (language, width) == PICTURED:
                picture = f"phone-{role}-" + page.path.strip("/").replace("/", "-")[:60]
            problem = overflow_of(tab, f"{live_server.url}{prefix}{page.path}", picture)
            if problem:
                wide.append(f"{language} {width}×{height} {role} {page.path}: {problem}")
        close_settled(context)
    distinct = sum(len(role_pages) for role_pages in pages.values())
    print(f"{distinct} pages, {opened} opened in {time.monotonic() - started:.1f} s")
    assert distinct >= 25, f"only {distinct} distinct pages found"
    if (width, height) == DESKTOP:
        assert opened >= 10, f"only {opened} staff pages opened on the desktop screen"
    listing = "\n".join(wide)
    assert not wide, f"{len(wide)} of {opened} pages scroll sideways:\n{listing}"


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_the_home_map_fills_a_phone_and_its_panel_opens_and_closes(
    live_server: Any,
    browser: Any,
    offline_tiles: str,
    pokrovsk: Any,
    moderator: Any,
    width: int,
    height: int,
) -> None:
    report = file_report(title="Яма біля школи")
    report.approve(moderator)
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/")
    tab.locator("#city-map-panel[data-reports-drawn]").wait_for(state="attached")
    box = tab.locator("#city-map").bounding_box()
    assert box is not None
    assert box["y"] <= 200, f"the map starts {box['y']} px down"
    assert box["y"] + box["height"] >= height * 0.9, "the map does not fill the first screen"
    assert box["width"] == pytest.approx(width, abs=1)

    # The header's menu: closed, opened by its button, closed by Escape.
    menu_button = tab.locator("#menu-button")
    assert menu_button.get_attribute("aria-expanded") == "false"
    assert not tab.locator(".language-switch").is_visible()
    menu_button.click()
    assert menu_button.get_attribute("aria-expanded") == "true"
    assert tab.locator(".language-switch").is_visible()
    tab.keyboard.press("Escape")
    assert menu_button.get_attribute("aria-expanded") == "false"

    # The panel: a disclosure button over the map, by keyboard; Escape closes it and gives
    # the focus back.
    button = tab.locator("#map-side-button")
    side = tab.locator("#map-side")
    assert button.get_attribute("aria-expanded") == "false"
    assert not side.is_visible()
    button.focus()
    tab.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert tab.locator("#search-input").is_visible()
    assert tab.evaluate("() => document.activeElement.id") == "map-side-title"
    tab.keyboard.press("Tab")
    tab.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not side.is_visible()
    assert tab.evaluate("() => document.activeElement.id") == "map-side-button"
    # Its close button too.
    button.click()
    tab.locator("#map-side-close").click()
    assert not side.is_visible()
    assert tab.evaluate("() => document.scrollingElement.scrollWidth") <= width

    # The reports in view, below the map: a link with category, state and date, and a
    # button that shows the report on the map and moves the focus into its card.
    tab.locator("#city-map-panel[data-reports-listed='1']").wait_for(state="attached")
    item = tab.locator("#report-list li")
    assert item.count() == 1
    link = item.get_by_role("link", name="Яма біля школи")
    assert link.get_attribute("href").endswith(f"/reports/{report.pk}/")
    text = item.inner_text()
    assert "Вуличне освітлення" in text and "Передано виконавцю" in text
    assert f"подано {report.created_at.day} " in text and str(report.created_at.year) in text
    assert tab.locator("#report-list-count").inner_text() == "Звернень на видимій частині мапи: 1"
    item.get_by_role("button", name="Показати на мапі").focus()
    tab.keyboard.press("Enter")
    tab.locator(".leaflet-popup .report-card").wait_for()
    assert tab.evaluate("() => document.activeElement.closest('.report-card') !== null")
    assert tab.locator(".report-marker.state-routed .report-pin").count() == 1
    close_settled(context)
