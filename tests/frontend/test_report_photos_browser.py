"""Photos on a weak connection, in Debian's Chromium: a 4000×3000, ~5 MB camera photo with
EXIF GPS and orientation is read and downsized in the browser and goes up once, with the
report; its place is only offered ("Use where the photo was taken"); the send shows its
progress in percent; a failed send is tried again with the same Idempotency-Key and files
one report; a keyboard places the pin."""

from __future__ import annotations

import email
import email.policy
import time
from io import BytesIO
from typing import Any

import pytest
from PIL import Image

from geoportal.reports.models import Report
from tests.conftest import close_settled
from tests.frontend.camera_photo import camera_photo
from tests.frontend.conftest import screenshot
from tests.frontend.test_journey_browser import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO_GPS = (48.2790, 37.1801)  # inside Pokrovsk
REPORTS = "**/api/v1/reports/"


def camera_file() -> dict[str, Any]:
    return {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": camera_photo(PHOTO_GPS)}


def record_bodies(page: Any) -> list[tuple[str, bytes]]:
    """The report POSTs' bodies as sent (Chromium gives a body holding a file only to an
    intercepted request), with their Content-Type."""
    bodies: list[tuple[str, bytes]] = []

    def record(route: Any) -> None:
        request = route.request
        if request.method == "POST":
            bodies.append((request.headers["content-type"], request.post_data_buffer))
        route.continue_()

    page.route(REPORTS, record)
    return bodies


def sent_photos(body: tuple[str, bytes]) -> list[Image.Image]:
    """The photos in a multipart body the page sent."""
    content_type, data = body
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.message_from_bytes(head + data, policy=email.policy.HTTP)
    photos: list[Image.Image] = []
    for part in message.walk():
        if part.get_param("name", header="content-disposition") == "photos":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            photos.append(Image.open(BytesIO(payload)))
    return photos


def watch_posts(page: Any) -> list[Any]:
    """Every POST the page makes (the report, and any other upload)."""
    posts: list[Any] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    return posts


def throttle(page: Any, upload_mbit: float) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 70, "downloadThroughput": 5e6 / 8,
         "uploadThroughput": upload_mbit * 1e6 / 8},
    )  # fmt: skip


def wait_for_value(read: Any, seconds: float = 30) -> Any:
    """Poll in Python (the site's CSP blocks Playwright's wait_for_function)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := read():
            return value
        time.sleep(0.05)
    raise AssertionError("never happened")


def test_a_phone_sends_the_photo_once_downsized_at_the_place_it_was_taken(
    live_server, browser, offline_tiles, pokrovsk
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)  # fmt: skip
    phone = context.new_page()
    posts = watch_posts(phone)
    bodies = record_bodies(phone)
    phone.goto(f"{live_server.url}/report/")
    phone.locator("#report-map path").first.wait_for(state="attached")
    phone.set_input_files("#id_photos", camera_file())
    use_photo = phone.get_by_role("button", name="Використати місце, де зроблено фото")
    use_photo.wait_for()
    phone.get_by_text("«IMG_2041.jpg»: готово").wait_for()
    screenshot(phone, "report-form-photo-phone-uk")
    use_photo.click()
    phone.get_by_text("Позначка там, де зроблено фото: 48.279000, 37.180100").wait_for()
    phone.select_option("#id_category", "roads")
    phone.fill("#id_title", "Яма")
    phone.fill("#id_description", "Глибока яма на тротуарі.")
    throttle(phone, upload_mbit=4)
    phone.get_by_role("button", name="Надіслати звернення").click()
    seen = wait_for_value(
        lambda: (
            phone.locator("#send-progress").is_visible()
            and "Надсилаємо звернення:" in (text := phone.locator("#send-status").inner_text())
            and "%" in text
            and text
        )
    )
    screenshot(phone, "report-form-progress-phone-uk")
    # The resident can keep editing while it goes.
    assert phone.locator("#id_address").is_editable()
    phone.locator("#confirmation").wait_for(timeout=60_000)

    report = Report.objects.get()
    assert report.location_source == "photo"
    assert (round(report.point.y, 4), round(report.point.x, 4)) == PHOTO_GPS
    # Once: one request carried the photo, none read its location apart.
    assert [post.url.split("/api/v1/")[-1] for post in posts] == ["reports/"]
    (sent,) = sent_photos(bodies[0])
    # Downsized to 2560 px with the EXIF orientation applied (shown upright: portrait),
    # the sensor's top-left mark now at the top right.
    assert sent.size == (1920, 2560) and sent.format == "JPEG"
    red, green, _blue = sent.convert("RGB").getpixel((1900, 20))  # type: ignore[misc]
    assert red > 180 and green < 80, (red, green)
    assert len(bodies[0][1]) < 2_500_000
    stored = Image.open(report.photos.get().image.open())
    assert max(stored.size) <= 2560 and not stored.getexif().get_ifd(0x8825)
    assert "%" in seen
    close_settled(context)


def test_without_choosing_the_photos_place_there_is_no_location_and_a_failed_send_is_retried(
    live_server, page, pokrovsk
):
    posts = watch_posts(page)
    bodies: list[tuple[str, bytes]] = []
    page.goto(f"{live_server.url}/en/report/")
    page.locator("#report-map path").first.wait_for(state="attached")
    page.set_input_files("#id_photos", camera_file())
    page.get_by_role("button", name="Use where the photo was taken").wait_for()
    page.select_option("#id_category", "lighting")
    page.fill("#id_title", "Не горить ліхтар")
    page.fill("#id_description", "Біля школи темно.")
    page.get_by_role("button", name="Send the report").click()
    # No pin: the photo's GPS is not used behind the resident's back; the field is named.
    page.locator("#error-location").get_by_text(
        "Place the pin on the map, or give the latitude and longitude."
    ).wait_for()
    assert not Report.objects.exists()
    assert page.input_value("#id_title") == "Не горить ліхтар"

    # By keyboard: focus the map, move it with the arrow keys, place the pin at its centre.
    tab_to(page, "#report-map")
    for key in ("ArrowRight", "ArrowUp"):
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    page.get_by_text("The pin is at").wait_for()
    first_pin = page.input_value("#id_lat"), page.input_value("#id_lon")
    page.keyboard.press("ArrowLeft")
    tab_to(page, "#pin-centre")
    page.keyboard.press("Enter")
    wait_for_value(lambda: (page.input_value("#id_lat"), page.input_value("#id_lon")) != first_pin)
    pin = float(page.input_value("#id_lat")), float(page.input_value("#id_lon"))

    # The first send is lost on the way; "Try again" sends the same key: one report.
    failures = {"left": 1}

    def lose_the_first(route: Any) -> None:
        if route.request.method == "POST":
            bodies.append((route.request.headers["content-type"], route.request.post_data_buffer))
        if route.request.method == "POST" and failures["left"]:
            failures["left"] -= 1
            route.abort("failed")
        else:
            route.continue_()

    page.route(REPORTS, lose_the_first)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("The report could not be sent (no connection or a server error).").wait_for()
    assert page.input_value("#id_description") == "Біля школи темно."
    page.get_by_role("button", name="Try again").click()
    page.locator("#confirmation").wait_for(timeout=60_000)

    report = Report.objects.get()
    assert report.location_source == "map"
    assert (round(report.point.y, 6), round(report.point.x, 6)) == pin != PHOTO_GPS
    keys = [post.headers["idempotency-key"] for post in posts[1:]]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert not [post for post in posts if "photo-location" in post.url]
    for body in bodies:
        (sent,) = sent_photos(body)
        assert max(sent.size) == 2560
