"""What the bad-input tables share: the world they run in, what "nothing written" counts,
and how an answer is read for the field it names and the reason it gives.

The world (one hromada, a resident, a planner, a public report, a resolved one the
reporter may dispute, layer features, an Open311 key) is made once per module inside a
transaction that is rolled back at its end. The modules mark their cases `django_db`:
each then runs in a savepoint of it, and pytest-django sets the test database up (it
does so only for a session with such cases; without one, `world` would open the
development database).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.open311.models import ApiKey, Open311Request
from geoportal.reports.models import Follow, Notification, Report, ReportEvent, ReportPhoto
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from tests.cast import give_role, join, load_hromada, make_user
from tests.layers.conftest import CENTRE as LON_LAT
from tests.layers.conftest import square
from tests.reports.conftest import file_report

if TYPE_CHECKING:  # the test client's response, as django-stubs names it
    from django.test.client import _MonkeyPatchedWSGIResponse as Answer

ROWS = (Report, ReportEvent, ReportPhoto, Follow, Notification, Open311Request,
        TemporaryStructure, AdvertisingStructure, LandPlot, ZoningZone)  # fmt: skip


@dataclass
class World:
    users: dict[str, User]
    values: dict[str, str] = field(default_factory=dict)

    def fill(self, text: str) -> str:
        """The text with each {name} of the world's values put in (and no other change)."""
        for name, value in self.values.items():
            text = text.replace(f"{{{name}}}", value)
        return text


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        assert connection.settings_dict["NAME"].startswith("test"), "not the test database"
        pokrovsk = load_hromada("pokrovsk")
        moderator = give_role(make_user("moderator_oksana", pokrovsk, is_staff=True),
                              Role.MODERATOR)  # fmt: skip
        zhkg = pokrovsk.departments.get(code="zhkg")
        worker = join(make_user("worker_ivan", pokrovsk, is_staff=True), zhkg, "worker")
        users = {
            "resident": make_user("resident_olha"),
            "planner": give_role(make_user("planner_andrii", pokrovsk, is_staff=True),
                                 Role.PLANNING_EDITOR),
            "moderator": moderator,
            "worker": worker,
        }  # fmt: skip
        public = file_report(title="Публічне звернення")
        public.approve(moderator)
        resolved = file_report(title="Вирішене звернення")
        resolved.approve(moderator, zhkg)
        resolved.accept(worker)
        resolved.resolve(worker, "Відремонтовано.")
        TemporaryStructure.objects.create(
            municipality=pokrovsk, geometry=Point(*LON_LAT, srid=4326),
            passport_number="МАФ-2026-001", address="вул. Центральна, 1",
            permit_valid_to=date(2027, 1, 10),
        )  # fmt: skip
        LandPlot.objects.create(
            municipality=pokrovsk, geometry=square(*LON_LAT), area_ha=Decimal("0.8250"),
            cadastral_number="1412600000:01:001:0001", purpose_code="03.07",
        )  # fmt: skip
        key = ApiKey(name="Bad-input client")
        values = {"tracking": resolved.tracking_code, "api_key": key.issue(),
                  "pokrovsk": str(pokrovsk.pk), "public": str(public.pk)}  # fmt: skip
        key.save()
        yield World(users=users, values=values)
        transaction.set_rollback(True)


@pytest.fixture(name="media_root")
def media_root_fixture(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """A media folder of the case's own, whose files the case counts. The language the
    English requests switch the thread to is switched back after the case."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override(translation.get_language()):
        yield settings.MEDIA_ROOT


def footprint(media: Path) -> dict[str, int]:
    """Rows of every table a refused request might write to, and files in the media folder."""
    found = {model.__name__: model._default_manager.count() for model in ROWS}
    found["files"] = sum(1 for path in media.rglob("*") if path.is_file()) if media.exists() else 0
    return found


def client_for(world: World, role: str | None) -> Client:
    """A client asking in English (the reasons are matched in English), signed in as asked."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    if role is not None:
        client.force_login(world.users[role])
    return client


def text_of(response: Answer) -> str:
    return response.content.decode(errors="replace")


def names(response: Answer, name: str) -> bool:
    """Whether the answer names the field: a key of the API's {"field": [...]}, the start of
    an OGC or Open311 description ("bbox: ..."), the `parameter` of a tile or layer error;
    in an HTML page, the field's error list (Django gives it the id `id_<name>_error`) or
    the field's cell in the import report's table of problems."""
    if "html" in response.get("Content-Type", ""):
        page = text_of(response)
        return f'id="id_{name}_error"' in page or f"<td>{name}</td>" in page
    body = json.loads(response.content)
    items = body if isinstance(body, list) else [body]
    for item in items:
        if name in item or item.get("parameter") == name:
            return True
        for value in item.values():
            if isinstance(value, str) and value.startswith(f"{name}:"):
                return True
    return False


Build = Callable[[], dict[str, Any]]
