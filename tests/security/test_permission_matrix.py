"""Every cell of the permission matrix (permission_matrix.py) is asked of the site, and
every URL pattern of the project has a row there (deny by default, for the documentation
too)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

from tests.security.permission_matrix import (
    MATRIX,
    PRIVATE_PARTS,
    ROLES,
    WITHOUT_ROW,
    Row,
    denial,
)
from tests.security.world import World, markers, undone, world  # noqa: F401  (fixtures)

# Marked so that pytest-django sets up the test database even when this module runs
# alone; each test is then a savepoint inside the module's world (tests/security/world.py).
pytestmark = pytest.mark.django_db

REDIRECTS = (301, 302, 303)
SIGN_IN_PAGES = ("/login/", "/admin/login/")


def pattern_key(name: str | None, route: str, groups: set[str]) -> str:
    """A URL pattern as the matrix names it: its namespaced name, `.format` for the DRF
    variant with a format suffix; an unnamed pattern by its route."""
    if name is None or name.endswith(":"):
        return f"{name or ''}<unnamed> {route}"
    return name + (".format" if "format" in groups else "")


def project_patterns() -> dict[str, str]:
    """Every URL pattern of the project (i18n pages included), key → route."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, route: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            here = route + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, here, inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else (namespace or None)
                groups = set(entry.pattern.regex.groupindex)
                found[pattern_key(name, here, groups)] = here

    walk(get_resolver(), "", "")
    return found


def is_left_out(key: str) -> bool:
    return any(re.search(rule, key) for rule in WITHOUT_ROW)


def test_every_url_pattern_has_a_row():
    """A new URL pattern fails here until its expectations are written in the matrix."""
    written = {row.pattern for row in MATRIX}
    patterns = project_patterns()
    missing = sorted(k for k in patterns if k not in written and not is_left_out(k))
    assert not missing, (
        f"URL patterns without a row in tests/security/permission_matrix.py: {missing}"
    )
    unknown = sorted(written - set(patterns))
    assert not unknown, f"rows naming URL patterns the project does not have: {unknown}"
    # Only per-object and helper pages of the admin are left out, never a change list.
    assert not [k for k in patterns if k.endswith("_changelist") and k not in written]


@pytest.mark.parametrize("row", MATRIX, ids=[row.id for row in MATRIX])
def test_each_rows_path_is_its_pattern(row: Row):
    path = urlsplit(re.sub(r"\{\w+\}", "1", row.path)).path
    with translation.override("en" if path.startswith("/en/") else "uk"):
        match = resolve(path)
    assert pattern_key(match.view_name, match.route, set(match.kwargs)) == row.pattern


def ask(client: Any, row: Row, objects: World) -> HttpResponse:
    path = objects.fill(row.path)
    if row.method == "GET":
        return client.get(path)
    body = {k: objects.fill(v) if isinstance(v, str) else v for k, v in (row.body or {}).items()}
    if row.method != "POST":  # the OGC API's OPTIONS, PUT, PATCH and DELETE
        kind = "application/merge-patch+json" if row.method == "PATCH" else "application/geo+json"
        text = json.dumps(body) if row.body is not None else ""
        return client.generic(row.method, path, text, content_type=kind)
    if path.startswith(("/api/", "/ogc/")):
        return client.post(path, json.dumps(body), content_type="application/json")
    return client.post(path, body)


def content(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def leaked(body: bytes, role: str) -> list[str]:
    """Private markers in an answer that the role may not be shown."""
    return [marker for group, allowed in PRIVATE_PARTS.items() if role not in allowed
            for marker in markers(group) if marker.encode() in body]  # fmt: skip


def told(response: HttpResponse, body: bytes) -> str:
    where = response.get("Location", "")
    return f"{response.status_code} {where or body[:300].decode(errors='replace')}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=[f"{n:03} {row.id}" for n, row in enumerate(MATRIX)])
def test_cell(world: World, undone: None, row: Row, role: str):  # noqa: F811
    response = ask(world.client(role), row, world)
    status, body = response.status_code, content(response)
    assert not leaked(body, role), f"{role} is shown private parts {leaked(body, role)}"
    if role in row.allow:
        assert status in row.ok, f"{role} should be allowed: {told(response, body)} {row.note}"
        if status in REDIRECTS:
            assert urlsplit(response["Location"]).path not in SIGN_IN_PAGES, told(response, body)
    else:
        expected = denial(row, role)
        refused = f"{role} should be denied: {told(response, body)} {row.note}"
        assert status == expected.status, refused
        if expected.location:
            assert urlsplit(response["Location"]).path == expected.location, refused
