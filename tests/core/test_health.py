"""/health/ reports the database and whether a background worker is alive."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import reverse

from tests.cast import database_url


def test_health_reports_postgis_and_no_worker(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")
    assert (body["status"], body["workers"]) == ("degraded", 0)


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_shows_up_in_health(client):
    env = {**os.environ, "DATABASE_URL": database_url()}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        body = client.get(reverse("health")).json()
        while body["workers"] == 0 and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            time.sleep(0.5)
            body = client.get(reverse("health")).json()
        assert (body["status"], body["workers"]) == ("ok", 1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
