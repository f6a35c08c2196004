"""The server set-up chosen by measure 10 (tests/perf/serving.py), pinned where it is
written: gunicorn's settings file shared by the image and the bench, and nginx keeping its
connections to gunicorn alive, closing idle ones before gunicorn would."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

from tests.perf import server

BASE_DIR = Path(__file__).resolve().parents[2]
DOCKER = BASE_DIR / "docker"


def gunicorn_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in ("WEB_CONCURRENCY", "WEB_THREADS", "WEB_KEEPALIVE_SECONDS", "WEB_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DOCKER / "gunicorn.conf.py"))


def seconds(text: str, directive: str) -> int:
    found = re.findall(rf"^\s*{directive}\s+(\d+)s?;", text, flags=re.MULTILINE)
    assert found, directive
    return int(found[0])


def test_gunicorn_runs_gthread_workers_with_documented_defaults(monkeypatch):
    chosen = gunicorn_settings(monkeypatch)
    assert chosen["worker_class"] == "gthread"
    assert (chosen["workers"], chosen["threads"]) == (4, 4)
    assert chosen["wsgi_app"] == "geoportal.wsgi:application"
    assert chosen["bind"] == "0.0.0.0:8000"
    example = (DOCKER / ".env.example").read_text()
    for line in ("WEB_CONCURRENCY=4", "WEB_THREADS=4", "WEB_KEEPALIVE_SECONDS=75",
                 "WEB_TIMEOUT_SECONDS=120"):  # fmt: skip
        assert re.search(rf"^{line}$", example, flags=re.MULTILINE), line
    scaled = gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3", WEB_THREADS="8")
    assert (scaled["workers"], scaled["threads"]) == (3, 8)
    with pytest.raises(ValueError, match="WEB_THREADS"):
        gunicorn_settings(monkeypatch, WEB_THREADS="0")


def test_the_image_and_the_bench_serve_with_the_same_settings_file():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "--config", "docker/gunicorn.conf.py"]' in dockerfile
    assert server.GUNICORN_CONF == DOCKER / "gunicorn.conf.py"


def test_nginx_keeps_its_connections_to_gunicorn_alive(monkeypatch):
    conf = (DOCKER / "nginx.conf").read_text()
    upstream = re.search(r"upstream geoportal_web \{(.*?)\}", conf, flags=re.DOTALL)
    assert upstream, "no upstream geoportal_web"
    assert seconds(upstream.group(1), "keepalive") >= 8
    idle = seconds(upstream.group(1), "keepalive_timeout")
    # gunicorn keeps an idle connection longer than nginx: nginx closes it first.
    chosen = gunicorn_settings(monkeypatch)
    assert int(str(chosen["keepalive"])) > idle
    # Every proxied location speaks HTTP/1.1 without "Connection: close" to gunicorn.
    locations = re.findall(r"location [^{]*\{(.*?)\n    \}", conf, flags=re.DOTALL)
    proxied = [body for body in locations if "proxy_pass http://geoportal_web;" in body]
    assert len(proxied) >= 2
    for body in proxied:
        assert "proxy_http_version 1.1;" in body
        assert 'proxy_set_header Connection "";' in body
    # gunicorn does not restart a worker before nginx gives up on its answer.
    assert int(str(chosen["timeout"])) >= seconds(conf, "proxy_read_timeout")
