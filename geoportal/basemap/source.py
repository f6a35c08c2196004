"""The extract named on the command line, checked and staged before GDAL opens it.

An extract is an operator's file, but it is treated like an upload (layers/importing/
staging.py): a URL or a GDAL /vsi… path is refused by its name, anything but a regular
file is refused, and the file is copied into a private folder under a name of our own,
where it must be an OSM PBF by its structure (a first BlobHeader of type "OSMHeader").
So an XML file (and with it an XML bomb), a VRT or any other format GDAL would guess
never reaches a driver. GDAL's network and file options (layers/importing/gdal_options.py)
are in force for the whole process.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyogrio
from django.utils.translation import gettext as _

from layers.importing.formats import Format
from layers.importing.inspection import FileRefusedError, check_file

# The OSM driver reads PBF; its first BlobHeader is at most 64 KiB (the format's limit).
OSM_PBF = Format("OpenStreetMap PBF", (".pbf",), frozenset({"OSM"}))
HEADER_LIMIT = 64 * 1024
HEADER_TYPE = b"\x0a\x09OSMHeader"  # field 1 (type), a 9-byte string
URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
VSI = re.compile(r"/vsi[a-z0-9_]*", re.IGNORECASE)
CONFIG = Path(__file__).with_name("osmconf.ini")


def stage_extract(argument: str, folder: Path) -> Path:
    """The extract copied into `folder`, checked; FileRefusedError says why not."""
    if URL.match(argument) or VSI.search(argument):
        raise FileRefusedError(
            _("%(name)s: give the path of a local .osm.pbf file, not a URL or a GDAL path.")
            % {"name": argument}
        )
    path = Path(argument)
    if not path.is_file():
        raise FileRefusedError(
            _("%(name)s: no such file (a regular .osm.pbf file is needed).") % {"name": argument}
        )
    if not path.name.lower().endswith(".pbf"):
        raise FileRefusedError(
            _("%(name)s: only OpenStreetMap PBF extracts (.osm.pbf) are imported.")
            % {"name": path.name}
        )
    staged = folder / "extract.osm.pbf"
    shutil.copyfile(path, staged)
    check_file(staged, OSM_PBF, path.name)
    _check_header(staged, path.name)
    driver = pyogrio.read_info(str(staged), layer="points", CONFIG_FILE=str(CONFIG))["driver"]
    if driver not in OSM_PBF.drivers:
        raise FileRefusedError(_not_pbf(path.name))
    return staged


def _check_header(path: Path, shown_as: str) -> None:
    with path.open("rb") as handle:
        size = int.from_bytes(handle.read(4), "big")
        start = handle.read(len(HEADER_TYPE))
    if not 0 < size <= HEADER_LIMIT or start != HEADER_TYPE:
        raise FileRefusedError(_not_pbf(shown_as))


def _not_pbf(shown_as: str) -> str:
    return _(
        "%(name)s is not an OpenStreetMap PBF file (its first bytes are not those of one)."
    ) % {"name": shown_as}
