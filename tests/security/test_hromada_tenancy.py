"""Every form that takes a hromada's object, sent by Pokrovsk's staff with the other
hromada's id: refused with the field named, and nothing written. Each case is sent twice,
first with the cast's own hromada's id, which must be accepted, so that the refusal is the
id's and not a form missing something.

The pages themselves (reading, history, revert, conflicts and exports of another hromada's
objects) are rows of the permission matrix (tests/security/permission_matrix.py,
hromada_rows); the people and objects are those of tests/security/world.py.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model

from geoportal.municipalities.models import Category, Department, RoutingRule
from geoportal.reports.models import Report
from layers.models import LandPlot, TemporaryStructure
from tests.security.world import World, undone, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

POINT = '{"type": "Point", "coordinates": [37.1772, 48.2771]}'
PLOT = ('{"type": "MultiPolygon", "coordinates": [[[[37.177, 48.277], [37.178, 48.277], '
        '[37.178, 48.278], [37.177, 48.278], [37.177, 48.277]]]]}')  # fmt: skip


@dataclass(frozen=True)
class Form:
    what: str
    role: str
    path: str
    body: dict[str, Any]  # "{own}" / "{other}" stand for the hromada-bearing value
    field: str  # the field that carries the hromada
    own: str  # world value of the cast's hromada's object
    other: str  # world value of the other hromada's object
    counts: tuple[type[Model], ...]  # rows that must not change on a refusal
    watched: dict[str, Any] = dataclasses.field(default_factory=dict)  # object -> fields

    @property
    def id(self) -> str:
        return self.what


FORMS = [
    Form("a layer import into another hromada", "planner", "/en/admin/layers/layerpassport/import/",
         {"layer": "maf", "municipality": "{x}", "dry_run": "on", "file": None},
         "municipality", "hromada", "other_hromada", (TemporaryStructure,)),
    Form("a kiosk added to another hromada", "planner",
         "/en/admin/layers/temporarystructure/add/",
         {"municipality": "{x}", "passport_number": "МАФ-2026-950", "kind": "kiosk",
          "purpose": "trade", "status": "active", "geometry": POINT},
         "municipality", "hromada", "other_hromada", (TemporaryStructure,)),
    Form("a land plot added to another hromada", "planner", "/en/admin/layers/landplot/add/",
         {"municipality": "{x}", "cadastral_number": "1412600000:01:001:0950",
          "purpose_code": "03.07", "category": "100", "ownership": "communal",
          "area_ha": "0.5000", "investor_status": "none", "geometry": PLOT},
         "municipality", "hromada", "other_hromada", (LandPlot,)),
    Form("the cast's kiosk moved into another hromada", "planner",
         "/en/admin/layers/temporarystructure/{kiosk}/change/",
         {"municipality": "{x}", "passport_number": "МАФ-2026-777", "kind": "kiosk",
          "purpose": "trade", "status": "active", "geometry": POINT},
         "municipality", "hromada", "other_hromada", (TemporaryStructure,),
         watched={"kiosk": ("municipality_id",)}),
    Form("a department added to another hromada", "coordinator",
         "/en/admin/municipalities/department/add/",
         {"municipality": "{x}", "name_uk": "Відділ доріг", "code": "roads", "is_active": "on"},
         "municipality", "hromada", "other_hromada", (Department,)),
    Form("a category added to another hromada", "coordinator",
         "/en/admin/municipalities/category/add/",
         {"municipality": "{x}", "name_uk": "Ями на дорогах", "code": "potholes",
          "is_active": "on", "sort_order": "5"},
         "municipality", "hromada", "other_hromada", (Category,)),
    Form("a routing rule to another hromada's department", "coordinator",
         "/en/admin/municipalities/routingrule/add/",
         {"category": "{category}", "department": "{x}", "priority": "100", "is_active": "on"},
         "department", "zhkg", "other_department", (RoutingRule,)),
    Form("a routing rule for another hromada's category", "coordinator",
         "/en/admin/municipalities/routingrule/add/",
         {"category": "{x}", "department": "{zhkg}", "priority": "100", "is_active": "on"},
         "category", "category", "other_category", (RoutingRule,)),
    Form("a report routed to another hromada's department", "moderator",
         "/api/v1/reports/{new}/approve/", {"department": "{x}"},
         "department", "zhkg_code", "other_only_code", (Report,),
         watched={"new": ("state", "department_id")}),
    Form("a report marked a duplicate of another hromada's", "moderator",
         "/api/v1/reports/{new}/mark_duplicate/", {"original": "{x}"},
         "original", "routed_a", "new_other", (Report,),
         watched={"new": ("state", "duplicate_of_id")}),
]  # fmt: skip

MODELS = {"kiosk": TemporaryStructure, "new": Report}


def _values(objects: World) -> dict[str, Any]:
    values = dict(objects.values)
    values["zhkg_code"] = "zhkg"
    values["other_only_code"] = "land"  # Pokrov has a land department, Pokrovsk does not
    return values


def _management_fields(client: Any, path: str) -> dict[str, str]:
    """The hidden fields of the page's inline formsets (an admin form sends them)."""
    page = client.get(path).content.decode()
    found = re.findall(r'<input type="hidden" name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)'
                       r'_FORMS)" value="(\d*)"', page)  # fmt: skip
    return dict(found)


def _send(objects: World, form: Form, which: str) -> Any:
    values = _values(objects)
    client = objects.client(form.role)
    path = form.path.format(**values)
    body = {}
    for name, value in form.body.items():
        if value == "{x}":
            value = str(values[form.own if which == "own" else form.other])
        elif isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
            value = str(values[value[1:-1]])
        body[name] = value
    if path.startswith("/api/"):
        return client.post(path, json.dumps(body), content_type="application/json")
    if "file" in body:
        from django.core.files.uploadedfile import SimpleUploadedFile

        point = '{"type": "Feature", "properties": {"passport_number": "МАФ-2026-951"}, '
        point += f'"geometry": {POINT}}}'
        body["file"] = SimpleUploadedFile(
            "maf.geojson", f'{{"type": "FeatureCollection", "features": [{point}]}}'.encode()
        )
    return client.post(path, {**_management_fields(client, path), **body})


def _state(objects: World, form: Form) -> tuple[Any, ...]:
    counts = tuple(model._default_manager.count() for model in form.counts)
    watched = tuple(
        MODELS[key]._default_manager.filter(pk=objects.values[key]).values_list(*names).get()
        for key, names in form.watched.items()
    )
    return counts, watched


def _names(response: Any, name: str) -> bool:
    if response["Content-Type"].startswith("application/json"):
        return name in response.json()
    page = response.content.decode()
    return f'id="id_{name}_error"' in page


@pytest.mark.parametrize("form", FORMS, ids=[form.id for form in FORMS])
def test_another_hromadas_id_is_refused(world: World, undone: None, form: Form):  # noqa: F811
    before = _state(world, form)
    refused = _send(world, form, "other")
    assert refused.status_code in (200, 400), refused.content[:500]
    assert _names(refused, form.field), refused.content.decode()[:3000]
    assert _state(world, form) == before


@pytest.mark.parametrize("form", FORMS, ids=[form.id for form in FORMS])
def test_the_same_form_with_the_own_hromadas_id_is_accepted(
    world: World,  # noqa: F811
    undone: None,  # noqa: F811
    form: Form,
):
    response = _send(world, form, "own")
    assert response.status_code in (200, 201, 302), response.content.decode()[:3000]
    assert not _names(response, form.field), response.content.decode()[:3000]
