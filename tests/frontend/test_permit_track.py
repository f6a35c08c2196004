"""The applicant's actions on the tracking page (frontend/permits/tracking.py): withdraw
while in review, with the version the page showed, and never twice; report the
installation with a photo once granted, checked like any document; a refusal's ground and
reasons told."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from geoportal.permits.states import RefusalReason, State
from tests.frontend.permit_cases import sent, walk
from tests.permits.conftest import jpeg, pdf

pytestmark = pytest.mark.django_db


def test_withdrawing_while_in_review_and_not_twice(pokrovsk: Any, worker_arch: Any) -> None:
    client, application = sent()
    walk(application, worker_arch, "under_review")
    path = f"/en/permits/a/{application.tracking_code}/"
    stale = client.post(f"{path}withdraw/", {"version": 0, "text": "Передумали"})
    assert stale.status_code == 409  # the page was read before the registration
    assert "changed meanwhile" in stale.content.decode()
    done = client.post(f"{path}withdraw/", {"version": application.version, "text": "Передумали"})
    assert done.status_code == 302 and done["Location"] == path
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    page = client.get(path).content.decode()
    assert "The application is withdrawn." in page and "Передумали" in page
    again = client.post(f"{path}withdraw/", {"version": application.version})
    assert again.status_code == 409 and "not possible" in again.content.decode()


def test_a_refusal_shows_its_ground_and_reasons(pokrovsk: Any, worker_arch: Any) -> None:
    _client, application = sent()
    walk(application, worker_arch, "under_review")
    application.refuse(worker_arch, RefusalReason.PLANNING_DOCUMENTS, "Зона парку.")
    text = Client().get(f"/en/permits/a/{application.tracking_code}/").content.decode()
    assert "Refused" in text and "Contrary to the planning documents" in text
    assert "Зона парку." in text and "Withdraw" not in text


@pytest.mark.parametrize(
    ("photo", "status", "reason"),
    [(None, 400, "required"),
     (lambda: pdf(name="photo.pdf"), 400, "a JPEG or PNG photo"),
     (lambda: ContentFile(b"GIF89a....", name="photo.gif"), 400, "a JPEG or PNG photo"),
     (lambda: jpeg(), 302, "")],
    ids=["no photo", "a PDF", "a GIF", "a JPEG"],
)  # fmt: skip
def test_the_installation_is_reported_with_a_photo_once_granted(
    pokrovsk: Any, worker_arch: Any, photo: Any, status: int, reason: str
) -> None:
    client, application = sent()
    path = f"/en/permits/a/{application.tracking_code}/"
    early = client.post(f"{path}installation/", {"photo": jpeg()})
    assert early.status_code == 409  # not granted yet
    walk(application, worker_arch, "granted")
    body = {"version": application.version} | ({"photo": photo()} if photo else {})
    answer = client.post(f"{path}installation/", body)
    assert answer.status_code == status
    application.refresh_from_db()
    if status == 302:
        assert application.state == State.ACTIVE
        assert application.documents.filter(kind="installation_photo").count() == 1
        assert "the installation is reported" in client.get(path).content.decode()
    else:
        assert application.state == State.GRANTED
        error = re.search(r'id="error-photo"[^>]*>(.*?)</p>', answer.content.decode(), re.S)
        assert error is not None and reason in error.group(1)
