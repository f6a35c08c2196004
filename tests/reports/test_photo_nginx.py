"""docker/nginx.conf's media locations, run for real: nginx (Debian's, unpacked by `make`)
in front of the Django live server, both on loopback, sharing one media folder.

The config's own server block is used as written; only what points outside the test is
replaced (the Docker resolver and service name, the volumes' paths, the port). Then every
way to a report photo is asked through nginx: the checked URLs (nginx sends the file after
Django's X-Accel-Redirect), the internal location itself, the old /media/ addresses and
path tricks on them, and a layer photo (served by nginx straight from the volume).
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.conf import settings as django_settings
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test import Client

from geoportal.reports.models import ReportPhoto
from tests.cast import join, make_user
from tests.nginx import standalone_config
from tests.reports.conftest import file_report, jpeg
from tests.s3 import free_port

NGINX = django_settings.BASE_DIR / ".local" / "nginx" / "usr" / "sbin" / "nginx"
CONF = django_settings.BASE_DIR / "docker" / "nginx.conf"
ACCEL = "/internal-media/"


def server_block(web_port: int, port: int, media: Path, scratch: Path) -> str:
    """docker/nginx.conf with the Docker-only parts pointed at this test's loopback."""
    text = CONF.read_text()
    text = re.sub(r"^resolver .*;$", "", text, flags=re.MULTILINE)
    text = text.replace("server web:8000 resolve;", f"server 127.0.0.1:{web_port};")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
    text = text.replace("/srv/media/", f"{media}/").replace("/srv/static/", f"{scratch}/static/")
    text = text.replace("/var/cache/nginx/geoportal", str(scratch / "cache"))
    for replaced in ("web:8000", "/srv/", "/var/", "listen 80"):
        assert replaced not in text, replaced
    return text


def main_config(block: str, scratch: Path) -> str:
    """What the nginx image's own nginx.conf wraps around conf.d/default.conf; one process
    (it reads the test's private folders as the user who runs the test)."""
    types = "types { image/jpeg jpg jpeg; text/html html; }\n"
    return standalone_config(f"{types}    default_type application/octet-stream;\n    {block}",
                             scratch)  # fmt: skip


@dataclass
class Front:
    url: str
    media: Path


@contextmanager
def django_on(port: int) -> Iterator[None]:
    """The project's WSGI application on loopback, as gunicorn runs it: no static or media
    handler of its own (pytest-django's live server would serve MEDIA_URL itself)."""
    server = make_server("127.0.0.1", port, get_wsgi_application(), handler_class=Quiet)

    def serve() -> None:
        try:
            server.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()  # the test database is dropped after the run

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def front(settings: Any, tmp_path: Path) -> Iterator[Front]:
    assert NGINX.exists(), f"{NGINX} is missing: `make test` (make nginx) unpacks it"
    media = tmp_path / "media"
    media.mkdir()
    scratch = tmp_path / "nginx"
    (scratch / "cache").mkdir(parents=True)
    settings.MEDIA_ROOT = media
    settings.PHOTO_ACCEL_REDIRECT = ACCEL
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    web_port, port = free_port(), free_port()
    config = scratch / "nginx.conf"
    config.write_text(main_config(server_block(web_port, port, media, scratch), scratch))
    command = [str(NGINX), "-p", str(scratch), "-c", str(config), "-e", "stderr"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    with django_on(web_port):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            url = f"http://127.0.0.1:{port}"
            for _attempt in range(200):
                if ask(url + "/health/")[0] == 200:
                    break
                time.sleep(0.05)
            yield Front(url, media)
        finally:
            process.terminate()
            process.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def ask(url: str, cookie: str = "", **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback http)
    if cookie:
        request.add_header("Cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()
    except (urllib.error.URLError, ConnectionError):
        return 0, {}, b""  # not listening yet


def session_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db(transaction=True)
def test_nginx_sends_a_photo_only_after_djangos_check(front, pokrovsk, zhkg, moderator):
    shown = file_report(photos=[jpeg()])
    shown.approve(moderator, zhkg)
    public: ReportPhoto = shown.photos.get()
    hidden_report = file_report(photos=[jpeg(colour="#aa3322")])
    hidden: ReportPhoto = hidden_report.photos.get()
    hidden_report.hide_photo(moderator, hidden)
    hidden_report.approve(moderator, zhkg)
    worker = join(make_user("worker_nginx", pokrovsk, is_staff=True), zhkg, "worker")
    staff = session_of(worker)
    names = [str(f.name) for p in (public, hidden) for f in (p.image, p.thumbnail)]
    stored = {name: (front.media / name).read_bytes() for name in names}
    (front.media / "layers" / "maf").mkdir(parents=True)
    (front.media / "layers" / "maf" / "kiosk.jpg").write_bytes(jpeg().read())
    public_image, public_thumb = str(public.image.name), str(public.thumbnail.name)
    hidden_image, hidden_thumb = str(hidden.image.name), str(hidden.thumbnail.name)
    hidden_file = hidden_image.split("/")[-1]

    # (path, signed in, status, what comes back)
    table = [
        (f"/photos/{public.pk}/photo.jpg", "", 200, public_image),
        (f"/photos/{public.pk}/thumbnail.jpg", "", 200, public_thumb),
        (f"/photos/{hidden.pk}/photo.jpg", "", 404, ""),
        (f"/photos/{hidden.pk}/thumbnail.jpg", "", 404, ""),
        (f"/photos/{hidden.pk}/photo.jpg", staff, 200, hidden_image),
        (f"/photos/{hidden.pk}/thumbnail.jpg", staff, 200, hidden_thumb),
        (f"/media/{public_image}", "", 301, f"/photos/{public.pk}/photo.jpg"),
        (f"/media/{hidden_image}", "", 404, ""),
        (f"/media/{hidden_image}", staff, 301, f"/photos/{hidden.pk}/photo.jpg"),
        (f"/media/layers/../reports/photos/{hidden_file}", "", 404, ""),
        (f"/media/layers/%2e%2e/reports/photos/{hidden_file}", "", 404, ""),
        (f"/media/layers/maf/..%2f..%2freports/photos/{hidden_file}", "", 404, ""),
        (f"/media//reports/photos/{hidden_file}", "", 404, ""),
        (f"{ACCEL}{hidden_image}", "", 404, ""),
        (f"{ACCEL}{hidden_image}", staff, 404, ""),
        ("/media/layers/maf/kiosk.jpg", "", 200, "layers/maf/kiosk.jpg"),
    ]
    for path, cookie, status, result in table:
        got, headers, body = ask(front.url + path, cookie)
        assert got == status, (path, bool(cookie), got)
        assert "X-Accel-Redirect" not in headers, path
        for name, data in stored.items():
            assert data not in body or name == result, (path, name)
        if status == 301:
            assert headers["Location"].endswith(result), (path, headers["Location"])
        if status == 200:
            assert body == (stored.get(result) or (front.media / result).read_bytes()), path
            assert headers["Content-Type"] == "image/jpeg", path
            assert headers["X-Content-Type-Options"] == "nosniff", path

    # What nginx says about caching is what Django decided, by who may see the photo.
    _status, headers, _body = ask(f"{front.url}/photos/{public.pk}/photo.jpg")
    assert headers["Cache-Control"] == "public, max-age=3600, s-maxage=0"
    again = ask(f"{front.url}/photos/{public.pk}/photo.jpg", **{"If-None-Match": headers["ETag"]})
    assert again[0] == 304
    _status, headers, _body = ask(f"{front.url}/photos/{hidden.pk}/photo.jpg", staff)
    assert headers["Cache-Control"] == "private, no-store"

    # Hidden now: the address that sent the file a moment ago sends nothing.
    shown.hide_photo(moderator, public)
    for path in (f"/photos/{public.pk}/photo.jpg", f"/media/{public_image}"):
        got, _headers, body = ask(front.url + path)
        assert got == 404 and stored[public_image] not in body, path
