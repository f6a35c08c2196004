"""Updates from residents: a comment and up to three photos on an open public report (the
reporter also while it is new), moderated in a queue, then shown in the public timeline and
sent to the followers and the department."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from geoportal.reports.models import (
    Follow,
    Notification,
    NotificationKind,
    Report,
    ReportPhoto,
    ReportUpdate,
    UpdateState,
)
from geoportal.reports.models.update import UPDATE_TEXT_MAX
from tests.reports.conftest import file_report, jpeg
from tests.residents.conftest import sign_in

pytestmark = pytest.mark.django_db

NEIGHBOUR = "maria.neighbour@example.org"
REPORTER = "olha.reporter@example.org"


def photo(name: str = "p.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(gps=(48.2771, 37.1772)).read(), "image/jpeg")


def resident(email: str = NEIGHBOUR) -> Client:
    client = Client()
    sign_in(client, email)
    return client


def add(client: Client, report: Report, text: str = "Досі не горить, стало гірше.",
        photos: int = 0) -> Any:  # fmt: skip
    files = [photo(f"p{i}.jpg") for i in range(photos)]
    return client.post(
        f"/en/reports/{report.pk}/updates/", {"text": text, "photos": files}, follow=True
    )


@pytest.fixture
def routed(pokrovsk: Any, moderator: Any) -> Report:
    report = file_report()
    report.approve(moderator)
    return report


def test_update_is_moderated_then_shown_and_sent(routed, moderator, worker_zhkg):
    Follow.objects.create(report=routed, email="follower@example.org", language="en")
    client = resident()
    answer = add(client, routed, photos=2)
    assert b"sent to the moderator" in answer.content
    update = ReportUpdate.objects.get()
    assert update.state == UpdateState.PENDING and not update.by_reporter
    photos = list(ReportPhoto.objects.filter(update=update))
    assert len(photos) == 2 and all(p.is_hidden for p in photos)
    # Pending: not on the public page, its photos not served to anyone but the staff.
    public = Client().get(f"/en/reports/{routed.pk}/").content.decode()
    assert "стало гірше" not in public
    assert Client().get(photos[0].thumbnail.url).status_code == 404
    # The re-encoded file carries no EXIF.
    with Image.open(photos[0].image.path) as stored:
        assert not stored.getexif()
    # The moderators' queue shows it; publishing writes the public event.
    staff = Client()
    staff.force_login(moderator)
    queue = staff.get("/en/staff/updates/").content.decode()
    assert "стало гірше" in queue and f"#{routed.pk}" in queue
    before = Notification.objects.count()
    assert staff.post(f"/staff/updates/{update.pk}/", {"decision": "approve"}).status_code == 302
    update.refresh_from_db()
    assert update.state == UpdateState.APPROVED and update.event is not None
    page = Client().get(f"/en/reports/{routed.pk}/").content.decode()
    assert "Update from a resident" in page and "стало гірше" in page
    assert NEIGHBOUR not in page
    assert Client().get(photos[0].thumbnail.url).status_code == 200
    sent = Notification.objects.order_by("pk")[before:]
    kinds = {(n.kind, n.to_email) for n in sent}
    assert (NotificationKind.PUBLIC_CHANGE, "follower@example.org") in kinds
    assert (NotificationKind.RESIDENT_UPDATE, worker_zhkg.email) in kinds
    for notification in sent:
        assert NEIGHBOUR not in notification.body
    assert "стало гірше" not in staff.get("/en/staff/updates/").content.decode()


def test_rejected_update_stays_hidden_with_its_ground(routed, moderator):
    add(resident(), routed, text="Реклама: купуйте вікна!", photos=1)
    update = ReportUpdate.objects.get()
    staff = Client()
    staff.force_login(moderator)
    staff.post(
        f"/staff/updates/{update.pk}/", {"decision": "reject", "ground": "spam_or_advertising"}
    )
    update.refresh_from_db()
    assert update.state == UpdateState.REJECTED and update.rejection_ground == "spam_or_advertising"
    assert "купуйте" not in Client().get(f"/en/reports/{routed.pk}/").content.decode()
    assert Client().get(ReportPhoto.objects.get(update=update).image.url).status_code == 404
    # Moderated once only.
    again = staff.post(f"/en/staff/updates/{update.pk}/", {"decision": "approve"}, follow=True)
    assert b"moderated already" in again.content


def test_other_ground_needs_a_comment_and_unknown_grounds_are_refused(routed, moderator):
    add(resident(), routed)
    update = ReportUpdate.objects.get()
    staff = Client()
    staff.force_login(moderator)
    for body in ({"decision": "reject", "ground": "other"},
                 {"decision": "reject", "ground": "no-such"}):  # fmt: skip
        staff.post(f"/staff/updates/{update.pk}/", body)
        update.refresh_from_db()
        assert update.state == UpdateState.PENDING


def test_reporter_adds_information_while_the_report_is_new(pokrovsk):
    report = file_report(reporter_email=REPORTER)
    stranger = add(resident(), report)
    assert stranger.status_code == 404  # a new report is not public
    reporter = resident(REPORTER)
    answer = add(reporter, report, text="Додаю: ліхтар біля входу №2.")
    assert b"sent to the moderator" in answer.content
    assert ReportUpdate.objects.get().by_reporter


@pytest.mark.parametrize(
    ("photos", "text", "says"),
    [
        (4, "Стало гірше.", "At most 3 photos"),
        (0, "x" * (UPDATE_TEXT_MAX + 1), "At most 2000 characters"),
        (0, "   ", "Write what you saw"),
        (0, "Текст\u202eз переворотом", ""),
    ],
)
def test_bad_updates_are_refused(routed, photos, text, says):
    answer = add(resident(), routed, text=text, photos=photos)
    assert not ReportUpdate.objects.exists()
    assert not ReportPhoto.objects.filter(update__isnull=False).exists()
    assert b"message-error" in answer.content
    assert says.encode() in answer.content


def test_no_update_on_a_closed_report(routed, moderator, worker_zhkg):
    routed.accept(worker_zhkg)
    routed.resolve(worker_zhkg, "Зроблено.")
    answer = add(resident(), routed)
    assert b"can no longer be added" in answer.content
    assert not ReportUpdate.objects.exists()
    assert b"update-form" not in answer.content


def test_anonymous_and_staff_cannot_add_updates(routed, moderator):
    anonymous = Client().post(f"/reports/{routed.pk}/updates/", {"text": "Є"})
    assert anonymous["Location"] == "/residents/sign-in/"
    staff = Client()
    staff.force_login(moderator)
    assert staff.post(f"/reports/{routed.pk}/updates/", {"text": "Є"}).status_code == 403
    assert not ReportUpdate.objects.exists()


def test_only_the_hromadas_moderators_see_the_queue(routed, worker_zhkg, coordinator):
    add(resident(), routed)
    update = ReportUpdate.objects.get()
    for person in (worker_zhkg, coordinator):
        client = Client()
        client.force_login(person)
        assert client.get("/staff/updates/").status_code == 403
        assert (
            client.post(f"/staff/updates/{update.pk}/", {"decision": "approve"}).status_code == 403
        )
    update.refresh_from_db()
    assert update.state == UpdateState.PENDING


def test_the_form_is_offered_to_signed_in_residents(routed):
    assert b"update-form" not in Client().get(f"/en/reports/{routed.pk}/").content
    assert b"Sign in to add an update" in Client().get(f"/en/reports/{routed.pk}/").content
    assert b"update-form" in resident().get(f"/en/reports/{routed.pk}/").content
