"""A worker killed (SIGKILL) in the middle of a job: the job is put back by the stalled-job
task and done by another worker, once; nothing is lost and nothing is sent twice.

The first worker is a real `manage.py procrastinate worker` process whose mail server (a
socket on loopback) accepts the connection and never answers, so the job hangs in the
middle of its delivery until the process is killed."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from procrastinate.contrib.django import app

from geoportal.core.tasks import retry_stalled
from geoportal.reports.models import Notification
from tests.cast import database_url
from tests.reports.conftest import file_report, run_worker

pytestmark = pytest.mark.django_db(transaction=True)  # the worker process sees commits only


@pytest.fixture
def silent_mail_server() -> Iterator[int]:
    """A TCP server on loopback that accepts and then says nothing (a hung mail server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for peer in held:
        peer.close()
    server.close()


def _retry_stalled() -> int:
    """retry_stalled in a thread of its own: Playwright's sync API may keep an event loop
    running in the test's thread."""
    coroutine: Coroutine[object, object, int] = retry_stalled(app.job_manager, 1)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def _job_states() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, attempts FROM procrastinate_jobs WHERE queue_name = 'mail' ORDER BY id"
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"Gave up waiting for {what} after {seconds} s.")


def test_a_killed_worker_loses_nothing_and_sends_once(
    pokrovsk, moderator, silent_mail_server, no_jobs
):
    file_report()  # the reporter's "received" mail: one notification, one job
    notification = Notification.objects.get()
    assert _job_states() == [("todo", 0)]
    hung_mail = f"smtp://127.0.0.1:{silent_mail_server}"
    env = {**os.environ, "DATABASE_URL": database_url(), "DATABASE_REPLICA_URL": "",
           "EMAIL_URL": hung_mail, "EMAIL_TIMEOUT": "120"}  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "mail",
         "--concurrency", "1"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(lambda: _job_states() == [("doing", 0)], 60, "the worker to take the job")
        time.sleep(1)  # inside the delivery, waiting for the mail server's greeting
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert _job_states() == [("doing", 0)]  # stuck with a dead worker, not lost
    notification.refresh_from_db()
    assert notification.sent_at is None

    time.sleep(2)  # the dead worker's last heartbeat is now over a second old
    assert _retry_stalled() == 1  # and the dead worker is pruned
    assert _job_states()[0][0] == "todo"
    mail.outbox.clear()
    run_worker("mail")  # a healthy worker, with the test's in-memory mail server
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["olha.reporter@example.org"]
    assert [state for state, _attempts in _job_states()] == ["succeeded"]
    # Nothing further to retry: the stalled job was taken once.
    assert _retry_stalled() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_workers")
        assert cursor.fetchone()[0] == 0  # neither the dead worker nor the healthy one
