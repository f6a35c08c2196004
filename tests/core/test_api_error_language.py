"""The API's own error answers follow the language the page asks for (issue 17)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("language", "detail"),
    [("uk", "За адресою /api/v1/nothing/ нічого немає."), ("en", "Nothing at /api/v1/nothing/.")],
)
def test_api_not_found_is_told_in_the_asked_language(db: None, language: str, detail: str):
    answer = Client().get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 404
    assert answer.json() == {"detail": detail}
    assert answer["Content-Language"] == language
