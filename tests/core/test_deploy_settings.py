"""Production values: `check --deploy` is clean and a missing SECRET_KEY stops start-up."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "DEMO": "0",
    "SECRET_KEY": "x7$Qm2!pL9#vR4@tZ8^wK1&nB6*hJ3(eY5)sD0+fG2=cV7-aU4_iO9",
    "ALLOWED_HOSTS": "map.pokrovsk.example",
    "DATABASE_URL": "postgis://geoportal:secret@127.0.0.1:5432/geoportal",
    "EMAIL_URL": "smtp+tls://mailer:pw@mail.example.org:587",
}


def manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Only what a server's environment would hold: none of the test run's own variables.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_with_debug_off_stops_start_up():
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = manage("check", extra_env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_tile_url_without_placeholders_fails_the_system_check():
    result = manage(
        "check", extra_env={**PRODUCTION, "MAP_TILE_URL": "https://tiles.example/x.png"}
    )
    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "MAP_TILE_URL must contain {z}, {x}, {y}" in result.stderr
