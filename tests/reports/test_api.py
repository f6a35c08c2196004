"""The report API: list, detail, filing, actions by token or session, queues, statistics."""

from __future__ import annotations

import csv
import io
import struct
from datetime import datetime

import openpyxl
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.http import HttpRequest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from geoportal.municipalities.working_days import KYIV
from geoportal.reports.models import Report, ReportEvent
from tests.cast import PASSWORD
from tests.reports.conftest import CENTRE, file_report, jpeg, new_report_form, stored_files

LIST = "/api/v1/reports/"


def api(**defaults) -> APIClient:
    """A client asking for English (the default language of the site is Ukrainian)."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en", **defaults)


def client_for(user=None) -> APIClient:
    client = api()
    if user is not None:
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
        )
    return client


def test_file_walk_and_read_a_report_through_the_api(pokrovsk, moderator, worker_zhkg):
    """The done-when of the issue: filed, approved, accepted, resolved, all over HTTP."""
    resident = api()
    created = resident.post(
        LIST, new_report_form(photos=[jpeg()]), format="multipart", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert created.status_code == 201, created.json()
    number = created.json()["id"]
    assert created.json()["state"] == "new" and created.json()["tracking_code"]
    # A "new" report is not public yet.
    assert resident.get(f"{LIST}{number}/").status_code == 404
    staff = client_for(moderator)
    queue = staff.get(f"{LIST}queue/moderation/").json()
    assert [item["id"] for item in queue["results"]] == [number]
    assert queue["results"][0]["suggested_department"] == "zhkg"
    assert staff.post(f"{LIST}{number}/approve/", {}, format="json").json()["state"] == "routed"
    worker = client_for(worker_zhkg)
    assert [r["id"] for r in worker.get(f"{LIST}queue/department/").json()["results"]] == [number]
    accepted = worker.post(f"{LIST}{number}/accept/", {"needs_study": False}, format="json")
    assert accepted.json()["state"] == "in_progress"
    resolved = worker.post(
        f"{LIST}{number}/resolve/", {"answer": "Лампу замінено", "photos": [jpeg()]},
        format="multipart",
    )  # fmt: skip
    assert resolved.status_code == 200 and resolved.json()["state"] == "resolved"
    public = resident.get(f"{LIST}{number}/").json()["properties"]
    assert (public["state"], public["public_answer"]) == ("resolved", "Лампу замінено")
    assert [e["action"] for e in public["timeline"]] == ["submit", "approve", "accept", "resolve"]
    assert [e["by"] for e in public["timeline"]] == ["Reporter", "Moderator", "Department",
                                                     "Department"]  # fmt: skip
    assert len(public["timeline"][-1]["photos"]) == 1 and len(public["photos"]) == 1


def test_a_retried_submission_with_the_same_key_makes_one_report(pokrovsk, media):
    client = api()
    form = new_report_form()
    first = client.post(LIST, {**form, "photos": [jpeg()]}, format="multipart",
                        HTTP_IDEMPOTENCY_KEY="same-key")  # fmt: skip
    again = client.post(LIST, {**form, "photos": [jpeg()]}, format="multipart",
                        HTTP_IDEMPOTENCY_KEY="same-key")  # fmt: skip
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1 and len(stored_files(media)) == 2  # one photo + thumb
    other = client.post(LIST, new_report_form(title="Інше"), HTTP_IDEMPOTENCY_KEY="same-key")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"lat": 50.45, "lon": 30.52}, "location"),
        ({"lat": "north"}, "lat"),
        ({"title": ""}, "title"),
        ({"description": "x" * 5001}, "description"),
        ({"reporter_email": "nobody"}, "reporter_email"),
        ({"reporter_phone": "call me"}, "reporter_phone"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(pokrovsk, change, field):
    answer = api().post(LIST, new_report_form(**change), format="multipart")
    assert answer.status_code == 400 and field in answer.json(), answer.json()
    assert not Report.objects.exists()


def test_errors_come_in_ukrainian_by_default_and_in_english_on_request(pokrovsk):
    client = APIClient()
    form = new_report_form(lat=50.45, lon=30.52)
    uk = client.post(LIST, form, format="multipart", HTTP_ACCEPT_LANGUAGE="uk").json()
    en = client.post(LIST, form, format="multipart", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "поза межами" in uk["location"][0]
    assert "outside every hromada" in en["location"][0]


def test_the_list_is_geojson_with_filters_and_a_capped_page(pokrovsk, moderator, pokrov):
    reports = [file_report(title=f"№{n}") for n in range(3)]
    far = file_report(lat=48.30, lon=37.22, category="roads")
    for report in [*reports, far]:
        report.approve(moderator)
    file_report(title="Ще на модерації")
    client = api()
    everything = client.get(LIST).json()
    assert everything["type"] == "FeatureCollection"
    assert len(everything["features"]) == 4  # the new one is not public
    near = client.get(LIST, {"in_bbox": "37.17,48.27,37.19,48.29"}).json()
    assert {f["id"] for f in near["features"]} == {r.pk for r in reports}
    assert client.get(LIST, {"category": "roads"}).json()["features"][0]["id"] == far.pk
    assert len(client.get(LIST, {"department": "zhkg", "state": "routed"}).json()["features"]) == 4
    today = datetime.now(KYIV).date().isoformat()
    assert len(client.get(LIST, {"created_after": today}).json()["features"]) == 4
    assert client.get(LIST, {"created_before": "2020-01-01"}).json()["features"] == []
    capped = client.get(LIST, {"page_size": 100000}).json()
    assert capped["count"] == 4  # page_size above the cap is cut to 500, not refused
    # The hromada by its slug (looked up to its id first): its own, newest first; another
    # hromada's or an unknown one's, none.
    own = client.get(LIST, {"municipality": "pokrovsk"}).json()
    assert [f["id"] for f in own["features"]] == [r.pk for r in [*reports, far][::-1]]
    assert own["count"] == 4
    for slug in ("pokrov", "no-such-hromada"):
        assert client.get(LIST, {"municipality": slug}).json()["features"] == [], slug
    params: dict[str, str]
    for params, field in [({"state": "dancing"}, "state"), ({"created_after": "yesterday"},
                          "created_after")]:  # fmt: skip
        answer = client.get(LIST, params)
        assert answer.status_code == 400 and field in answer.json()
    assert client.get(LIST, {"in_bbox": "a,b,c"}).status_code == 400


def test_rejected_reports_are_listed_only_by_filter_and_never_for_some_grounds(pokrovsk, moderator):
    plain = file_report(title="Не проблема")
    spam = file_report(title="Купуйте вікна")
    plain.reject(moderator, "not_a_problem")
    spam.reject(moderator, "spam_or_advertising")
    client = api()
    assert client.get(LIST).json()["features"] == []
    listed = client.get(LIST, {"state": "rejected"}).json()["features"]
    assert [f["id"] for f in listed] == [plain.pk]
    assert client.get(f"{LIST}{spam.pk}/").status_code == 404


def test_staff_detail_carries_contact_and_internal_events_only_for_their_reports(
    pokrovsk, moderator, worker_zhkg, worker_arch
):
    report = file_report(reporter_phone="+380501112233")
    report.approve(moderator)
    report.comment(moderator, "Внутрішнє: перевірити адресу")
    own = client_for(worker_zhkg).get(f"{LIST}{report.pk}/").json()["properties"]
    assert own["reporter_email"] == "olha.reporter@example.org"
    assert own["reporter_phone"] == "+380501112233"
    assert "Внутрішнє" in [e["text"] for e in own["events"]][-1]
    other = client_for(worker_arch).get(f"{LIST}{report.pk}/").json()["properties"]
    assert "reporter_email" not in other and "events" not in other
    assert "Внутрішнє" not in str(other)


def test_actions_are_refused_with_the_right_status_and_change_nothing(
    pokrovsk, moderator, worker_zhkg, worker_arch, resident
):
    report = file_report()
    client = client_for(worker_zhkg)
    moderator_client = client_for(moderator)
    # A new report is not the worker's to see (404); not from this state (409); bad input (400).
    assert client.post(f"{LIST}{report.pk}/approve/", {}, format="json").status_code == 404
    assert moderator_client.post(f"{LIST}{report.pk}/accept/", {}, format="json").status_code == 409
    bad = moderator_client.post(f"{LIST}{report.pk}/reject/", {"ground": "boring"}, format="json")
    assert bad.status_code == 400 and "ground" in bad.json()
    other = moderator_client.post(f"{LIST}{report.pk}/reject/", {"ground": "other"}, format="json")
    assert other.status_code == 400 and "comment" in other.json()
    wrong = moderator_client.post(
        f"{LIST}{report.pk}/approve/", {"department": "nope"}, format="json"
    )
    assert wrong.status_code == 400 and "department" in wrong.json()
    anonymous = api().post(f"{LIST}{report.pk}/approve/", {}, format="json")
    assert anonymous.status_code == 404
    report.refresh_from_db()
    assert (report.state, report.version, report.events.count()) == ("new", 0, 1)
    report.approve(moderator)
    # Public now: the worker of another department sees it but may not act (403).
    arch = client_for(worker_arch)
    assert arch.post(f"{LIST}{report.pk}/accept/", {}, format="json").status_code == 403
    assert api().post(f"{LIST}{report.pk}/reopen/", {"comment": "x"}).status_code == 409
    assert api().post(f"{LIST}{report.pk}/comment/", {"text": "x"}).status_code == 403
    report.refresh_from_db()
    assert (report.state, report.version, report.events.count()) == ("routed", 1, 2)


def test_a_stale_version_gets_409_with_the_new_state(pokrovsk, moderator):
    report = file_report()
    client = client_for(moderator)
    assert (
        client.post(f"{LIST}{report.pk}/approve/", {"version": 0}, format="json").status_code == 200
    )
    late = client.post(
        f"{LIST}{report.pk}/reject/", {"ground": "not_a_problem", "version": 0}, format="json"
    )
    assert late.status_code == 409
    assert (late.json()["state"], late.json()["version"]) == ("routed", 1)
    assert ReportEvent.objects.filter(report=report, action="reject").count() == 0


def test_staff_sign_in_by_session_and_get_a_token(pokrovsk, moderator):
    report = file_report()
    session = api(enforce_csrf_checks=True)
    assert session.login(request=HttpRequest(), username=moderator.username, password=PASSWORD)
    refused = session.post(f"{LIST}{report.pk}/approve/", {}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    token = (
        api()
        .post("/api/v1/auth/token/", {"username": moderator.username, "password": PASSWORD})
        .json()["token"]
    )
    by_token = api()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert by_token.post(f"{LIST}{report.pk}/approve/", {}, format="json").status_code == 200


def test_support_once_per_person_and_follow(pokrovsk, moderator, resident):
    report = file_report()
    report.approve(moderator)
    browser = api()
    assert browser.post(f"{LIST}{report.pk}/support/").status_code == 200
    assert browser.post(f"{LIST}{report.pk}/support/").status_code == 409  # same session
    assert api().post(f"{LIST}{report.pk}/support/", {"email": "a@example.org"}).status_code == 200
    again = api().post(f"{LIST}{report.pk}/support/", {"email": "A@example.org"})
    assert again.status_code == 409
    signed_in = api()
    signed_in.force_authenticate(resident)
    assert signed_in.post(f"{LIST}{report.pk}/support/").status_code == 200
    report.refresh_from_db()
    assert report.support_count == 3
    assert api().post(f"{LIST}{report.pk}/follow/", {"email": "n@example.org"}).status_code == 200
    assert report.follows.count() == 2  # the reporter and the new follower
    new = file_report(title="Ще нове")
    assert api().post(f"{LIST}{new.pk}/support/").status_code == 404  # not public


def test_nearby_open_reports_are_offered_before_filing(pokrovsk, moderator):
    report = file_report()
    report.approve(moderator)
    answer = api().get(
        f"{LIST}nearby/",
        {
            "lat": str(CENTRE[0] + 0.0002),
            "lon": str(CENTRE[1]),
            "category": "lighting",
        },
    )
    assert [f["id"] for f in answer.json()["features"]] == [report.pk]  # ~22 m away
    roads = api().get(
        f"{LIST}nearby/", {"lat": str(CENTRE[0]), "lon": str(CENTRE[1]), "category": "roads"}
    )
    assert roads.json()["features"] == []


def test_a_photos_gps_is_offered_as_the_location_and_the_photo_not_kept(pokrovsk, media):
    answer = api().post(
        f"{LIST}photo-location/", {"photo": jpeg(gps=(48.2790, 37.1801))}, format="multipart"
    )
    assert answer.json() == pytest.approx({"lat": 48.279, "lon": 37.1801}, abs=1e-4)
    assert stored_files(media) == []
    nothing = api().post(f"{LIST}photo-location/", {"photo": jpeg()}, format="multipart")
    assert nothing.json() == {"lat": None, "lon": None}


def declaring(size: tuple[int, int], data: bytes) -> bytes:
    """The JPEG with its frame header (SOF0) declaring another size, cut short a little
    into its pixel data: its header and EXIF read well, decoding it fails as damaged."""
    frame = data.index(b"\xff\xc0")
    width, height = size
    data = data[: frame + 5] + struct.pack(">HH", height, width) + data[frame + 9 :]
    return data[: data.index(b"\xff\xda") + 64]


def test_a_photos_location_is_read_without_decoding_the_photo(pokrovsk, media):
    """A 40-megapixel photo from a phone (7744 × 5163) takes seconds to decode; its GPS
    position is in the EXIF, read in well under a millisecond. The file below declares
    40 megapixels and stops a little into its pixels: decoding it fails (as filing it
    shows), so an answer with its position proves nothing was decoded."""
    big = declaring((7744, 5163), jpeg(gps=(48.2790, 37.1801)).read())
    photo = ContentFile(big, name="phone.jpg")
    answer = api().post(f"{LIST}photo-location/", {"photo": photo}, format="multipart")
    assert answer.status_code == 200, answer.content
    assert answer.json() == pytest.approx({"lat": 48.279, "lon": 37.1801}, abs=1e-4)
    photo.seek(0)
    filed = api().post(LIST, {**new_report_form(), "photos": [photo]}, format="multipart")
    assert filed.status_code == 400 and "damaged" in filed.json()["photos"][0]


@time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=KYIV), tick=False)
def test_queues_put_the_soonest_and_the_overdue_first(
    pokrovsk, moderator, worker_zhkg, coordinator, worker_arch
):
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=KYIV), tick=False):
        old = file_report(title="Давнє")
        waiting = file_report(title="Прострочене підтвердження")
        waiting.approve(moderator)  # acknowledgement due 18.11 18:00: overdue on the 20th
    fresh = file_report(title="Свіже")
    recent = file_report(title="Щойно передане")
    recent.approve(moderator)
    moderation = client_for(moderator).get(f"{LIST}queue/moderation/").json()["results"]
    assert [r["id"] for r in moderation] == [old.pk, fresh.pk]
    assert [r["is_overdue"] for r in moderation] == [True, False]
    department = client_for(worker_zhkg).get(f"{LIST}queue/department/").json()["results"]
    assert [r["id"] for r in department] == [waiting.pk, recent.pk]
    overdue = client_for(coordinator).get(f"{LIST}queue/overdue/").json()["results"]
    assert [r["id"] for r in overdue] == [old.pk, waiting.pk]
    assert client_for(worker_arch).get(f"{LIST}queue/overdue/").status_code == 403
    assert client_for(worker_arch).get(f"{LIST}queue/moderation/").status_code == 403
    assert client_for(moderator).get(f"{LIST}queue/department/").status_code == 403
    other = client_for(worker_arch).get(f"{LIST}queue/department/", {"department": "zhkg"})
    assert other.status_code == 403
    assert api().get(f"{LIST}queue/moderation/").status_code in {401, 403}


def test_statistics_and_the_monthly_report_in_csv_and_xlsx(pokrovsk, moderator, worker_zhkg):
    routed = file_report()
    routed.approve(moderator)
    routed.accept(worker_zhkg)
    routed.resolve(worker_zhkg, "Зроблено")
    file_report().reject(moderator, "spam_or_advertising")
    month = datetime.now(KYIV).strftime("%Y-%m")
    stats = api().get(f"{LIST}statistics/", {"month": month, "by": "department"}).json()
    by_key = {row["key"]: row for row in stats["rows"]}
    assert by_key["zhkg"]["resolved"] == 1 and by_key["zhkg"]["approved"] == 1
    assert by_key[""]["rejected"] == 1  # never routed
    assert by_key["total"]["received"] == 2
    assert by_key["total"]["rejected_by_ground"]["spam_or_advertising"] == 1
    assert by_key["total"]["share_on_time"] == 1.0
    exported = APIClient().get(f"{LIST}statistics/export.csv", {"month": month})  # Ukrainian
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Код", "Назва", "Надійшло"]
    assert rows[-1][1] == "Разом" and rows[-1][2] == "2"
    book = APIClient().get(f"{LIST}statistics/export.xlsx", {"month": month})
    sheets = openpyxl.load_workbook(io.BytesIO(book.content))
    assert len(sheets.sheetnames) == 2
    table = list(sheets.worksheets[0].values)
    assert table[-1][1] == "Разом" and table[-1][2] == 2
    bad = api().get(f"{LIST}statistics/", {"month": "2026-13"})
    assert bad.status_code == 400 and "month" in bad.json()
