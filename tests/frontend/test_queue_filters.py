"""The staff queues' search, filters, order, thumbnails and pages: each filter narrows the
queue it is given (never past what the person may see), a bad value is named next to its
field and the whole queue is shown, and pages keep the filters."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from geoportal.reports.models import Report
from tests.reports.conftest import CENTRE, file_report, jpeg
from tests.reports.test_clocks import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(pokrovsk, pokrov) -> dict[str, Report]:
    """Three new reports of Pokrovsk (one overdue, one with a photo) and one of Pokrov."""
    with time_machine.travel(at(2, 10), tick=False):
        old = file_report(title="Яма на дорозі", category="roads", address="вул. Шкільна, 3")
    lamp = file_report(title="Не горить ліхтар", description="Біля аптеки")
    photo = file_report(title="Сміття у дворі", category="waste", photos=[jpeg()])
    other = file_report(title="Яма в іншій громаді", lat=pokrov.centre.y, lon=pokrov.centre.x)
    return {"old": old, "lamp": lamp, "photo": photo, "other": other}


def listed(client: Client, query: str = "") -> list[str]:
    answer = client.get(f"/en/staff/moderation/?{query}")
    assert answer.status_code == 200
    return [row.title for row in answer.context["rows"]]


@pytest.fixture
def moderation(moderator) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", {"Яма на дорозі", "Не горить ліхтар", "Сміття у дворі"}),
        ("q=ліхтар", {"Не горить ліхтар"}),
        ("q=аптеки", {"Не горить ліхтар"}),  # the description
        ("q=Шкільна", {"Яма на дорозі"}),  # the address
        ("q=яма+дорозі", {"Яма на дорозі"}),  # every word
        ("q=яма", {"Яма на дорозі"}),  # never another hromada's
        ("category=roads", {"Яма на дорозі"}),
        ("category=waste", {"Сміття у дворі"}),
        ("overdue=on", {"Яма на дорозі"}),
        ("state=new", {"Яма на дорозі", "Не горить ліхтар", "Сміття у дворі"}),
        ("state=routed", set()),
        ("created_before=2026-11-02", {"Яма на дорозі"}),
        (f"bbox={CENTRE[1] - 0.01},{CENTRE[0] - 0.01},{CENTRE[1] + 0.01},{CENTRE[0] + 0.01}",
         {"Яма на дорозі", "Не горить ліхтар", "Сміття у дворі"}),
        ("bbox=0,0,1,1", set()),
    ],
)  # fmt: skip
def test_each_filter_narrows_the_queue(queue, moderation, query, titles):
    assert set(listed(moderation, query)) == titles


def test_a_number_finds_its_report_and_no_other_hromadas(queue, moderation):
    assert listed(moderation, f"q=%23{queue['lamp'].pk}") == ["Не горить ліхтар"]
    assert listed(moderation, f"q={queue['other'].pk}") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=3,0,1,1", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("created_after=31.02.2026", "created_after"),
        ("category=nonexistent", "category"),
        ("state=flying", "state"),
        ("order=random", "order"),
    ],
)
def test_a_bad_filter_is_named_and_the_whole_queue_shown(queue, moderation, query, field):
    answer = moderation.get(f"/en/staff/moderation/?{query}")
    assert answer.status_code == 200
    assert field in answer.context["filters"].errors
    assert len(answer.context["rows"]) == 3
    assert "the whole queue is shown" in answer.text


def test_orders_and_thumbnails(queue, moderation):
    assert listed(moderation, "order=newest")[-1] == "Яма на дорозі"
    assert listed(moderation, "order=oldest")[0] == "Яма на дорозі"
    page = moderation.get("/en/staff/moderation/").text
    thumbnail = queue["photo"].photos.get().url_of("thumbnail")
    assert f'src="{thumbnail}"' in page
    assert moderation.get(thumbnail).status_code == 200


def test_pages_keep_the_filters(pokrovsk, moderation, monkeypatch: Any):
    monkeypatch.setattr("frontend.staff.queue_filters.PAGE_SIZE", 2)
    for n in range(5):
        file_report(title=f"Ліхтар {n}")
    file_report(title="Яма", category="roads")
    first = moderation.get("/en/staff/moderation/?q=Ліхтар")
    assert len(first.context["rows"]) == 2 and "Page 1 of 3" in first.text
    assert "q=%D0%9B%D1%96%D1%85%D1%82%D0%B0%D1%80&amp;page=2" in first.text
    last = moderation.get("/en/staff/moderation/?q=Ліхтар&page=3")
    assert len(last.context["rows"]) == 1 and "Page 3 of 3" in last.text
