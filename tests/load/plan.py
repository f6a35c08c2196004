"""What the simulated residents ask for.

The hromada's extent, points inside it, its categories and public reports are read from
the load database once before the run (`build_plan`) and handed to the load generator as
JSON; the generator's process never touches Django or the database. The rest is plain
arithmetic shared by the load generator and tests/load/test_plan.py: the map view a
browsing resident moves around, the paths the map page's scripts fetch for it, and the
form a filing resident sends.
"""

from __future__ import annotations

import io
import json
import math
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from PIL import ExifTags, Image

MUNICIPALITY = "pokrovsk"
# A phone's map shows about 3 × 3 tiles of 256 px.
VIEW_TILES = 3
MIN_ZOOM, MAX_ZOOM = 12, 17
# The zooms from which the map page shows each layer (frontend/static/frontend/js/layers.js).
ZONING_MIN_ZOOM = 10
LAND_MIN_ZOOM = 14
STRUCTURES_MIN_ZOOM = 13
# Browsers may reuse a tile for this long without asking (layers/tiles/views.py MAX_AGE).
TILE_MAX_AGE = 300.0

Box = tuple[float, float, float, float]  # west, south, east, north in degrees


@dataclass
class Plan:
    municipality: str
    bbox: Box  # the boundary's extent
    points: list[tuple[float, float]]  # (lat, lon), each inside the boundary
    places: list[tuple[float, float]]  # (lat, lon) of the layers' features and the reports
    categories: list[str]  # codes of the hromada's active categories
    reports: list[int]  # ids of public reports

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Plan:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            municipality=data["municipality"],
            bbox=(data["bbox"][0], data["bbox"][1], data["bbox"][2], data["bbox"][3]),
            points=[(lat, lon) for lat, lon in data["points"]],
            places=[(lat, lon) for lat, lon in data["places"]],
            categories=list(data["categories"]),
            reports=list(data["reports"]),
        )


def build_plan(slug: str = MUNICIPALITY, points: int = 500, seed: int = 2026) -> Plan:
    """Read the plan from the database Django is connected to."""
    from django.db import connection

    from geoportal.municipalities.models import Municipality
    from geoportal.reports.models import Report
    from layers.tiles.sql import TILE_LAYERS

    municipality = Municipality.objects.get(slug=slug)
    with connection.cursor() as cursor:
        # Random points inside the boundary itself, not its box: a report outside the
        # hromada is refused, and the map's views should stay over the city.
        cursor.execute(
            "SELECT ST_Y(d.geom), ST_X(d.geom) FROM municipalities_municipality m, "
            "ST_Dump(ST_GeneratePoints(m.boundary, %s, %s)) d WHERE m.id = %s",
            [points, seed, municipality.pk],
        )
        inside = [(float(lat), float(lon)) for lat, lon in cursor.fetchall()]
        # Residents look at the town, where the plots, zones, structures and reports are,
        # more than at the fields around it. The table names are the tile module's constants.
        features = " UNION ALL ".join(
            f"SELECT ST_PointOnSurface(geometry) AS g FROM {layer.table} "  # noqa: S608
            "WHERE municipality_id = %(m)s"
            for layer in TILE_LAYERS.values()
        )
        cursor.execute(
            f"SELECT ST_Y(g), ST_X(g) FROM ({features} UNION ALL SELECT point FROM "  # noqa: S608
            "reports_report WHERE municipality_id = %(m)s) AS found ORDER BY 1, 2",
            {"m": municipality.pk},
        )
        places = [(float(lat), float(lon)) for lat, lon in cursor.fetchall()]
    west, south, east, north = municipality.boundary.extent
    return Plan(
        municipality=slug,
        bbox=(west, south, east, north),
        points=inside,
        places=places or inside,
        categories=list(municipality.categories.active().values_list("code", flat=True)),
        reports=list(
            Report.objects.public().filter(municipality=municipality).values_list("pk", flat=True)
        ),
    )


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    """The Web Mercator tile (x, y) holding a point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_corner(z: int, x: int, y: int) -> tuple[float, float]:
    """(lat, lon) of a tile's north-west corner."""
    n = 2**z
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
    return lat, x / n * 360 - 180


@dataclass(frozen=True)
class View:
    """What a resident's map shows: VIEW_TILES × VIEW_TILES tiles around a centre tile."""

    z: int
    x: int
    y: int

    @classmethod
    def at(cls, lat: float, lon: float, z: int) -> View:
        return cls(z, *tile_of(lat, lon, z))

    def tiles(self) -> list[tuple[int, int, int]]:
        half = VIEW_TILES // 2
        n = 2**self.z
        return [
            (self.z, x, y)
            for x in range(self.x - half, self.x + half + 1)
            for y in range(self.y - half, self.y + half + 1)
            if 0 <= x < n and 0 <= y < n
        ]

    def bbox(self) -> Box:
        half = VIEW_TILES // 2
        north, west = tile_corner(self.z, self.x - half, self.y - half)
        south, east = tile_corner(self.z, self.x + half + 1, self.y + half + 1)
        return west, south, east, north

    def panned(self, plan: Plan, rng: random.Random) -> View:
        """One tile's width in some direction, staying over the hromada."""
        dx, dy = rng.choice([(1, 0), (-1, 0), (0, 1), (0, -1)])
        low_x, low_y = tile_of(plan.bbox[3], plan.bbox[0], self.z)  # north-west
        high_x, high_y = tile_of(plan.bbox[1], plan.bbox[2], self.z)  # south-east
        x = min(max(self.x + dx, low_x), high_x)
        y = min(max(self.y + dy, low_y), high_y)
        return View(self.z, x, y)

    def zoomed(self, rng: random.Random, focus: tuple[float, float] | None = None) -> View:
        """One zoom level out, or in: towards `focus` (lat, lon) while it is in view, else
        on one of the four child tiles; within the map's range."""
        if self.z >= MAX_ZOOM or (self.z > MIN_ZOOM and rng.random() < 0.4):
            return View(self.z - 1, self.x // 2, self.y // 2)
        if focus is not None and (self.z, *tile_of(*focus, self.z)) in self.tiles():
            return View.at(*focus, self.z + 1)
        return View(self.z + 1, 2 * self.x + rng.randint(0, 1), 2 * self.y + rng.randint(0, 1))


def tile_layers(z: int) -> list[str]:
    """The vector-tile layers the map shows at a zoom."""
    return [
        name for name, low in (("zoning", ZONING_MIN_ZOOM), ("land", LAND_MIN_ZOOM)) if z >= low
    ]


def structure_layers(z: int) -> list[str]:
    """The layers the map fetches as GeoJSON for its view at a zoom."""
    return ["maf", "advertising"] if z >= STRUCTURES_MIN_ZOOM else []


def _box(box: Box) -> str:
    return ",".join(f"{value:.6f}" for value in box)


# The paths, as the map page's scripts ask for them (frontend/static/frontend/js/).


def map_page(language: str) -> str:
    return "/" if language == "uk" else f"/{language}/"


def boundary_path(plan: Plan) -> str:
    return f"/api/v1/municipalities/{plan.municipality}/"


def tile_path(plan: Plan, layer: str, z: int, x: int, y: int) -> str:
    return f"/tiles/{layer}/{z}/{x}/{y}.mvt?" + urlencode({"municipality": plan.municipality})


def clusters_path(plan: Plan, box: Box, z: int) -> str:
    query = {"municipality": plan.municipality, "bbox": _box(box), "zoom": z}
    return "/api/v1/reports/map/?" + urlencode(query)


def list_path(plan: Plan, box: Box) -> str:
    return "/api/v1/reports/?" + urlencode(
        {"municipality": plan.municipality, "in_bbox": _box(box)}
    )


def layer_path(plan: Plan, layer: str, box: Box) -> str:
    query = {"municipality": plan.municipality, "in_bbox": _box(box), "page_size": 1000}
    return f"/api/v1/layers/{layer}/?" + urlencode(query)


def report_page(report: int) -> str:
    return f"/reports/{report}/"


def report_api(report: int) -> str:
    return f"/api/v1/reports/{report}/"


FORM_PAGE = "/report/"
FILING_PATH = "/api/v1/reports/"


def nearby_path(point: tuple[float, float], category: str) -> str:
    lat, lon = point
    query = {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "category": category}
    return "/api/v1/reports/nearby/?" + urlencode(query)


def filing_form(point: tuple[float, float], category: str, tag: str) -> dict[str, str]:
    """The fields of POST /api/v1/reports/ (the photo goes beside them); `tag` names the
    filing in its description, so stored reports can be matched to what was sent."""
    lat, lon = point
    return {
        "category": category,
        "title": "Перевірка навантаження",
        "description": f"Звернення навантажувального тесту {tag}.",
        "lat": f"{lat:.6f}",
        "lon": f"{lon:.6f}",
        "reporter_name": "Тестовий мешканець",
        "reporter_email": "load-test@example.org",
    }


def photo_jpeg(size: tuple[int, int] = (1280, 960)) -> bytes:
    """A phone-like JPEG (camera EXIF, a gradient rather than one flat colour), ~20 KB."""
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (gradient, gradient.rotate(90, expand=False), gradient))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "LoadPhone"
    exif[ExifTags.Base.Model] = "Camera 12"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()
