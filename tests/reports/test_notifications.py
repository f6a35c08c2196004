"""Notifications: who is told what, in which language, delivered by the real worker."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob

from geoportal.reports.models import Notification
from tests.reports.conftest import file_report, run_worker
from tests.reports.flaky_mail import FlakyBackend


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.reports.flaky_mail.FlakyBackend"
    settings.MAIL_RETRY_BASE_SECONDS = 0  # retry at once, so the test needs no waiting
    FlakyBackend.failures_left, FlakyBackend.refused = 2, 0
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.failures_left = 0


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_is_retried_and_the_mail_goes_once(pokrovsk, flaky_mail, no_jobs):
    report = file_report()
    notification = Notification.objects.get(report=report)
    run_worker("mail")
    notification.refresh_from_db()
    assert flaky_mail.refused == 2  # refused twice, then taken
    assert notification.sent_at is not None and notification.attempts == 3
    assert [m.to for m in mail.outbox] == [["olha.reporter@example.org"]]
    assert mail.outbox[0].subject == notification.subject
    # Running the job again (a duplicate delivery) sends nothing more.
    Notification.deliver(notification.pk)
    run_worker("mail")
    assert len(mail.outbox) == 1
    job = ProcrastinateJob.objects.get(args={"notification_id": notification.pk})
    assert (job.status, job.attempts) == ("succeeded", 3)


@pytest.mark.django_db(transaction=True)
def test_while_the_server_is_down_nothing_is_lost(pokrovsk, flaky_mail, settings, no_jobs):
    settings.MAIL_RETRY_BASE_SECONDS = 3600  # the next try is an hour away
    flaky_mail.failures_left = 10
    reports = [file_report(title=f"Проблема {n}") for n in range(3)]
    run_worker("mail")
    assert mail.outbox == []
    waiting = Notification.objects.pending()
    assert waiting.count() == 3 and all("SMTPServerDisconnected" in n.last_error for n in waiting)
    # Each job waits for its retry (status todo), none has failed for good.
    assert set(ProcrastinateJob.objects.values_list("status", flat=True)) == {"todo"}
    flaky_mail.failures_left = 0
    with connection.cursor() as cursor:  # the hour has passed (Django's job model is read-only)
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo'")
    run_worker("mail")
    assert sorted(m.to[0] for m in mail.outbox) == ["olha.reporter@example.org"] * 3
    assert not Notification.objects.pending().exists()
    assert {n.report_id for n in Notification.objects.all()} == {r.pk for r in reports}


def test_the_reporter_is_told_in_their_language(pokrovsk, moderator):
    uk = file_report()
    en = file_report(language="en", reporter_email="reporter.en@example.org")
    subjects = dict(Notification.objects.values_list("report_id", "subject"))
    assert subjects[uk.pk] == f"Звернення №{uk.pk} отримано"
    assert subjects[en.pk] == f"Report #{en.pk} received"
    en.approve(moderator)
    change = Notification.objects.get(report=en, kind="public_change")
    assert change.subject == f"Report #{en.pk}: Forwarded to department"
    assert "Housing and communal services" in change.body


def test_who_is_told_of_what(pokrovsk, moderator, worker_zhkg, head_zhkg, coordinator):
    report = file_report()
    report.approve(moderator)
    routed = set(Notification.objects.filter(kind="routed").values_list("to_email", flat=True))
    assert routed == {worker_zhkg.email, head_zhkg.email}
    report.return_to_moderator(worker_zhkg, "Не наш відділ")
    returned = Notification.objects.filter(kind="returned")
    assert set(returned.values_list("to_email", flat=True)) == {moderator.email}
    # The return's reason is internal: the reporter is not told of it.
    assert not Notification.objects.filter(kind="public_change", event__action="return").exists()
    report.approve(moderator)
    report.accept(worker_zhkg)
    report.comment(worker_zhkg, "Внутрішня примітка")
    report.comment(worker_zhkg, "Бригада виїде завтра", public=True)
    report.resolve(worker_zhkg, "Лампу замінено")
    report.dispute(report.tracking_code, "Досі темно")
    disputed = Notification.objects.filter(kind="disputed")
    assert set(disputed.values_list("to_email", flat=True)) == {moderator.email}
    to_reporter = Notification.objects.filter(to_email="olha.reporter@example.org")
    assert list(to_reporter.order_by("pk").values_list("kind", "event__action")) == [
        ("submitted", "submit"),
        ("public_change", "approve"),
        ("public_change", "approve"),
        ("public_change", "accept"),
        ("public_change", "comment"),
        ("public_change", "resolve"),
    ]
    assert coordinator.email not in set(Notification.objects.values_list("to_email", flat=True))


def test_the_reporters_links_open_their_report_dispute_and_unsubscribe(
    client, pokrovsk, moderator, worker_zhkg
):
    report = file_report()
    report.approve(moderator)
    report.accept(worker_zhkg)
    report.resolve(worker_zhkg, "Лампу замінено")
    body = Notification.objects.filter(kind="public_change").latest("pk").body
    tracking = report.tracking_url.removeprefix("http://127.0.0.1:8000")
    unsubscribe = next(w for w in body.split() if "/unsubscribe/" in w).split("8000", 1)[1]
    assert report.tracking_url in body
    page = client.get(tracking)
    assert page.status_code == 200 and "Лампу замінено" in page.content.decode()
    assert 'name="comment"' in page.content.decode()  # the dispute form
    answer = client.post(tracking, {"comment": "Досі не горить"}, follow=True)
    assert answer.status_code == 200
    report.refresh_from_db()
    assert report.disputed_at is not None
    assert client.get(unsubscribe).status_code == 200  # asks first: scanners only GET
    assert report.follows.get().unsubscribed_at is None
    client.post(unsubscribe)
    assert report.follows.get().unsubscribed_at is not None
    report.reopen(moderator, "Перевіримо ще раз")
    assert not Notification.objects.filter(
        to_email="olha.reporter@example.org", event__action="reopen"
    ).exists()
