"""Measure 9: a resident on a phone with a weak connection sends a report with one camera
photo (4000×3000, ~5 MB, EXIF GPS and orientation) through the report form in Debian's
Chromium, the network throttled through the DevTools protocol (1.5 Mbit/s up, 5 Mbit/s
down, 70 ms latency). Timed from tapping Send to the confirmation; the photo was read and
downsized in the browser when chosen (timed apart). The old page sent the full photo twice
(once to read its GPS, once with the report): that upload time is computed from the
photo's size at the same throttle, not measured."""

from __future__ import annotations

import time
from typing import Any

from tests.frontend.camera_photo import camera_photo
from tests.perf.cases import CENTRE, Row, _static_file
from tests.perf.database import MUNICIPALITY
from tests.perf.stats import median

UP_BITS = 1.5e6
DOWN_BITS = 5e6
LATENCY_MS = 70
TARGET_S = 10.0


def _until(check: Any, seconds: float = 120) -> float:
    """Poll in Python (the page's CSP refuses eval); the moment the check held."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if check():
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError("the page never got there")


def _one_send(browser: Any, base: str, photo: bytes) -> tuple[float, float, int]:
    """(seconds to prepare the photo, seconds from Send to the confirmation, bytes sent)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)  # fmt: skip
    page = context.new_page()
    page.route("**/*.png", lambda route: route.abort())  # no outside tile server
    # gunicorn does not serve static files (nginx does in production): hand them over.
    page.route("**/static/**", _static_file)
    sent: list[int] = []
    page.on("requestfinished", lambda request: sent.append(request.sizes()["requestBodySize"])
            if request.method == "POST" else None)  # fmt: skip
    page.goto(f"{base}/en/m/{MUNICIPALITY}/report/")
    page.locator("#report-map path").first.wait_for(state="attached", timeout=60_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN_BITS / 8,
              "uploadThroughput": UP_BITS / 8})  # fmt: skip
    page.fill("#id_lat", str(CENTRE[0]))
    page.fill("#id_lon", str(CENTRE[1]))
    page.press("#id_lon", "Tab")
    page.select_option("#id_category", "roads")
    page.fill("#id_title", "Яма на тротуарі")
    page.fill("#id_description", "Глибока яма біля зупинки.")
    chosen = time.perf_counter()
    page.set_input_files("#id_photos", {"name": "IMG_2041.jpg", "mimeType": "image/jpeg",
                                        "buffer": photo})  # fmt: skip
    ready = _until(lambda: "ready" in page.locator("#photo-list").inner_text())
    tapped = time.perf_counter()
    page.get_by_role("button", name="Send the report").click()
    done = _until(lambda: page.locator("#confirmation").is_visible())
    context.close()
    return ready - chosen, done - tapped, sent[-1] if sent else 0


def measure(base: str, rounds: int = 3) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    photo = camera_photo((CENTRE[0] + 0.001, CENTRE[1] + 0.001))
    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _round in range(rounds):
            runs.append(_one_send(browser, base, photo))
        browser.close()
    prepare = median([run[0] for run in runs])
    send = median([run[1] for run in runs])
    body = int(median([run[2] for run in runs]))
    old = len(photo) * 8 / UP_BITS + LATENCY_MS / 1000  # one full-size upload, computed
    throttle = f"{UP_BITS / 1e6:g} Mbit/s up, {DOWN_BITS / 1e6:g} down, {LATENCY_MS} ms"
    return [
        Row(f"9. report with one 4000×3000 camera photo ({len(photo) / 1e6:.1f} MB) from a "
            f"phone in Chromium at {throttle}: Send to confirmation ({body / 1e6:.2f} MB sent)",
            f"{send:.1f} s",
            f"{old:.1f} s (old page: the full photo, computed; it went up twice, {2 * old:.1f} s)",
            f"{send / old:.2f}×", f"< {TARGET_S:g} s", send < TARGET_S),
        Row("9. the photo read (GPS) and downsized in the browser when chosen, before Send",
            f"{prepare:.1f} s", "—", "—", "(while the resident types)", None),
    ]  # fmt: skip
