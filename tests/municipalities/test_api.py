"""The /api/v1/ reference endpoints and the OpenAPI document describing them."""

import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse


def test_municipalities_are_a_geojson_feature_collection(client, pokrovsk, pokrov):
    response = client.get(reverse("api:municipality-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == ["pokrov", "pokrovsk"]
    feature = body["features"][1]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["katotth"] == "UA14160210010099403"
    assert feature["properties"]["centre"] == [37.1772, 48.2771]
    assert feature["properties"]["boundary_is_approximate"] is True


def test_municipality_detail_and_unknown_slug(client, pokrovsk):
    response = client.get(reverse("api:municipality-detail", kwargs={"slug": "pokrovsk"}))
    assert response.status_code == 200
    assert response.json()["properties"]["name_en"] == "Pokrovsk"
    missing = client.get(reverse("api:municipality-detail", kwargs={"slug": "atlantis"}))
    assert missing.status_code == 404


def test_departments_filtered_by_municipality_without_members(
    client, pokrovsk, pokrov, worker_zhkg
):
    response = client.get(reverse("api:department-list"), {"municipality": "pokrov"})
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 6
    assert {row["municipality"] for row in rows} == {"pokrov"}
    assert set(rows[0]) == {"id", "municipality", "code", "name_uk", "name_en", "email", "is_demo"}
    everything = json.dumps(client.get(reverse("api:department-list")).json())
    assert worker_zhkg.username not in everything and worker_zhkg.email not in everything


def test_inactive_categories_are_not_listed(client, pokrovsk):
    pokrovsk.categories.filter(code="snow").update(is_active=False)
    response = client.get(reverse("api:category-list"), {"municipality": "pokrovsk"})
    codes = [row["code"] for row in response.json()]
    assert len(codes) == 15 and "snow" not in codes
    maf = next(row for row in response.json() if row["code"] == "illegal-maf")
    assert (maf["name_en"], maf["linked_layer"]) == ("Illegal kiosks (МАФ)", "maf")


def test_api_is_read_only_for_anonymous_users(client, pokrovsk):
    response = client.post(reverse("api:category-list"), {"code": "x"})
    assert response.status_code in {403, 405}


def test_openapi_schema_is_valid_openapi_3(client, db):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/municipalities/", "/api/v1/departments/", "/api/v1/categories/"} <= set(
        schema["paths"]
    )
    # drf-spectacular validates against the official OpenAPI 3.0 JSON schema.
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out)


def test_swagger_ui_is_served_from_our_static_files(client, db):
    response = client.get(reverse("api:swagger-ui"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html
