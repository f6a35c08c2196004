"""Real-shaped land plots for the land quality checks, one cadastral quarter per case.

Plots are drawn as rectangles in metres in UCS-2000 / Ukraine TM zone 11 (EPSG:6386, the
zone the platform measures Pokrovsk in) and stored in WGS 84, as a surveyor's file in a
metric system arrives after reprojection. Where the expected areas come from: a rectangle's
area in that plane; the platform measures on the GRS 80 spheroid, which differs here by the
zone's scale at 1.2° from its meridian (~0.02 %), so areas are compared to 0.1 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

from geoportal.municipalities.models import Municipality
from layers.conflicts import ConflictKind
from layers.geometry import grown_area, metric_srid, reprojected
from layers.models import LandPlot
from tests.layers.conftest import CENTRE

KOATUU = "1412600000"
TM = metric_srid(CENTRE[0])  # EPSG:6386


@dataclass(frozen=True)
class Plot:
    number: str  # NNN:NNNN, quarter and plot (zone 01 of KOATUU)
    x: float  # south-west corner, metres east of the case's origin
    y: float  # metres north
    width: float
    height: float
    category: str = "200"
    purpose: str = "02.01"
    # The registered area; None: the rectangle's own area, as the cadastre would have it.
    registered_ha: Decimal | None = None
    # Where the case's origin is: the hromada's centre (shifted per case), its boundary's
    # easternmost vertex, or 60 km east of the centre (no hromada there).
    anchor: str = "centre"

    @property
    def key(self) -> str:
        return f"{KOATUU}:01:{self.number}"

    @property
    def quarter(self) -> str:
        return self.key.rsplit(":", 1)[0]

    @property
    def area_m2(self) -> float:
        return self.width * self.height


@dataclass(frozen=True)
class Found:
    kind: ConflictKind
    key: str  # NNN:NNNN of the plot
    other: str = ""  # the other plot of a pair
    area_m2: float | None = None  # overlap, or the part outside the hromada
    detail: str = ""  # words of the detail (in Ukrainian, the default language)

    @property
    def plots(self) -> frozenset[str]:
        """The plot, or the pair, in full cadastral numbers (a pair has no order)."""
        return frozenset(f"{KOATUU}:01:{n}" for n in (self.key, self.other) if n)


@dataclass(frozen=True)
class Case:
    name: str
    plots: tuple[Plot, ...]
    found: tuple[Found, ...] = ()
    slot: int = 0  # where the case lies: 600 m apart around the centre

    @property
    def quarters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.quarter for p in self.plots))

    @property
    def id(self) -> str:
        return self.name


OVERLAP, DUPLICATE = ConflictKind.PLOT_OVERLAP, ConflictKind.DUPLICATE_GEOMETRY
AREA, OUTSIDE = ConflictKind.AREA_MISMATCH, ConflictKind.OUTSIDE_HROMADA
PURPOSE = ConflictKind.PURPOSE_CATEGORY

CASES = [
    # 20 m × 20 m plots; the second starts 19.975 m east: a strip 0.025 m × 20 m = 0.5 m².
    Case("overlap of 0.5 m² (under the 1 m² threshold)", slot=0, plots=(
        Plot("101:0001", 0, 0, 20, 20), Plot("101:0002", 19.975, 0, 20, 20))),
    # 19.9 m east: 0.1 m × 20 m = 2 m².
    Case("overlap of 2 m²", slot=1, plots=(
        Plot("102:0001", 0, 0, 20, 20), Plot("102:0002", 19.9, 0, 20, 20)),
        found=(Found(OVERLAP, "102:0001", "102:0002", 2.0),)),
    # Two 200 m × 100 m fields, the second 10 m east: 190 m × 100 m = 19,000 m² = 1.9 ha,
    # the largest overlap of the real export of 1,816 plots.
    Case("overlap of 1.9 ha", slot=2, plots=(
        Plot("103:0001", 0, 0, 200, 100, "100", "01.01"),
        Plot("103:0002", 10, 0, 200, 100, "100", "01.01")),
        found=(Found(OVERLAP, "103:0001", "103:0002", 19_000.0),)),
    # Neighbours along a shared boundary: touching is no overlap.
    Case("plots sharing a boundary", slot=3, plots=(
        Plot("104:0001", 0, 0, 20, 20), Plot("104:0002", 20, 0, 20, 20),
        Plot("104:0003", 0, 20, 40, 15))),
    # 100 m × 100 m = 1 ha registered as 1.1 ha: 9.1 % of the registered area off.
    Case("registered area 10 % off", slot=4, plots=(
        Plot("105:0001", 0, 0, 100, 100, registered_ha=Decimal("1.1000")),),
        found=(Found(AREA, "105:0001", detail="зареєстровано 1,1000 га"),)),
    # 1.04 ha registered for 1 ha: 3.8 %, inside the 5 % tolerance.
    Case("registered area 4 % off (within 5 %)", slot=5, plots=(
        Plot("106:0001", 0, 0, 100, 100, registered_ha=Decimal("1.0400")),)),
    Case("a plot 60 km east, outside the hromada", plots=(
        Plot("107:0001", 0, 0, 50, 50, anchor="far"),),
        found=(Found(OUTSIDE, "107:0001", area_m2=2_500.0,
                     detail="повністю поза межею громади"),)),
    # 400 m × 400 m centred on the boundary's easternmost vertex: its eastern part lies
    # beyond the boundary grown by the hromada's 50 m tolerance (computed in the test).
    Case("a plot across the hromada's boundary", plots=(
        Plot("108:0001", -200, -200, 400, 400, anchor="east_edge"),),
        found=(Found(OUTSIDE, "108:0001", detail="поза межею громади"),)),
    Case("two identical boundaries", slot=6, plots=(
        Plot("109:0001", 0, 0, 30, 30), Plot("109:0002", 0, 0, 30, 30)),
        found=(Found(DUPLICATE, "109:0001", "109:0002", 900.0, detail="та сама межа"),)),
    Case("purpose 02.01 on agricultural land (100)", slot=7, plots=(
        Plot("110:0001", 0, 0, 50, 50, "100", "02.01"),),
        found=(Found(PURPOSE, "110:0001",
                     detail="02.01 належить до розділу 02 (Землі житлової забудови), що "
                            "відповідає категорії 200, а не 100"),)),
    # 16.00 "землі запасу" on agricultural land: 61 of the 88 real Kozelshchyna plots.
    Case("reserve land 16.00 on agricultural land", slot=8, plots=(
        Plot("111:0001", 0, 0, 50, 50, "100", "16.00"),
        Plot("111:0002", 60, 0, 50, 50, "100", "01.17"),
        Plot("111:0003", 120, 0, 50, 50, "900", "12.04"))),
    Case("a code the classifier does not have", slot=9, plots=(
        Plot("112:0001", 0, 0, 50, 50, "100", "01.20"),),
        found=(Found(PURPOSE, "112:0001", detail="01.20 — не код класифікації"),)),
    # Plots on both sides of a quarter's edge, overlapping by 5 m × 20 m = 100 m².
    Case("an overlap across two quarters", slot=10, plots=(
        Plot("113:0001", 0, 0, 20, 20), Plot("114:0001", 15, 0, 20, 20)),
        found=(Found(OVERLAP, "113:0001", "114:0001", 100.0),)),
]  # fmt: skip


def _origin(municipality: Municipality, plot: Plot, slot: int) -> tuple[float, float]:
    centre = Point(*CENTRE, srid=4326)
    centre.transform(TM)
    x, y = centre.x, centre.y
    if plot.anchor == "far":
        return x + 60_000, y
    if plot.anchor == "east_edge":
        hull = reprojected(municipality.boundary, TM).convex_hull
        return max(hull.coords[0], key=lambda xy: xy[0])  # type: ignore[attr-defined]
    # Slots on a 600 m grid, 4 a row, south-west of the centre, well inside the boundary.
    return x - 1_200 + (slot % 4) * 600, y - 1_200 + (slot // 4) * 600


def plot_geometry(municipality: Municipality, plot: Plot, slot: int) -> MultiPolygon:
    x0, y0 = _origin(municipality, plot, slot)
    box = Polygon.from_bbox((x0 + plot.x, y0 + plot.y, x0 + plot.x + plot.width,
                             y0 + plot.y + plot.height))  # fmt: skip
    box.srid = TM
    return MultiPolygon(reprojected(box, 4326), srid=4326)


def build(municipality: Municipality, cases: list[Case] = CASES) -> dict[str, LandPlot]:
    """Every case's plots, in the order of the table (ids rise with it)."""
    made = {}
    for case in cases:
        for plot in case.plots:
            registered = plot.registered_ha or Decimal(plot.area_m2 / 10_000).quantize(
                Decimal("0.0001")
            )
            made[plot.key] = LandPlot.objects.create(
                municipality=municipality,
                geometry=plot_geometry(municipality, plot, case.slot),
                cadastral_number=plot.key,
                category=plot.category,
                purpose_code=plot.purpose,
                area_ha=registered,
            )
    return made


def outside_m2(municipality: Municipality, plot: Plot) -> float:
    """The part of the plot beyond the grown boundary, in the TM plane."""
    grown: GEOSGeometry = grown_area(municipality.boundary, municipality.layer_boundary_tolerance_m)
    shape = reprojected(plot_geometry(municipality, plot, 0), TM)
    return float(shape.difference(reprojected(grown, TM)).area)
