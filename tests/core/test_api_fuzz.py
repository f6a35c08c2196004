"""Schemathesis fuzzes the whole /api/v1/ OpenAPI schema against the live server: no server
error, and every answer (status, content type, body) as the schema describes it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.reports.conftest import file_report

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance",
])  # fmt: skip


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_as_its_schema_says(live_server, pokrovsk, moderator, coordinator):
    file_report().approve(moderator)  # something public to list and look at
    # As a coordinator, so that the staff queues are fuzzed too; the public endpoints
    # answer a signed-in person as they answer anyone.
    headers = ["-H", f"Authorization: Token {Token.objects.create(user=coordinator).key}"]
    run = subprocess.run(
        [str(SCHEMATHESIS), "run", f"{live_server.url}/api/v1/schema/", "--checks", CHECKS,
         "--phases", "examples,coverage,fuzzing", "--max-examples", "4", "--workers", "2",
         "--seed", "20261123", "--max-failures", "20", *headers],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    summary = run.stdout[run.stdout.find("SUMMARY") :]
    assert run.returncode == 0, run.stdout[-6000:]
    assert "passed" in summary and "failures" not in summary.lower().split("warnings")[0]
