"""Every answer a visitor can reach carries no reporter's personal data.

Reports are filed the ways residents file them, over HTTP: the JSON API (with a phone
photo whose EXIF holds a camera and GPS position, from a marker client address) and
Open311 (with a name, e-mail and phone); one photo is then hidden, and two belong to
reports still in moderation or rejected for personal data. An anonymous visitor crawls
the site from its front pages, the API, Open311, OGC API, the open-data catalogue and
the vector tiles, following every link and URL found in HTML, JSON and XML, and every
answer is searched for the marker values and for any link to a photo that is not
public. The photos it reaches are read back for EXIF.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections import deque
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

import mapbox_vector_tile
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from geoportal.open311.models import ApiKey
from geoportal.reports.models import Report, ReportPhoto
from tests.reports.conftest import CENTRE, jpeg

NAME, SURNAME = "Маркерна", "Приватенко"
EMAIL = "marker.private.7731@example.org"
PHONE = "+380 67 777 31 31"
POSTAL = "вул. Таємна, 7731"
ADDRESS_IP = "203.0.113.77"  # a documentation address, as the client's
O311_NAME, O311_EMAIL, O311_PHONE = "Таємний", "marker.o311.7731@example.org", "+380 50 731 77 31"
MARKERS = [NAME, SURNAME, EMAIL, PHONE, POSTAL, ADDRESS_IP, O311_NAME, O311_EMAIL, O311_PHONE,
           "777 31 31", "731 77 31", "marker.private", "marker.o311", "TestPhone"]  # fmt: skip

# Not for visitors: sign-in, consoles, admin, the reporter's own tracking page, language
# switching (a POST), and the static files (not the platform's data).
PRIVATE = ("/admin/", "/en/admin/", "/staff/", "/en/staff/", "/login/", "/en/login/", "/logout/",
           "/en/logout/", "/reports/track/", "/en/reports/track/", "/i18n/", "/static/",
           "/media/")  # fmt: skip
CRAWL_LIMIT = 600
# The Atom feeds of public reports (geoportal/residents/feeds.py): a hromada's, a category's
# and an area's around the markers' reports.
FEEDS = ("/feeds/m/pokrovsk/", "/en/feeds/m/pokrovsk/", "/feeds/m/pokrovsk/categories/lighting/",
         "/feeds/reports/?bbox=37.17,48.27,37.19,48.29")  # fmt: skip
# The test client's host, and the site's own address (SITE_URL) that feeds and catalogues
# write into absolute links.
SAME_SITE = {"testserver", urlsplit(settings.SITE_URL).netloc}


def file_over_http(pokrovsk, moderator, worker_zhkg) -> list[Report]:
    api = Client(REMOTE_ADDR=ADDRESS_IP)
    answers = [
        api.post(
            "/api/v1/reports/",
            {
                "category": "lighting",
                "title": f"Маркерне звернення {n}",
                "description": "Біля школи третій тиждень темно.",
                "lat": CENTRE[0] + n / 2000,
                "lon": CENTRE[1],
                "reporter_name": f"{NAME} {SURNAME}",
                "reporter_email": EMAIL,
                "reporter_phone": PHONE,
                "reporter_postal_address": POSTAL,
                "is_formal_appeal": n == 0,
                "photos": jpeg(gps=(48.2775, 37.1780)),
            },
        )
        for n in range(5)
    ]
    assert [a.status_code for a in answers] == [201] * 5, [a.content for a in answers]
    key = ApiKey(name="Міський застосунок")
    value = key.issue()
    key.save()
    o311 = Client(REMOTE_ADDR=ADDRESS_IP).post("/open311/v2/requests.json", {
        "api_key": value, "service_code": "lighting", "description": "Темно біля зупинки.",
        "lat": CENTRE[0] - 0.001, "long": CENTRE[1], "first_name": O311_NAME,
        "last_name": SURNAME, "email": O311_EMAIL, "phone": O311_PHONE,
    })  # fmt: skip
    assert o311.status_code == 201, o311.content
    reports = list(Report.objects.order_by("pk"))
    in_moderation, rejected = reports[3], reports[4]
    for report in reports:
        if report not in (in_moderation, rejected):
            report.approve(moderator)
    reports[0].accept(worker_zhkg)
    reports[1].accept(worker_zhkg)
    reports[1].resolve(worker_zhkg, "Вирішено")
    # Photos that are not public: one hidden on a public report, one of a report still in
    # moderation, one of a report rejected for the personal data it shows.
    reports[2].hide_photo(moderator, reports[2].photos.get())
    rejected.reject(moderator, "personal_data")
    return reports


def readable(url: str, body: bytes, content_type: str) -> str:
    """The answer as text: spreadsheets unzipped, vector tiles decoded, JSON without
    \\u escapes and HTML or XML without entities, so no marker hides behind an encoding."""
    if content_type.startswith("application/vnd.openxmlformats") or url.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            body = b"".join(book.read(name) for name in book.namelist())
    elif "mapbox-vector-tile" in content_type or url.endswith(".mvt"):
        return repr(mapbox_vector_tile.decode(body)) if body else ""
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        return json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def links_in(text: str, base: str) -> set[str]:
    found = set(re.findall(r"""(?:href|src|action)=["']([^"'#]+)""", text))
    found |= set(re.findall(r'"(https?://[^"\s]+)"', text))  # JSON values
    found |= set(re.findall(r">(https?://[^<\s]+)<", text))  # XML elements
    paths = set()
    for link in found:
        absolute = urlsplit(urljoin("http://testserver" + base, link))
        if absolute.netloc in SAME_SITE:
            path = absolute.path + (f"?{absolute.query}" if absolute.query else "")
            if not path.startswith(PRIVATE):
                paths.add(path)
    return paths


def tile_urls(lat: float, lon: float) -> set[str]:
    import math

    from layers.tiles.sql import TILE_LAYERS

    urls = set()
    for z in (12, 15, 17):
        n = 2**z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        urls |= {f"/tiles/{layer}/{z}/{x}/{y}.mvt" for layer in TILE_LAYERS}
    return urls


@pytest.mark.django_db
def test_no_personal_data_anywhere_a_visitor_can_reach(pokrovsk, moderator, worker_zhkg, media):
    reports = file_over_http(pokrovsk, moderator, worker_zhkg)
    seeds = {"/", "/en/", "/m/pokrovsk/", "/investors/", "/open-data/", "/open-data/catalog.json",
             "/api/v1/reports/", "/api/v1/reports/?state=resolved", "/api/v1/reports/map/",
             "/api/v1/reports/statistics/", "/api/v1/schema/",
             "/api/v1/reports/nearby/?lat=48.2771&lon=37.1772&category=lighting",
             "/open311/v2/requests.json", "/open311/v2/requests.xml",
             "/open311/v2/services.json", "/ogc/", "/ogc/collections",
             "/ogc/collections/reports/items?limit=1000",
             "/residents/sign-in/", "/en/residents/sign-in/?sent=1", *FEEDS}  # fmt: skip
    for report in reports:
        seeds |= {f"/reports/{report.pk}/", f"/en/reports/{report.pk}/",
                  f"/api/v1/reports/{report.pk}/", f"/open311/v2/requests/{report.pk}.json",
                  f"/open311/v2/requests/{report.pk}.xml",
                  f"/ogc/collections/reports/items/{report.pk}"}  # fmt: skip
    seeds |= tile_urls(*CENTRE)

    visitor = Client()
    queue, seen = deque(sorted(seeds)), set(seeds)
    answered: dict[str, str] = {}
    while queue and len(answered) < CRAWL_LIMIT:
        url = queue.popleft()
        response = visitor.get(url, follow=False)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code >= 300:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = readable(url, body, response.get("Content-Type", ""))
        answered[url] = text
        for marker in MARKERS:
            assert marker not in text, (marker, url)
        for link in links_in(text, url) - seen:
            seen.add(link)
            queue.append(link)

    # The crawl reached what it must have: pages, every interface, exports and tiles.
    reached = set(answered)
    for must in ("/open-data/", "/ogc/collections/reports/items?limit=1000",
                 "/open311/v2/requests.xml", f"/reports/{reports[0].pk}/",
                 "/residents/sign-in/", *FEEDS):  # fmt: skip
        assert must in reached, must
    for feed in FEEDS:  # each feed lists the public marker reports, by their public text
        assert "Маркерне звернення" in answered[feed], feed
    assert any("export" in url for url in reached), sorted(reached)
    assert sum(url.startswith("/tiles/") for url in reached) >= 12
    assert len(reached) > 100, len(reached)
    # Public text of the reports is there: the crawl saw the reports themselves.
    assert any("Маркерне звернення" in text for text in answered.values())

    # No answer links a photo that is not public, by its checked URL or its stored name,
    # and none links a report photo's file directly.
    secret = ReportPhoto.objects.exclude(pk__in=ReportPhoto.objects.public())
    assert secret.count() == 3
    for photo in secret:
        needles = (f"/photos/{photo.pk}/", PurePosixPath(str(photo.image.name)).stem,
                   PurePosixPath(str(photo.thumbnail.name)).stem)  # fmt: skip
        for url, text in answered.items():
            assert not [n for n in needles if n in text], (photo.pk, url)
            assert "/media/reports/" not in text, url
    # The public ones were linked, followed and sent.
    shown = {url for url in reached if url.startswith("/photos/")}
    public = ReportPhoto.objects.public()
    assert public.count() == 2
    assert shown == {p.url_of(kind) for p in public for kind in ("image", "thumbnail")}

    # Photos a visitor is shown carry no EXIF: no camera, no GPS position.
    photos = ReportPhoto.objects.filter(report__in=reports)
    assert photos.count() == 5
    for photo in photos:
        for stored in (photo.image, photo.thumbnail):
            with default_storage.open(str(stored.name)) as file:
                data = file.read()
            exif = Image.open(io.BytesIO(data)).getexif()
            assert not exif.get_ifd(0x8825) and 0x010F not in exif, stored.name  # GPS, Make
            assert b"TestPhone" not in data


@pytest.mark.django_db
def test_a_residents_own_pages_carry_nobody_elses_personal_data(pokrovsk, moderator,
                                                                 worker_zhkg, media):  # fmt: skip
    """Another resident, signed in with their own address, sees their own reports only: no
    marker reporter's name, e-mail, phone or address on any page of their account."""
    from django.core import mail

    from tests.residents.conftest import sign_in

    file_over_http(pokrovsk, moderator, worker_zhkg)
    neighbour = Client()
    own = neighbour.post("/api/v1/reports/", {
        "category": "lighting", "title": "Сусідське звернення", "description": "Темно.",
        "lat": CENTRE[0], "lon": CENTRE[1], "reporter_email": "neighbour@example.org",
    })  # fmt: skip
    assert own.status_code == 201, own.content
    mail.outbox.clear()
    assert sign_in(neighbour, "neighbour@example.org").status_code == 302
    pages = ["/residents/reports/", "/en/residents/reports/", "/residents/account/delete/",
             "/en/residents/account/delete/", "/residents/sign-in/", *FEEDS]  # fmt: skip
    for url in pages:
        response = neighbour.get(url)
        assert response.status_code == 200, url
        text = readable(url, response.content, response.get("Content-Type", ""))
        for marker in MARKERS:
            assert marker not in text, (marker, url)
    mine = neighbour.get("/residents/reports/").content.decode()
    assert "Сусідське звернення" in mine and "Маркерне звернення" not in mine
    # The sign-in mail the neighbour got names nobody else either.
    for message in mail.outbox:
        assert not [m for m in MARKERS if m in message.body or m in message.subject]


@pytest.mark.django_db
def test_alerts_and_updates_carry_nobody_elses_personal_data(pokrovsk, moderator, worker_zhkg,
                                                              media, settings):  # fmt: skip
    """A neighbour's area alerts (at once and daily) mail the marker reports, and the marker
    reporter adds an update that a moderator publishes: no alert mail, alerts page, its
    unsubscribe page or the report's public page carries the reporter's personal data."""
    from datetime import datetime

    from django.core import mail

    from geoportal.municipalities.working_days import KYIV
    from geoportal.reports.models import Notification, NotificationKind, ReportUpdate
    from geoportal.residents.alerts import send_alert_digests
    from geoportal.residents.models import Alert
    from tests.residents.conftest import sign_in

    neighbour = Client()
    assert sign_in(neighbour, "neighbour@example.org").status_code == 302
    for frequency in ("immediate", "daily"):
        made = neighbour.post("/residents/alerts/", {
            "municipality": "pokrovsk", "area": "radius", "lat": CENTRE[0], "lon": CENTRE[1],
            "radius_m": 2000, "frequency": frequency,
        })  # fmt: skip
        assert made.status_code == 302, made.content.decode()[:3000]
    reports = file_over_http(pokrovsk, moderator, worker_zhkg)
    settings.ALERT_DIGEST_HOUR = 0
    assert send_alert_digests(datetime(2031, 3, 4, 9, 0, tzinfo=KYIV)) == 1
    # The marker reporter signs in and adds an update to their report; it is published.
    reporter = Client()
    assert sign_in(reporter, EMAIL).status_code == 302
    reporter.post(f"/reports/{reports[0].pk}/updates/", {"text": "Досі темно, стало гірше."})
    ReportUpdate.objects.get().approve(moderator)

    alert_mails = Notification.objects.filter(
        kind__in=(NotificationKind.ALERT, NotificationKind.ALERT_DIGEST)
    )
    kinds = set(alert_mails.values_list("kind", flat=True))
    assert kinds == {NotificationKind.ALERT, NotificationKind.ALERT_DIGEST}
    assert alert_mails.filter(report=reports[1]).count() == 2  # new, then its answer
    for notification in alert_mails:
        assert notification.to_email == "neighbour@example.org"
        text = notification.subject + notification.body
        assert not [m for m in MARKERS if m in text], (notification.kind, text)
        mail.outbox.clear()
        Notification.deliver(notification.pk)
        for message in mail.outbox:
            headers = " ".join(f"{k}: {v}" for k, v in message.extra_headers.items())
            assert not [m for m in MARKERS if m in headers + message.body]
    pages = ["/residents/alerts/", "/en/residents/alerts/", f"/reports/{reports[0].pk}/",
             f"/en/reports/{reports[0].pk}/"]  # fmt: skip
    pages += [f"/alerts/unsubscribe/{alert.token}/" for alert in Alert.objects.all()]
    for url in pages:
        for client in (neighbour, Client()):
            response = client.get(url)
            if "/residents/" in url and client is not neighbour:
                assert response.status_code == 302
                continue
            assert response.status_code == 200, url
            text = readable(url, response.content, response.get("Content-Type", ""))
            assert not [m for m in MARKERS if m in text], url
    public = Client().get(f"/en/reports/{reports[0].pk}/").content.decode()
    assert "стало гірше" in public and "Update from a resident" in public
