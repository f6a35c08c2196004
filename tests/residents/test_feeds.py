"""Atom feeds of public reports: a hromada's, a category's and an area's; the public map's
reports only, public fields only; a bad `bbox` is a 400 naming it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.reports.conftest import CENTRE, file_report

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SECRETS = ["marker.feed@example.org", "Приватна Ольга", "+380 67 555 44 33", "вул. Потаємна"]


def entries(client: Client, path: str) -> list[str]:
    answer = client.get(path)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"].startswith("application/atom+xml")
    text = answer.content.decode()
    for secret in SECRETS:
        assert secret not in text, (secret, path)
    root = ET.fromstring(answer.content)  # noqa: S314 (our own server's answer, in a test)
    return [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]


@pytest.fixture
def reports(pokrovsk, moderator):
    contact = {"reporter_email": SECRETS[0], "reporter_name": SECRETS[1],
               "reporter_phone": SECRETS[2], "reporter_postal_address": SECRETS[3],
               "show_name": True}  # fmt: skip
    public = file_report(title="Публічне світло", **contact)
    public.approve(moderator)
    roads = file_report(title="Публічна яма", category="roads", lat=CENTRE[0] + 0.01, **contact)
    roads.approve(moderator)
    file_report(title="Ще на модерації", **contact)
    rejected = file_report(title="Відхилене", **contact)
    rejected.reject(moderator, "personal_data")
    return public, roads


def test_a_hromadas_feed_has_its_public_reports_only(reports):
    titles = entries(Client(), "/feeds/m/pokrovsk/")
    assert sorted(t.split(" ", 1)[1] for t in titles) == ["Публічна яма", "Публічне світло"]


def test_a_categorys_feed(reports):
    titles = entries(Client(), "/feeds/m/pokrovsk/categories/roads/")
    assert [t.split(" ", 1)[1] for t in titles] == ["Публічна яма"]


def test_an_areas_feed_and_its_georss(reports):
    lat, lon = CENTRE
    box = f"{lon - 0.002},{lat - 0.002},{lon + 0.002},{lat + 0.002}"
    answer = Client().get(f"/feeds/reports/?bbox={box}")
    assert [t.split(" ", 1)[1] for t in entries(Client(), f"/feeds/reports/?bbox={box}")] == [
        "Публічне світло"
    ]
    assert b"georss:point" in answer.content


def test_the_english_feed_speaks_english(reports):
    answer = Client().get("/en/feeds/m/pokrovsk/")
    assert b"New reports: Pokrovsk" in answer.content and b'xml:lang="en"' in answer.content


BAD_BOXES = ["", "37,48,38", "37,48,38,x", "nan,48,38,49", "38,48,37,49", "37,49,38,48",
             "37,48,181,49", "37,-91,38,49", "inf,48,38,49"]  # fmt: skip


@pytest.mark.parametrize("box", BAD_BOXES)
def test_a_bad_bbox_is_a_400_naming_it(pokrovsk, box: str):
    answer = Client().get(f"/en/feeds/reports/?bbox={box}")
    assert answer.status_code == 400
    assert answer.content.decode().startswith("bbox: ")


def test_unknown_hromada_or_category_is_404(pokrovsk):
    assert Client().get("/feeds/m/nowhere/").status_code == 404
    assert Client().get("/feeds/m/pokrovsk/categories/nowhere/").status_code == 404
