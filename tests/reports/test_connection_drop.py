"""The database connection dies in the middle of a submission (its backend terminated
from a second connection, after the photos were written): the client gets a clear 503,
no report, event or photo file is left behind, and the retry with the same
Idempotency-Key files the report exactly once."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from rest_framework.test import APIClient

from geoportal.reports import intake
from geoportal.reports.models import Report, ReportEvent, ReportPhoto
from tests.cast import conninfo
from tests.reports.conftest import jpeg, new_report_form, stored_files

pytestmark = pytest.mark.django_db(transaction=True)  # real commits, a real second backend


def _terminate(pid: int) -> None:
    with psycopg.connect(conninfo(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


def _submit(client: APIClient, key: str) -> Any:
    return client.post("/api/v1/reports/", new_report_form(photos=jpeg()), format="multipart",
                       HTTP_IDEMPOTENCY_KEY=key, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip


def test_connection_lost_mid_submission_leaves_nothing_and_the_retry_files_once(
    pokrovsk, media: Path, monkeypatch
):
    original = intake.store
    killed: list[int] = []

    def store_then_lose_the_connection(*args: Any, **kwargs: Any) -> Any:
        stored = original(*args, **kwargs)  # the photo files are on disk now
        assert stored_files(media), "photos should be written before the drop"
        pid = connection.connection.info.backend_pid
        _terminate(pid)
        killed.append(pid)
        return stored

    monkeypatch.setattr(intake, "store", store_then_lose_the_connection)
    client = APIClient()
    key = str(uuid.uuid4())
    failed = _submit(client, key)
    assert killed, "the backend was not terminated"
    assert failed.status_code == 503
    assert failed["Retry-After"] == "5"
    assert "nothing was saved" in failed.json()["detail"]
    assert Report.objects.count() == ReportEvent.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert stored_files(media) == []  # no orphan photo or thumbnail

    monkeypatch.setattr(intake, "store", original)
    first = _submit(client, key)
    again = _submit(client, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Report.objects.count() == 1 and ReportEvent.objects.count() == 1
    assert len(stored_files(media)) == 2  # the photo and its thumbnail, once
