"""import_basemap refuses what is not a local OSM PBF extract, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from geoportal.basemap.models import BaseFeature, BasemapImport
from geoportal.municipalities.models import Municipality
from tests.basemap.conftest import EXTRACT, import_basemap

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE osm [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<osm version="0.6"><node id="1" lat="48.5" lon="2.65"><tag k="name" v="&d;"/></node></osm>
"""


def written(name: str, data: bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        (folder / name).write_bytes(data)
        return str(folder / name)

    return make


def truncated(folder: Path) -> str:
    """The real extract's header with its data cut short."""
    path = folder / "cut.osm.pbf"
    path.write_bytes(EXTRACT.read_bytes()[:2000])
    return str(path)


def linked_to_a_folder(folder: Path) -> str:
    (folder / "dir.osm.pbf").mkdir()
    return str(folder / "dir.osm.pbf")


@dataclass
class Hostile:
    name: str
    argument: Callable[[Path], str]
    reason: str  # a regular expression the refusal matches


HOSTILE = [
    Hostile("a URL", lambda _f: "https://download.geofabrik.de/europe/ukraine-latest.osm.pbf",
            r"not a URL or a GDAL path"),
    Hostile("a file URL", lambda f: f"file://{EXTRACT}", r"not a URL or a GDAL path"),
    Hostile("a /vsicurl/ path", lambda _f: "/vsicurl/http://127.0.0.1:9/x.osm.pbf",
            r"not a URL or a GDAL path"),
    Hostile("a /vsizip/ path", lambda f: f"/VSIZIP/{f}/a.zip/x.osm.pbf",
            r"not a URL or a GDAL path"),
    Hostile("a path outside any extract", lambda _f: "../../../../etc/passwd",
            r"only OpenStreetMap PBF extracts"),
    Hostile("a device", lambda _f: "/dev/zero", r"no such file"),
    Hostile("a folder", linked_to_a_folder, r"no such file"),
    Hostile("a missing file", lambda f: str(f / "missing.osm.pbf"), r"no such file"),
    Hostile("an empty file", written("empty.osm.pbf", b""), r"the file is empty"),
    Hostile("text", written("notes.osm.pbf", b"not an extract\n" * 10),
            r"is not an OpenStreetMap PBF file"),
    Hostile("an XML bomb named .pbf", written("bomb.osm.pbf", BILLION_LAUGHS),
            r"is not an OpenStreetMap PBF file"),
    Hostile("an XML bomb", written("bomb.osm", BILLION_LAUGHS),
            r"only OpenStreetMap PBF extracts"),
    Hostile("a GDAL VRT named .pbf",
            written("v.osm.pbf", b"<OGRVRTDataSource><OGRVRTLayer name='x'>"
                                 b"<SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer>"
                                 b"</OGRVRTDataSource>"),
            r"is not an OpenStreetMap PBF file"),
    Hostile("a truncated extract", truncated, r"cut\.osm\.pbf: GDAL cannot read"),
]  # fmt: skip


@pytest.mark.parametrize("case", HOSTILE, ids=lambda case: case.name)
def test_hostile_extract_is_refused_and_nothing_changes(
    case: Hostile, melun: Municipality, tmp_path: Path
) -> None:
    import_basemap(EXTRACT, "--municipality", melun.slug)
    before = sorted(BaseFeature.objects.values_list("pk", flat=True))

    with pytest.raises(CommandError, match=case.reason):
        import_basemap(case.argument(tmp_path), "--municipality", melun.slug)

    assert sorted(BaseFeature.objects.values_list("pk", flat=True)) == before
    assert BasemapImport.objects.count() == 1


def test_unknown_hromada_is_refused(melun: Municipality) -> None:
    with pytest.raises(CommandError, match="--municipality: no hromada nowhere"):
        import_basemap(EXTRACT, "--municipality", "nowhere")
    assert not BaseFeature.objects.exists()
