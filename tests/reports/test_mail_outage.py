"""The mail server is down for an hour: notifications wait, then each goes exactly once.

Real parts: Django's SMTP backend talks to a loopback port where nothing listens (the
connection is refused, as with a stopped server), the real worker retries on the real
back-off (MAIL_RETRY_BASE_SECONDS 30, doubling, at most MAIL_RETRY_MAX_SECONDS 3600),
and then an SMTP server (aiosmtpd) comes up on that port and receives the mail.

The hour passes in the job queue, not on the wall: before each worker run every waiting
job's `scheduled_at` is moved back by the time until the next retry is due, which is
what waiting that long would do.
"""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob

from geoportal.reports.models import Notification
from tests.reports.conftest import file_report, run_worker

HOUR = 3600


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        subject = message_from_bytes(envelope.content)["Subject"]
        self.received.append((list(envelope.rcpt_tos), str(make_header(decode_header(subject)))))
        return "250 Message accepted for delivery"


@pytest.fixture
def down_mail_server(settings: Any) -> int:
    """SMTP settings pointing at a loopback port with nothing behind it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.MAIL_RETRY_BASE_SECONDS, settings.MAIL_RETRY_MAX_SECONDS = 30, 3600
    return port


def seconds_to_next_retry() -> float:
    """Until every waiting job is due again (they fail moments apart, on the same back-off)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT extract(epoch FROM max(scheduled_at) - now()) FROM procrastinate_jobs"
            " WHERE queue_name = 'mail' AND status = 'todo'"
        )
        return max(float(cursor.fetchone()[0] or 0), 0.0)


def let_time_pass(seconds: float) -> None:
    with connection.cursor() as cursor:  # Django's job model is read-only
        cursor.execute(
            "UPDATE procrastinate_jobs SET scheduled_at = scheduled_at - make_interval(secs => %s)"
            " WHERE queue_name = 'mail' AND status = 'todo' AND scheduled_at IS NOT NULL",
            [seconds],
        )


def tries_within(seconds: int, base: int, ceiling: int) -> int:
    """Attempts the back-off makes in `seconds`: the first at once, then after base, 2·base…"""
    tries, elapsed = 1, 0
    while elapsed + min(base * 2 ** (tries - 1), ceiling) <= seconds:
        elapsed += min(base * 2 ** (tries - 1), ceiling)
        tries += 1
    return tries


@pytest.mark.django_db(transaction=True)
def test_an_hour_without_a_mail_server_loses_and_doubles_nothing(
    pokrovsk, moderator, down_mail_server, no_jobs
):
    reporters = [f"reporter{n}@example.org" for n in range(3)]
    for email in reporters:
        file_report(reporter_email=email)
    expected = sorted((n.to_email, n.subject) for n in Notification.objects.all())
    assert len(expected) >= 3  # at least each reporter's receipt

    elapsed = 0.0
    run_worker("mail")  # the first try, at once
    while elapsed + seconds_to_next_retry() <= HOUR:
        wait = seconds_to_next_retry()
        let_time_pass(wait)
        elapsed += wait
        run_worker("mail")

    # An hour on: nothing sent, nothing given up, every notification still waiting.
    waiting = Notification.objects.pending()
    assert waiting.count() == len(expected)
    assert all("Connection refused" in n.last_error for n in waiting)
    jobs = ProcrastinateJob.objects.filter(queue_name="mail")
    assert {job.status for job in jobs} == {"todo"}
    assert {job.attempts for job in jobs} == {tries_within(HOUR, 30, 3600)} == {7}
    assert {n.attempts for n in waiting} == {7}

    # The server is back: the next retry delivers each notification once.
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=down_mail_server)
    server.start()
    try:
        let_time_pass(seconds_to_next_retry())
        run_worker("mail")
        run_worker("mail")  # a second pass finds nothing left to send
    finally:
        server.stop()
    delivered = sorted((to[0], subject) for to, subject in inbox.received)
    assert delivered == expected
    assert not Notification.objects.pending().exists()
    assert {job.status for job in jobs.all()} == {"succeeded"}  # a fresh read
    assert all([to for to, _subject in delivered].count(email) == 1 for email in reporters)
