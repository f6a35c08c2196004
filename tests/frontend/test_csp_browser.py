"""The Content-Security-Policy: only the site itself, the tile host and the media host.

Every browser test already fails on a refusal (tests/conftest.py `csp_refusals`); these
tests show the policy is really there, that it stops an injected script, and that the
pages no other browser test opens (the admin's map widgets, the API's Swagger UI) run
under it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from geoportal.envconfig import url_origin
from tests.conftest import close_settled
from tests.core.test_deploy_settings import PRODUCTION, manage
from tests.frontend.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def directives(header: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_every_page_answers_with_the_policy_and_a_fresh_nonce(client, pokrovsk):
    first, second = client.get("/en/"), client.get("/en/")
    policy = directives(first["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in first["Content-Security-Policy"]
    # The map loader's inline script carries the nonce of its own answer, never the last one.
    nonces = [
        re.search(r"'nonce-([^']+)'", answer["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
        for answer in (first, second)
    ]
    assert nonces[0] != nonces[1]
    assert f'<script nonce="{nonces[0]}">' in first.content.decode()
    # An API answer has the policy too, without a nonce nobody asked for.
    api = client.get("/api/v1/municipalities/")
    assert "'nonce-" not in api["Content-Security-Policy"]


def test_images_are_allowed_only_from_the_site_the_tile_host_and_the_media_host():
    assert (
        url_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    )
    assert (
        url_origin("https://user:pw@tiles.example.org:8443/t/{z}")
        == "https://tiles.example.org:8443"
    )
    assert url_origin("/tiles/{z}/{x}/{y}.png") is None
    assert url_origin("javascript:alert(1)") is None
    img = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert img == ["'self'", "data:", url_origin(settings.MAP_TILE_URL)]

    # A production server with its own tile host and photos on S3 (a private bucket: the
    # photo view redirects to presigned URLs of the bucket's own host).
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES'], default=repr))"
    )
    env = {
        **PRODUCTION,
        "MAP_TILE_URL": "https://{s}.tiles.pokrovsk.example/{z}/{x}/{y}.png",
        "MEDIA_STORAGE": "storages.backends.s3.S3Storage",
        "S3_BUCKET": "photos",
        "DJANGO_SETTINGS_MODULE": "geoportal.settings",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
                         capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    production = json.loads(out.stdout)
    assert production["img-src"] == [
        "'self'",
        "data:",
        "https://*.tiles.pokrovsk.example",
        "https://photos.s3.amazonaws.com",
    ]
    assert production["script-src"] == ["'self'", "csp.constants.NONCE"]
    assert manage("check", "--deploy", "--fail-level", "WARNING", extra_env=env).returncode == 0


def test_an_injected_inline_script_is_refused_and_does_not_run(page, live_server, pokrovsk,
                                                              csp_refusals):  # fmt: skip
    page.goto(f"{live_server.url}/en/")
    page.locator("#city-map .leaflet-map-pane").wait_for(state="attached")
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true;")
    assert page.evaluate("window.injected === undefined")
    page.wait_for_timeout(200)
    assert any("inline script" in refusal for refusal in csp_refusals), csp_refusals
    csp_refusals.clear()  # seen and expected: the watcher itself would fail the test otherwise


def test_admin_map_widgets_and_api_docs_work_under_the_policy(browser, live_server, pokrovsk,
                                                              admin_user, offline_tiles,
                                                              csp_refusals):  # fmt: skip
    tab = sign_in(browser, live_server, admin_user)
    for path in ("/en/admin/layers/temporarystructure/add/",
                 f"/en/admin/municipalities/municipality/{pokrovsk.pk}/change/"):  # fmt: skip
        tab.goto(f"{live_server.url}{path}")
        # django-leaflet's widget starts only if its nonce'd inline script ran.
        tab.locator(".leaflet-container .leaflet-map-pane").first.wait_for(state="attached")
        assert not csp_refusals, path
    tab.goto(f"{live_server.url}/api/v1/docs/")
    tab.locator(".swagger-ui .opblock").first.wait_for()
    assert tab.locator(".swagger-ui .title").first.inner_text().startswith("Geoportal API")
    close_settled(tab.context)
