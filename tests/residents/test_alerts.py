"""Area alerts: a resident's area (the hromada, a radius, a drawn polygon) and categories get
the new public reports and answers there, once, at once or in a daily digest, each mail
with a one-click unsubscribe; never unmoderated reports, never others' personal data."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from geoportal.municipalities.working_days import KYIV
from geoportal.reports.models import Notification, NotificationKind, Report
from geoportal.residents.alerts import alert_event, send_alert_digests
from geoportal.residents.models import Alert, AlertItem, Resident
from tests.reports.conftest import CENTRE, file_report
from tests.residents.conftest import sign_in

pytestmark = pytest.mark.django_db

EMAIL = "iryna.alerts@example.org"
REPORTER = "petro.private@example.org"
REPORTER_NAME = "Петро Приватний"
REPORTER_PHONE = "+380501112233"
# ~1.1 km north of the centre: outside a 500 m radius, inside the hromada.
FAR = (CENTRE[0] + 0.01, CENTRE[1])


def signed_in() -> tuple[Client, Resident]:
    client = Client()
    sign_in(client, EMAIL)
    return client, Resident.objects.get(email=EMAIL)


def create(client: Client, **fields: Any) -> Any:
    form = {"municipality": "pokrovsk", "area": "hromada", "frequency": "immediate"}
    form.update(fields)
    return client.post("/en/residents/alerts/", form)


def alert_mails() -> list[Notification]:
    kinds = (NotificationKind.ALERT, NotificationKind.ALERT_DIGEST)
    return list(Notification.objects.filter(kind__in=kinds, to_email=EMAIL).order_by("pk"))


def file_at(where: tuple[float, float], **fields: Any) -> Report:
    values = {"lat": where[0], "lon": where[1], "reporter_email": REPORTER,
              "reporter_name": REPORTER_NAME, "reporter_phone": REPORTER_PHONE,
              "show_name": True}  # fmt: skip
    values.update(fields)
    return file_report(**values)


def assert_private_parts_absent(text: str) -> None:
    for private in (REPORTER, REPORTER_NAME, REPORTER_PHONE, "@test.example.org"):
        assert private not in text, private


def test_radius_alert_mails_a_new_public_report_once_and_never_one_outside(pokrovsk, moderator):
    client, resident = signed_in()
    answer = create(
        client, area="radius", lat=CENTRE[0], lon=CENTRE[1], radius_m=500, frequency="immediate"
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    inside = file_at(CENTRE, title="Яма біля школи")
    outside = file_at(FAR, title="Яма далеко")
    assert alert_mails() == []  # unmoderated reports are never mailed
    inside.approve(moderator)
    outside.approve(moderator)
    (notification,) = alert_mails()
    assert notification.report_id == inside.pk
    assert f"#{inside.pk}" in notification.subject and "Яма біля школи" in notification.body
    assert "Яма далеко" not in notification.body
    assert_private_parts_absent(notification.subject + notification.body)
    # Not again: a second look at the same event (a retry) and later public changes.
    inside.refresh_from_db()
    alert_event(inside, inside.events.get(action="approve"))
    assert len(alert_mails()) == 1
    # The message carries the RFC 8058 headers; the link unsubscribes by one POST.
    mail.outbox.clear()
    Notification.deliver(notification.pk)
    (message,) = mail.outbox
    alert = resident.alerts.get()
    url = f"/alerts/unsubscribe/{alert.token}/"
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{url}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body


def test_an_answer_in_the_area_is_mailed(pokrovsk, moderator, worker_zhkg):
    client, _resident = signed_in()
    create(client)  # the whole hromada
    report = file_at(CENTRE)
    report.approve(moderator)
    report.accept(worker_zhkg)
    report.resolve(worker_zhkg, "Ліхтар замінено.")
    kinds = [(n.kind, n.report_id) for n in alert_mails()]
    assert kinds == [(NotificationKind.ALERT, report.pk)] * 2
    assert "Ліхтар замінено." in alert_mails()[-1].body


def test_polygon_and_categories_choose_what_is_mailed(pokrovsk, moderator):
    client, _resident = signed_in()
    lat, lon = CENTRE
    square = f"{lat - 0.003}, {lon - 0.003}\n{lat - 0.003}, {lon + 0.003}\n" \
             f"{lat + 0.003}, {lon + 0.003}\n{lat + 0.003}, {lon - 0.003}"  # fmt: skip
    assert create(client, area="polygon", polygon=square).status_code == 302
    lighting = pokrovsk.categories.get(code="lighting")
    other = pokrovsk.categories.exclude(pk=lighting.pk).filter(is_active=True).first()
    assert other is not None
    answer = create(client, categories=[other.pk])  # the hromada, another category only
    assert answer.status_code == 302
    inside = file_at(CENTRE)
    outside = file_at(FAR)
    for report in (inside, outside):
        report.approve(moderator)
    assert [n.report_id for n in alert_mails()] == [inside.pk]


def test_daily_digest_is_sent_once_a_day(pokrovsk, moderator, settings):
    settings.ALERT_DIGEST_HOUR = 7
    client, _resident = signed_in()
    create(client, frequency="daily")
    first, second = file_at(CENTRE, title="Перша"), file_at(CENTRE, title="Друга")
    for report in (first, second):
        report.approve(moderator)
    assert alert_mails() == []  # waits for the digest
    morning = datetime(2031, 3, 4, 6, 0, tzinfo=KYIV)
    assert send_alert_digests(morning) == 0  # before the hour
    assert send_alert_digests(morning + timedelta(hours=2)) == 1
    assert send_alert_digests(morning + timedelta(hours=3)) == 0  # a restart repeats nothing
    (digest,) = alert_mails()
    assert digest.kind == NotificationKind.ALERT_DIGEST
    assert "Перша" in digest.body and "Друга" in digest.body and digest.unsubscribe_url
    assert_private_parts_absent(digest.subject + digest.body)
    third = file_at(CENTRE, title="Третя")
    third.approve(moderator)
    assert send_alert_digests(morning + timedelta(hours=4)) == 0  # once per day
    assert send_alert_digests(morning + timedelta(days=1, hours=2)) == 1
    latest = alert_mails()[-1]
    assert "Третя" in latest.body and "Перша" not in latest.body
    assert AlertItem.objects.filter(sent_at__isnull=True).count() == 0


def test_unsubscribe_asks_on_get_and_stops_on_post(pokrovsk, moderator):
    client, resident = signed_in()
    create(client)
    alert = resident.alerts.get()
    anonymous = Client(enforce_csrf_checks=True)  # the mail program: no page, no cookie
    page = anonymous.get(f"/en/alerts/unsubscribe/{alert.token}/")
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    alert.refresh_from_db()
    assert alert.unsubscribed_at is None  # a mail scanner's GET unsubscribes nobody
    done = anonymous.post(f"/alerts/unsubscribe/{alert.token}/", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    alert.refresh_from_db()
    assert alert.unsubscribed_at is not None
    file_at(CENTRE).approve(moderator)
    assert alert_mails() == []
    assert anonymous.get("/alerts/unsubscribe/not-a-token/").status_code == 404


def test_alerts_page_lists_creates_and_deletes_only_own(pokrovsk):
    client, resident = signed_in()
    page = client.get("/en/residents/alerts/")
    assert page.status_code == 200 and b"Alerts for an area" in page.content
    create(client, area="radius", lat=CENTRE[0], lon=CENTRE[1], radius_m=300)
    text = client.get("/en/residents/alerts/").content.decode()
    assert "300 m around" in text
    alert = resident.alerts.get()
    other = Client()
    sign_in(other, "someone.else@example.org")
    assert other.post(f"/residents/alerts/{alert.pk}/delete/").status_code == 404
    assert "300 m around" not in other.get("/en/residents/alerts/").content.decode()
    assert client.post(f"/residents/alerts/{alert.pk}/delete/").status_code == 302
    assert not Alert.objects.exists()


def test_alerts_die_with_the_account(pokrovsk, moderator):
    client, resident = signed_in()
    create(client)
    assert Alert.objects.count() == 1
    file_at(CENTRE).approve(moderator)
    assert len(alert_mails()) == 1  # queued, not yet delivered
    resident.delete_account()
    assert Alert.objects.count() == 0 and AlertItem.objects.count() == 0
    assert alert_mails() == []  # its mails not yet sent go too


BOWTIE = "48.27, 37.17\n48.28, 37.18\n48.27, 37.18\n48.28, 37.17"
HUGE = "48.0, 36.9\n48.0, 37.5\n48.6, 37.5\n48.6, 36.9"
FAR_AWAY = "50.40, 30.50\n50.41, 30.50\n50.41, 30.51"  # Kyiv


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"area": "radius", "lat": CENTRE[0], "lon": CENTRE[1], "radius_m": 10}, "radius_m",
         "from 50 m to 5 km"),
        ({"area": "radius", "lat": CENTRE[0], "lon": CENTRE[1], "radius_m": 6000}, "radius_m",
         "from 50 m to 5 km"),
        ({"area": "radius", "lat": CENTRE[0], "lon": CENTRE[1], "radius_m": "far"}, "radius_m",
         "whole number"),
        ({"area": "radius", "radius_m": 500}, "lat", "Give the point"),
        ({"area": "radius", "lat": 50.45, "lon": 30.52, "radius_m": 500}, "lat",
         "outside the hromada"),
        ({"area": "polygon", "polygon": "48.27, 37.17\n48.28, 37.18"}, "polygon",
         "at least three corners"),
        ({"area": "polygon", "polygon": "48.27, 37.17\nnorth, east\n48.28, 37.18"}, "polygon",
         "Line 2"),
        ({"area": "polygon", "polygon": BOWTIE}, "polygon", "cross each other"),
        ({"area": "polygon", "polygon": HUGE}, "polygon", "at most 100 km²"),
        ({"area": "polygon", "polygon": FAR_AWAY}, "polygon", "outside the hromada"),
        ({"categories": [999999]}, "categories", "from the list"),
        ({"municipality": "no-such"}, "municipality", "Choose a hromada"),
        ({"frequency": "hourly"}, "frequency", "valid choice"),
    ],
)  # fmt: skip
def test_bad_alerts_are_refused_with_the_reason(pokrovsk, fields, field, says):
    client, resident = signed_in()
    answer = create(client, **fields)
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert field in errors and says in " ".join(errors[field]), errors
    assert not resident.alerts.exists()


def test_category_of_another_hromada_is_refused(pokrovsk, pokrov):
    client, _resident = signed_in()
    foreign = pokrov.categories.filter(is_active=True).first()
    answer = create(client, categories=[foreign.pk])
    assert answer.status_code == 400
    assert "of the chosen hromada" in " ".join(answer.context["form"].errors["categories"])


def test_too_many_vertices_and_too_many_alerts(pokrovsk, settings):
    settings.ALERT_POLYGON_MAX_VERTICES = 5
    settings.ALERTS_PER_RESIDENT = 1
    client, resident = signed_in()
    lat, lon = CENTRE
    many = "\n".join(f"{lat + 0.001 * i}, {lon + 0.0001 * i * i}" for i in range(7))
    answer = create(client, area="polygon", polygon=many)
    assert "At most 5 corners" in " ".join(answer.context["form"].errors["polygon"])
    assert create(client).status_code == 302
    refused = create(client)
    assert refused.status_code == 400 and b"delete one first" in refused.content
    assert resident.alerts.count() == 1


def test_alerts_page_is_for_residents(pokrovsk, moderator):
    assert Client().get("/residents/alerts/")["Location"] == "/residents/sign-in/"
    staff = Client()
    staff.force_login(moderator)
    assert staff.get("/residents/alerts/").status_code == 403


def test_follower_mails_carry_one_click_unsubscribe_too(pokrovsk, moderator, worker_zhkg):
    report = file_at(CENTRE)
    report.approve(moderator)  # only a public report is followed
    follow = report.follow(None, "follower.one.click@example.org")
    report.accept(worker_zhkg)
    notification = Notification.objects.get(to_email="follower.one.click@example.org")
    mail.outbox.clear()
    Notification.deliver(notification.pk)
    (message,) = mail.outbox
    url = f"/reports/unsubscribe/{follow.token}/"
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{url}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    program = Client(enforce_csrf_checks=True)
    assert program.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    follow.refresh_from_db()
    assert follow.unsubscribed_at is not None
