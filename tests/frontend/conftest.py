"""Helpers of the browser tests: people signing in, photos, screenshots, axe-core."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image

from tests.cast import PASSWORD, join, make_user

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"  # git-ignored
AXE = Path(settings.BASE_DIR) / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(autouse=True)
def media(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Path:
    """A media folder of the test's own; a test on the security world keeps the world's,
    where its permit documents and photos were written (the crawls open them)."""
    if "world" not in request.fixturenames:
        settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def photo_file(name: str = "street.jpg") -> dict[str, Any]:
    image = Image.new("RGB", (640, 480), "#556677")
    out = BytesIO()
    image.save(out, "JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": out.getvalue()}


def screenshot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(browser: Any, live_server: Any, user: Any, **context: Any) -> Any:
    """A new browser context with `user` signed in through the sign-in page."""
    options = {"viewport": {"width": 1280, "height": 900}, **context}
    tab = browser.new_context(**options).new_page()
    tab.goto(f"{live_server.url}/en/login/")
    tab.fill("#id_username", user.username)
    tab.fill("#id_password", PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(lambda url: "/login/" not in url)
    return tab


def serious_accessibility_problems(page: Any) -> list[str]:
    """axe-core's violations of serious or critical impact on the page as it is now."""
    # Served as if from the site itself: the Content-Security-Policy refuses inline scripts.
    page.route("**/__axe-core__.js", lambda route: route.fulfill(path=AXE))
    page.add_script_tag(url="/__axe-core__.js")
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    found = json.loads(result)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in {"serious", "critical"}
    ]


def watch_dialogs(page: Any) -> list[str]:
    """Collect any alert/confirm dialog (and dismiss it): there must be none."""
    opened: list[str] = []

    def record(dialog: Any) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


# The permit department's head and another hromada's permit officer (tests of the permits
# console; worker_arch of tests/cast.py is the officer).
@pytest.fixture
def head_arch(arch: Any) -> Any:
    return join(make_user("head_arch_yurii", arch.municipality, is_staff=True), arch, "head")


@pytest.fixture
def officer_pokrov(pokrov: Any) -> Any:
    """The permit officer of another hromada (its own arch department)."""
    arch = pokrov.departments.get(code="arch")
    return join(make_user("officer_pokrov", pokrov, is_staff=True), arch, "worker")
