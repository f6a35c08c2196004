"""Features of an OSM extract, read by GDAL's OSM driver and sorted into base map kinds.

GDAL's OSM driver (through pyogrio, already a dependency) builds the geometry, including
multipolygon relations; osmconf.ini beside this module names the tags kept as fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pyogrio.raw import read

from geoportal.basemap.addresses import search_text
from geoportal.basemap.models import Kind
from geoportal.basemap.source import CONFIG

ROADS = {
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
    "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
    "residential", "living_street", "service", "pedestrian", "road", "track",
    "footway", "cycleway", "path", "steps",
}  # fmt: skip
RAILWAYS = {"rail", "light_rail", "tram", "subway", "narrow_gauge"}
WATERWAYS = {"river", "stream", "canal", "drain", "ditch"}
PLACES = {
    "city", "town", "village", "hamlet", "suburb", "quarter", "neighbourhood",
    "locality", "isolated_dwelling",
}  # fmt: skip
GREEN_LANDUSE = {
    "forest", "grass", "meadow", "recreation_ground", "village_green", "cemetery",
    "allotments", "orchard",
}  # fmt: skip
GREEN_LEISURE = {"park", "garden", "nature_reserve", "playground", "pitch"}
GREEN_NATURAL = {"wood", "scrub", "grassland", "heath"}


# GDAL skips what the base map never draws (fences, power lines, land parcels...), so a
# whole layer is not held in memory; classify() decides the rest.
WHERE = {
    "points": "place IS NOT NULL OR addr_housenumber IS NOT NULL",
    "lines": "highway IS NOT NULL OR railway IS NOT NULL OR waterway IS NOT NULL",
    "multipolygons": "building IS NOT NULL OR landuse IS NOT NULL OR leisure IS NOT NULL "
    'OR "natural" IS NOT NULL OR water IS NOT NULL OR waterway IS NOT NULL',
}


@dataclass(frozen=True)
class Feature:
    kind: Kind
    subclass: str
    name: str
    name_uk: str
    ref: str
    street: str
    housenumber: str
    search: str
    osm_id: int | None
    wkb: bytes


def features(path: Path) -> Iterator[Feature]:
    """Every feature of the extract the base map draws, in the order of GDAL's layers."""
    for layer, where in WHERE.items():
        meta, _fids, geometries, fields = read(
            str(path), layer=layer, where=where, CONFIG_FILE=str(CONFIG)
        )
        names = list(meta["fields"])
        for index, wkb in enumerate(geometries):
            if wkb is None:
                continue
            tags = {name: fields[i][index] or "" for i, name in enumerate(names)}
            kind, subclass = classify(layer, tags)
            if kind is None:
                continue
            osm_id = tags.get("osm_id") or tags.get("osm_way_id")
            name, name_uk = tags["name"][:200], tags["name_uk"][:200]
            street = tags.get("addr_street", "")[:200]
            yield Feature(kind, subclass, name, name_uk, tags.get("ref", "")[:40], street,
                          tags.get("addr_housenumber", "")[:40], _search(kind, name, name_uk,
                          street), int(osm_id) if osm_id else None, bytes(wkb))  # fmt: skip


def _search(kind: Kind, name: str, name_uk: str, street: str) -> str:
    """The address search's text: a road's names, a building's or address point's street."""
    if kind in (Kind.BUILDING, Kind.ADDRESS):
        return search_text(street) if street else ""
    if kind is not Kind.ROAD:
        return ""
    names = [search_text(n) for n in dict.fromkeys((name_uk, name)) if n]
    return " | ".join(names)[:420]


def classify(layer: str, tags: dict[str, str]) -> tuple[Kind | None, str]:
    """The kind of base map feature the tags make, and the tag value that classes it."""
    get = tags.get
    if layer == "points":
        if get("place") in PLACES and get("name"):
            return Kind.LABEL, tags["place"]
        if get("addr_housenumber") and get("addr_street"):
            return Kind.ADDRESS, ""
        return None, ""
    if layer == "lines":
        if get("highway") in ROADS:
            return Kind.ROAD, tags["highway"]
        if get("railway") in RAILWAYS:
            return Kind.RAILWAY, tags["railway"]
        if get("waterway") in WATERWAYS:
            return Kind.WATER, tags["waterway"]
        return None, ""
    if get("building") and get("building") != "no":
        return Kind.BUILDING, tags["building"]
    if get("natural") == "water" or get("water") or get("waterway") == "riverbank":
        return Kind.WATER, get("water") or "water"
    if get("landuse") in GREEN_LANDUSE:
        return Kind.GREEN, tags["landuse"]
    if get("leisure") in GREEN_LEISURE:
        return Kind.GREEN, tags["leisure"]
    if get("natural") in GREEN_NATURAL:
        return Kind.GREEN, tags["natural"]
    if get("landuse") == "reservoir":
        return Kind.WATER, "reservoir"
    return None, ""
