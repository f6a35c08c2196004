"""import_basemap: each kind loaded, clipped to the hromada, replaced by a re-import.

The expected counts are read from the extract here with GDAL's own osmconf.ini (not the
importer's), and the clipping is tested with GEOS, not PostGIS."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.gis.geos import GEOSGeometry
from pyogrio.raw import read

from geoportal.basemap.models import BaseFeature, BasemapImport
from geoportal.municipalities.models import Municipality
from tests.basemap.conftest import EXTRACT, import_basemap

pytestmark = pytest.mark.django_db

HIGHWAYS = {"motorway", "trunk", "primary", "secondary", "tertiary", "unclassified",
            "residential", "living_street", "service", "pedestrian", "road", "track",
            "footway", "cycleway", "path", "steps"}  # fmt: skip


def expected_counts(boundary: GEOSGeometry) -> Counter[str]:
    """Features of each kind in the extract that meet the boundary, by GDAL and GEOS."""
    counts: Counter[str] = Counter()
    for layer in ("points", "lines", "multipolygons"):
        meta, _fids, geometries, fields = read(str(EXTRACT), layer=layer)
        names = list(meta["fields"])
        for index, wkb in enumerate(geometries):
            if wkb is None:
                continue
            if not GEOSGeometry(memoryview(bytes(wkb)), srid=4326).intersects(boundary):
                continue
            tags = {name: fields[i][index] for i, name in enumerate(names)}
            other = tags.get("other_tags") or ""
            if layer == "points":
                if tags["place"] and tags["name"]:
                    counts["label"] += 1
                elif '"addr:housenumber"' in other and '"addr:street"' in other:
                    counts["address"] += 1
            elif layer == "lines":
                counts["road"] += tags["highway"] in HIGHWAYS
                counts["railway"] += tags["railway"] in {"rail", "tram", "light_rail"}
                counts["water"] += tags["waterway"] in {"river", "stream", "canal"}
            elif tags["building"]:
                counts["building"] += 1
            elif tags["natural"] == "water":
                counts["water"] += 1
            elif tags["landuse"] in {"grass", "forest", "meadow"} or tags["leisure"] == "park":
                counts["green"] += 1
    return +counts


def river_in_extract() -> memoryview:
    _meta, _fids, geometries, _fields = read(str(EXTRACT), layer="lines", where="name = 'L''Isère'")
    return memoryview(bytes(geometries[0]))


def stored_counts(municipality: Municipality) -> Counter[str]:
    return Counter(
        BaseFeature.objects.filter(municipality=municipality).values_list("kind", flat=True)
    )


def test_import_loads_each_kind_the_extract_has(melun: Municipality) -> None:
    output = import_basemap(EXTRACT, "--municipality", melun.slug)

    expected = expected_counts(melun.boundary)
    assert stored_counts(melun) == expected
    # What this extract really holds there (read above): streets, buildings, the Isère,
    # the campus lawns, town labels and a post office's address; no railway.
    assert set(expected) == {"road", "building", "water", "green", "label", "address"}
    assert f"road: {expected['road']}" in output
    assert "Base map loaded for 1 hromada" in output
    assert BasemapImport.objects.get(municipality=melun).counts == dict(expected)


def test_import_keeps_names_numbers_and_classes(melun: Municipality) -> None:
    import_basemap(EXTRACT, "--municipality", melun.slug)

    roads = BaseFeature.objects.filter(municipality=melun, kind="road")
    assert roads.filter(name="Rue Marcel Houdet", subclass="residential").exists()
    post = BaseFeature.objects.get(municipality=melun, kind="address")
    assert (post.street, post.housenumber) == ("Place Saint-Jean", "3")
    assert BaseFeature.objects.filter(kind="label", name="Melun", subclass="town").exists()


def test_import_clips_to_the_hromada(melun: Municipality) -> None:
    import_basemap(EXTRACT, "--municipality", melun.slug)

    edge = melun.boundary.buffer(1e-9)
    features = BaseFeature.objects.filter(municipality=melun)
    assert all(edge.covers(feature.geometry) for feature in features)
    assert not BaseFeature.objects.filter(name__in=["Neuilly-sur-Seine", "Créteil"]).exists()
    # The Isère runs out of the campus box: it is cut at the edge, not dropped.
    river = features.get(name="L'Isère")
    assert 0 < river.geometry.length < GEOSGeometry(river_in_extract()).length


def test_reimport_replaces_the_earlier_one(melun: Municipality) -> None:
    import_basemap(EXTRACT, "--municipality", melun.slug)
    first = set(BaseFeature.objects.values_list("pk", flat=True))

    import_basemap(EXTRACT, "--municipality", melun.slug)

    assert stored_counts(melun) == expected_counts(melun.boundary)
    assert first.isdisjoint(BaseFeature.objects.values_list("pk", flat=True))
    assert BasemapImport.objects.filter(municipality=melun).count() == 2


def test_import_without_slug_serves_every_active_hromada(melun: Municipality) -> None:
    output = import_basemap(EXTRACT)

    assert melun.slug in output
    assert stored_counts(melun) == expected_counts(melun.boundary)
