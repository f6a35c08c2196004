"""Onboarding a hromada: check every input first, then write its reference file and its
boundary and load them, in one transaction.

The written data/reference/<slug>.json (with data/boundaries/<slug>.geojson beside it) is
what the database is loaded from, by the same code as `load_reference`: the file stays the
source of truth, another server gets the hromada from it, and re-running changes nothing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.translation import gettext as _

from geoportal.municipalities import katotth
from geoportal.municipalities.boundaries import BoundaryError, BoundaryFile, read_boundary
from geoportal.municipalities.models import Municipality
from geoportal.municipalities.onboarding import templates
from geoportal.municipalities.queries import area_km2
from geoportal.municipalities.reference import LoadSummary, boundary_path, load_reference_file

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
BOUNDARIES = "boundaries"  # the folder beside the reference folder (reference.boundary_path)


class Problems(list[tuple[str, str]]):
    """What is wrong with a request: (argument, reason), in the order found."""

    def add(self, argument: str, reason: str) -> None:
        self.append((argument, reason))


@dataclass(frozen=True)
class Request:
    """What the operator asked for, as given on the command line."""

    name_uk: str
    name_en: str
    slug: str
    katotth: str
    boundary: Path
    reference_dir: Path
    katotth_hromada: str = ""
    oblast: str = ""
    srid: int | None = None
    template: str = "standard"
    centre: str = ""  # "lat,lon"; empty: a point inside the boundary


class OnboardingError(ValueError):
    """Every problem with the request, each as (argument, reason)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{argument}: {reason}" for argument, reason in problems))


@dataclass
class Plan:
    request: Request
    reference_file: Path
    boundary_file: Path
    boundary: BoundaryFile
    centre: Point
    oblast: katotth.Oblast
    lists: dict[str, list[dict[str, Any]]]
    template_file: Path
    again: bool  # the hromada is onboarded already: re-running changes nothing
    overlaps: list[tuple[str, float]] = field(default_factory=list)  # (slug, km²)

    def reference_data(self) -> dict[str, Any]:
        """The reference file this hromada is loaded from (load_reference's format)."""
        request = self.request
        owners = templates.layer_owners(self.lists)
        frequencies = {e["layer"]: e.get("update_frequency") for e in self.lists["layer_passports"]}
        return {
            "municipality": {
                "slug": request.slug,
                "name_uk": request.name_uk,
                "name_en": request.name_en,
                "oblast_uk": self.oblast.name_uk,
                "oblast_en": self.oblast.name_en,
                "katotth": request.katotth,
                "katotth_hromada": request.katotth_hromada,
                "centre": {"lat": round(self.centre.y, 6), "lon": round(self.centre.x, 6)},
                "boundary_file": f"{BOUNDARIES}/{self.boundary_file.name}",
                "boundary_is_approximate": False,
                "boundary_source": f"{request.boundary.name} ({self.boundary.source_srs})",
            },
            "departments": self.lists["departments"],
            "categories": self.lists["categories"],
            "routing_rules": self.lists["routing_rules"],
            "layer_passports": [
                {"layer": layer, "department": code}
                | ({"update_frequency": frequencies[layer]} if frequencies.get(layer) else {})
                for layer, code in owners.items()
            ],
        }

    def boundary_data(self) -> dict[str, Any]:
        request = self.request
        return {
            "type": "FeatureCollection",
            "name": request.slug,
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "name_uk": request.name_uk,
                        "name_en": request.name_en,
                        "katotth": request.katotth,
                        "source": request.boundary.name,
                        "source_srs": self.boundary.source_srs,
                    },
                    "geometry": json.loads(self.boundary.geometry.json),
                }
            ],
        }


def plan(request: Request) -> Plan:
    """Check the whole request against the files and the database; raise OnboardingError
    naming every bad argument, or return what would be written."""
    problems = Problems()
    _check_names(request, problems)
    oblast = _check_codes(request, problems)
    boundary = _read_boundary(request, problems)
    centre = _centre(request, boundary, problems)
    template_file, lists = _template(request, problems)
    reference_file = request.reference_dir / f"{request.slug}.json"
    boundary_file = boundary_path(reference_file, f"{BOUNDARIES}/{request.slug}.geojson")
    again = _check_unique(request, reference_file, boundary_file, problems)
    if problems or oblast is None or boundary is None or centre is None or template_file is None:
        raise OnboardingError(problems)
    return Plan(
        request=request,
        reference_file=reference_file,
        boundary_file=boundary_file,
        boundary=boundary,
        centre=centre,
        oblast=oblast,
        lists=lists,
        template_file=template_file,
        again=again,
        overlaps=_overlaps(request.slug, boundary),
    )


def carry_out(found: Plan, log: Callable[[str], object]) -> LoadSummary:
    """Write the boundary and the reference file, then load the file in one transaction;
    if loading fails the files are removed again. Re-running only re-loads the file."""
    if found.again:
        return load_reference_file(found.reference_file, log=log)
    written: list[Path] = []
    try:
        with transaction.atomic():
            _write_json(found.boundary_file, found.boundary_data(), written)
            _write_json(found.reference_file, found.reference_data(), written)
            summary = load_reference_file(found.reference_file, log=log)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    for path in written:
        log(_("Wrote %(path)s") % {"path": path})
    return summary


def _check_names(request: Request, problems: Problems) -> None:
    for argument, value in (("--name-uk", request.name_uk), ("--name-en", request.name_en)):
        if not value.strip():
            problems.add(argument, _("the name is empty."))
        elif len(value) > 200:
            problems.add(argument, _("the name is longer than 200 characters."))
    if not SLUG.match(request.slug) or len(request.slug) > 64:
        problems.add(
            "--slug",
            _(
                "%(slug)r is not a slug: lower-case Latin letters and digits joined by single "
                "hyphens, at most 64 (e.g. pokrovsk)."
            )
            % {"slug": request.slug},
        )


def _check_codes(request: Request, problems: Problems) -> katotth.Oblast | None:
    code, hromada = request.katotth, request.katotth_hromada
    if not katotth.is_well_formed(code):
        problems.add(
            "--katotth",
            _("%(code)r is not a KATOTTH code: UA followed by 17 digits, e.g. UA14160210010099403.")
            % {"code": code},
        )
        return None
    oblast = katotth.oblast_of(code)
    if oblast is None:
        problems.add(
            "--katotth",
            _("%(code)r: %(digits)s is no oblast's code.") % {"code": code, "digits": code[2:4]},
        )
        return None
    if request.oblast and not oblast.is_named(request.oblast):
        problems.add(
            "--oblast",
            _("KATOTTH %(code)s is in %(oblast)s oblast, not %(given)r.")
            % {"code": code, "oblast": oblast.name_uk, "given": request.oblast},
        )
    if hromada and not (katotth.is_well_formed(hromada) and katotth.same_hromada(code, hromada)):
        problems.add(
            "--katotth-hromada",
            _(
                "%(hromada)r is not the KATOTTH code of the hromada of %(code)s (the same "
                "oblast, raion and hromada digits, then 000)."
            )
            % {"hromada": hromada, "code": code},
        )
    return oblast


def _read_boundary(request: Request, problems: Problems) -> BoundaryFile | None:
    if not request.boundary.is_file():
        problems.add("--boundary", _("%(path)s: no such file.") % {"path": request.boundary})
        return None
    try:
        return read_boundary(request.boundary, srid=request.srid)
    except BoundaryError as exc:
        argument = "--srid" if str(exc).startswith("--srid") else "--boundary"
        problems.add(argument, str(exc))
    except OSError as exc:
        problems.add(
            "--boundary",
            _("%(path)s cannot be read (%(reason)s).")
            % {"path": request.boundary, "reason": exc.strerror},
        )
    return None


def _centre(request: Request, boundary: BoundaryFile | None, problems: Problems) -> Point | None:
    """The given centre, which must lie in the boundary; else the boundary's centroid, or
    a point surely inside it when the centroid falls outside (a crescent-shaped hromada)."""
    if not request.centre:
        if boundary is None:
            return None
        geometry = boundary.geometry
        return (
            geometry.centroid if geometry.covers(geometry.centroid) else geometry.point_on_surface
        )
    try:
        lat, lon = (float(part) for part in request.centre.split(","))
    except ValueError:
        problems.add("--centre", _("write the centre as LAT,LON, e.g. 48.2771,37.1772."))
        return None
    centre = Point(lon, lat, srid=4326)
    if boundary is not None and not boundary.geometry.covers(centre):
        problems.add(
            "--centre",
            _("%(lat)s, %(lon)s lies outside the boundary.") % {"lat": lat, "lon": lon},
        )
    return centre


def _template(
    request: Request, problems: Problems
) -> tuple[Path | None, dict[str, list[dict[str, Any]]]]:
    path = templates.find_template(request.template)
    if path is None:
        problems.add(
            "--from-template",
            _(
                "no template %(name)r: give a name from data/reference/templates/, a hromada's "
                "slug from data/reference/, or the path of a JSON file."
            )
            % {"name": request.template},
        )
        return None, {}
    lists, found = templates.read_template(path)
    for problem in found:
        problems.add("--from-template", problem)
    return (None if found else path), lists


def _check_unique(
    request: Request, reference_file: Path, boundary_file: Path, problems: Problems
) -> bool:
    """Refuse a slug or code another hromada has; True when this very hromada (same slug,
    same code, its reference file in place) is onboarded already."""
    by_slug = Municipality.objects.filter(slug=request.slug).first()
    by_code = Municipality.objects.filter(katotth=request.katotth).first()
    if by_slug is not None and by_slug.katotth != request.katotth:
        problems.add(
            "--slug",
            _("%(slug)s is already the slug of %(name)s (%(code)s).")
            % {"slug": request.slug, "name": by_slug.name_uk, "code": by_slug.katotth},
        )
    if by_code is not None and by_code.slug != request.slug:
        problems.add(
            "--katotth",
            _("%(code)s is already the code of %(name)s (%(slug)s).")
            % {"code": request.katotth, "name": by_code.name_uk, "slug": by_code.slug},
        )
    if by_slug is not None and by_slug.katotth == request.katotth:
        if not reference_file.is_file():
            problems.add(
                "--slug",
                _(
                    "%(slug)s exists in the database but %(path)s does not: "
                    "it was not onboarded from this folder."
                )
                % {"slug": request.slug, "path": reference_file},
            )
        for argument, asked, kept in (
            ("--name-uk", request.name_uk, by_slug.name_uk),
            ("--name-en", request.name_en, by_slug.name_en),
        ):
            if asked != kept:
                problems.add(
                    argument,
                    _(
                        "%(slug)s is onboarded as %(kept)r; to rename it, edit %(path)s and run "
                        "load_reference."
                    )
                    % {"slug": request.slug, "kept": kept, "path": reference_file},
                )
        return True
    if not request.reference_dir.is_dir():
        problems.add(
            "--reference-dir", _("%(path)s: no such folder.") % {"path": request.reference_dir}
        )
    for path in (reference_file, boundary_file):
        if path.exists():
            problems.add(
                "--slug",
                _("%(path)s exists already: load it with load_reference, or choose another slug.")
                % {"path": path},
            )
    return False


def _overlaps(slug: str, boundary: BoundaryFile) -> list[tuple[str, float]]:
    """Other hromadas the boundary overlaps, with the shared area: a report pinned there
    could belong to either, so the operator is told (it is not refused: boundaries drawn
    from different sources often overlap by a sliver)."""
    found = []
    others = Municipality.objects.filter(boundary__intersects=boundary.geometry).exclude(slug=slug)
    for other in others.order_by("slug"):
        shared = other.boundary.intersection(boundary.geometry)
        if not shared.empty and shared.dims == 2:
            found.append((other.slug, area_km2(shared)))
    return found


def _write_json(path: Path, data: dict[str, Any], written: list[Path]) -> None:
    """Write a temporary file in the same folder and rename it into place, so a failure
    never leaves half a file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("x", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    written.append(path)
