"""Checks of an untrusted GIS file before GDAL opens it: is it what its suffix says, and
does it refer to anything outside itself?

GDAL follows references a file makes: a VRT names other files, /vsi… paths and URLs;
a GeoJSON "crs" link is fetched; a KML NetworkLink or an external style is a URL; a
GeoPackage view or generated column is SQL run on every read; a CSV's .csvt and .prj and
a Shapefile's .prj and .cpg are read beside it. A file is refused when it makes any
such reference, with a message that names the file, the place and the kind of
reference, and never quotes more of the file than the reference's own name.

Text formats are scanned whole, in chunks (bounded memory). Binary formats are checked
by their structure: a Shapefile or FlatGeobuf has no way to refer to anything; a
GeoPackage's schema and text cells are read through SQLite, opened read-only.
"""

from __future__ import annotations

import re
import sqlite3
import xml.parsers.expat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import ijson
from django.utils.translation import gettext as _

from layers.importing.formats import GEOJSON, GEOPACKAGE, KML, Format

CHUNK = 1024 * 1024
OVERLAP = 256  # longer than any pattern below, so none is cut between two chunks
SIDE_FILE_LIMIT = 64 * 1024

# A /vsi… path in any case (GDAL compares some of them case-insensitively), and the
# markers of GDAL's XML formats that open other data sources.
VSI = re.compile(rb"/vsi[a-z0-9_]*", re.IGNORECASE)
XML_SOURCES = re.compile(rb"<\s*(OGRVRTDataSource|VRTDataset|OGRWFSDataSource)", re.IGNORECASE)
CRS_EVENTS = 1000  # parser events in one crs member: a named CRS takes about ten
MAX_NESTING = 64  # a GeoJSON MultiPolygon's coordinates nest 4 deep, properties a few more
STEP = {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}
# A CRS named, not linked: EPSG:6385, urn:ogc:def:crs:EPSG::6385, OGC CRS84 and the
# opengis.net identifiers, which PROJ resolves from its own database.
CRS_NAME = re.compile(
    r"^(EPSG:\d{4,6}|urn:ogc:def:crs:(EPSG::\d{4,6}|OGC:1\.3:CRS84|OGC::CRS84)"
    r"|https?://www\.opengis\.net/def/crs/(EPSG/0/\d{4,6}|OGC/1\.3/CRS84))$"
)
# KML elements that load other documents, models or images, and the elements and
# attributes that name another resource; only a reference inside the file (#id) is kept.
KML_LOADERS = {
    "NetworkLink",
    "NetworkLinkControl",
    "Update",
    "GroundOverlay",
    "ScreenOverlay",
    "PhotoOverlay",
    "Model",
}
KML_REFERENCES = {"href", "styleUrl", "schemaUrl", "targetHref"}
WKT_START = re.compile(r"^(EPSG:\d{4,6}$|[A-Z][A-Z0-9_]*\s*\[)")
WKT_URI = re.compile(r'URI\s*\[\s*"[^"]*"\s*\]', re.IGNORECASE)
CODE_PAGE = re.compile(r"^[A-Za-z0-9 _.-]{0,40}$")
CSVT_TYPE = re.compile(r'^"?[A-Za-z][A-Za-z0-9]*(\(\s*[A-Za-z0-9]+(\.\d+)?\s*\))?"?$')
DBF_VERSIONS = {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5, 0xFB}
GEOPACKAGE_IDS = {b"GPKG", b"GP10", b"GP11"}
TEXT_TYPE = re.compile(r"CHAR|TEXT|CLOB|^$", re.IGNORECASE)  # SQLite's text affinity


class FileRefusedError(ValueError):
    """The file is refused as a whole; the message says which file, where and why."""


def check_file(path: Path, fmt: Format, shown_as: str) -> None:
    """Raise FileRefusedError unless the file is a `fmt` file that refers to nothing else."""
    if path.stat().st_size == 0:
        raise FileRefusedError(_("%(name)s: the file is empty.") % {"name": shown_as})
    if fmt.signature:
        with path.open("rb") as handle:
            start = handle.read(len(fmt.signature))
        if start != fmt.signature:
            raise FileRefusedError(_not_a(shown_as, fmt))
    if fmt.text:
        _check_text(path, fmt, shown_as)
    if fmt is KML:
        _check_kml(path, shown_as)
    if fmt is GEOPACKAGE:
        _check_geopackage(path, shown_as)


def check_side_file(path: Path, shown_as: str) -> None:
    """A side file GDAL reads beside a dataset: only what its kind may hold."""
    suffix = path.suffix.lower()
    if suffix in {".shx", ".dbf"}:
        with path.open("rb") as handle:
            start = handle.read(4)
        if suffix == ".shx":
            fine = start == b"\x00\x00\x27\x0a"
        else:
            fine = bool(start) and start[0] in DBF_VERSIONS
        if not fine:
            raise FileRefusedError(
                _("%(name)s is not a Shapefile's %(suffix)s file.")
                % {"name": shown_as, "suffix": suffix}
            )
        if suffix == ".dbf":  # its records are text: scanned like a CSV
            _scan(path, shown_as, text=False)
        return
    if path.stat().st_size > SIDE_FILE_LIMIT:
        raise FileRefusedError(
            _("%(name)s is larger than a %(suffix)s file can be.")
            % {"name": shown_as, "suffix": suffix}
        )
    text = path.read_bytes().decode("utf-8", errors="replace").strip().lstrip("\ufeff")
    if suffix == ".prj":
        # WKT2 may carry identifiers as URI["http://www.opengis.net/..."]: names, not links.
        valid = bool(WKT_START.match(text)) and "://" not in WKT_URI.sub("", text)
        what = _("a coordinate system in WKT")
    elif suffix == ".cpg":
        valid = bool(CODE_PAGE.match(text))
        what = _("the name of a code page, such as 1251 or UTF-8")
    else:  # .csvt
        parts = text.split(",")
        valid = "\n" not in text and all(CSVT_TYPE.match(part.strip()) for part in parts)
        what = _("a list of column types, such as Integer,String,WKT")
    if not valid or VSI.search(text.encode()):
        raise FileRefusedError(
            _("%(name)s must hold %(what)s and nothing else; the file is refused.")
            % {"name": shown_as, "what": what}
        )


def _not_a(shown_as: str, fmt: Format) -> str:
    return _("%(name)s is not a %(format)s file (its first bytes are not those of one).") % {
        "name": shown_as,
        "format": fmt.name,
    }


def _refers(shown_as: str, line: int | None, what: str) -> FileRefusedError:
    where = shown_as if line is None else _("%(name)s, line %(line)s") % {
        "name": shown_as, "line": line}  # fmt: skip
    return FileRefusedError(
        _("%(where)s: %(what)s. A file for import must hold its data itself; it may not "
          "refer to other files or addresses. The file is refused.")
        % {"where": where, "what": what}
    )  # fmt: skip


def _chunks(path: Path) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) of the file in chunks that overlap by OVERLAP bytes."""
    with path.open("rb") as handle:
        offset, tail = 0, b""
        while data := handle.read(CHUNK):
            yield offset - len(tail), tail + data
            offset += len(data)
            tail = data[-OVERLAP:]


def _scan(path: Path, shown_as: str, text: bool) -> None:
    """Refuse a /vsi… path (and, in a text file, a GDAL XML source) anywhere in the file."""
    patterns = [VSI, XML_SOURCES] if text else [VSI]
    for offset, data in _chunks(path):
        for pattern in patterns:
            found = pattern.search(data)
            if found is None:
                continue
            line = _count_lines(path, 0, offset + found.start()) + 1 if text else None
            if pattern is VSI:
                token = found.group(0).decode("ascii", errors="replace")
                what = _("a GDAL file path (%(token)s…)") % {"token": token}
            else:
                token = found.group(1).decode("ascii")
                what = _("a GDAL virtual data source (<%(token)s>)") % {"token": token}
            raise _refers(shown_as, line, what)


def _count_lines(path: Path, start: int, end: int) -> int:
    with path.open("rb") as handle:
        handle.seek(start)
        return handle.read(end - start).count(b"\n")


def _check_text(path: Path, fmt: Format, shown_as: str) -> None:
    _scan(path, shown_as, text=True)
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in start:
        raise FileRefusedError(_not_a(shown_as, fmt))
    # Each text format by its first character: a CSV that starts as XML or JSON is not one.
    first = start[:1]
    expected = {GEOJSON: first == b"{", KML: first == b"<"}.get(
        fmt, first not in {b"<", b"{", b"["}
    )
    if not expected:
        raise FileRefusedError(_not_a(shown_as, fmt))
    if fmt is GEOJSON:
        _check_geojson(path, shown_as)


def _check_geojson(path: Path, shown_as: str) -> None:
    """Streamed through ijson, which unescapes keys and strings as GDAL's parser does: every
    member named crs, in any case and at any depth (GDAL finds members whatever their
    case), must name a coordinate system, not link to one; no text holds a /vsi… path."""
    crs: ijson.ObjectBuilder | None = None
    nesting = depth = events = 0
    try:
        with path.open("rb") as handle:
            # basic_parse: parse's prefixes cost memory quadratic in the nesting.
            for event, value in ijson.basic_parse(handle):
                nesting += STEP.get(event, 0)
                if nesting > MAX_NESTING:
                    raise FileRefusedError(
                        _("%(name)s nests deeper than %(limit)s levels; no GeoJSON does.")
                        % {"name": shown_as, "limit": MAX_NESTING}
                    )
                if crs is not None:
                    crs.event(event, value)
                    events += 1
                    depth += STEP.get(event, 0)
                    if events > CRS_EVENTS:
                        raise _refers(shown_as, None, _crs_reason())
                    if depth == 0:
                        if not _named_crs(crs.value):
                            raise _refers(shown_as, None, _crs_reason())
                        crs, events = None, 0
                found = VSI.search(value.encode()) if isinstance(value, str) else None
                if found is not None:
                    token = found.group(0).decode("ascii")
                    raise _refers(shown_as, None, _("a GDAL file path (%(token)s…)") % {
                        "token": token})  # fmt: skip
                if event == "map_key" and value.lower() == "crs":
                    crs, depth, events = ijson.ObjectBuilder(), 0, 0
    except ijson.JSONError as exc:
        raise FileRefusedError(
            _("%(name)s is not valid JSON (%(reason)s).")
            % {"name": shown_as, "reason": " ".join(str(exc).split())[:120]}
        ) from None


def _named_crs(value: Any) -> bool:
    if not isinstance(value, dict | list):
        return True  # a text or number (a feature's property "crs"): GDAL reads objects only
    if not isinstance(value, dict) or set(value) - {"type", "properties"}:
        return False
    properties = value.get("properties")
    if not isinstance(properties, dict):
        return False
    if value.get("type") == "name" and set(properties) == {"name"}:
        return isinstance(properties["name"], str) and bool(CRS_NAME.match(properties["name"]))
    if value.get("type") == "EPSG" and set(properties) == {"code"}:
        return isinstance(properties["code"], int)
    return False


def _crs_reason() -> str:
    return _('a "crs" that is not the name of a coordinate system (a link, a path or a URL)')


def _check_kml(path: Path, shown_as: str) -> None:
    """Streamed through expat: no DTD or entities, a <kml> root, no loading elements,
    and every reference to another resource only to an element of this file (#id)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    state: dict[str, Any] = {"depth": 0, "reference": None, "text": [], "root_at": 0}

    def refuse(what: str) -> None:
        raise _refers(shown_as, parser.CurrentLineNumber, what)

    def doctype(*_args: Any) -> None:
        refuse(_("a document type declaration (DTD), which can load other files"))

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if state["depth"] == 0:
            if local != "kml":
                raise FileRefusedError(_not_a(shown_as, KML))
            state["root_at"] = parser.CurrentByteIndex
        state["depth"] += 1
        if local in KML_LOADERS:
            refuse(_("a <%(element)s>, which loads another resource") % {"element": local})
        for attribute, value in attributes.items():
            if attribute.rpartition(" ")[2] in KML_REFERENCES and not _local(value):
                refuse(_("an attribute %(attribute)s naming another resource") % {
                    "attribute": attribute.rpartition(" ")[2]})  # fmt: skip
        if local in KML_REFERENCES:
            state["reference"], state["text"] = local, []

    def text(data: str) -> None:
        if state["reference"]:
            state["text"].append(data)

    def end(name: str) -> None:
        if state["reference"] and name.rpartition(" ")[2] == state["reference"]:
            if not _local("".join(state["text"])):
                refuse(_("a <%(element)s> naming another resource") % {
                    "element": state["reference"]})  # fmt: skip
            state["reference"] = None

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        with path.open("rb") as handle:
            while data := handle.read(CHUNK):
                parser.Parse(data, False)
            parser.Parse(b"", True)
            # GDAL knows a KML by "<kml" as written: a prefixed root (<k:kml>) would be
            # left to other drivers (GML claims it).
            handle.seek(state["root_at"])
            root = handle.read(5)
            if root[:4] != b"<kml" or root[4:] not in (b">", b" ", b"\t", b"\r", b"\n", b"/"):
                raise FileRefusedError(_not_a(shown_as, KML))
    except xml.parsers.expat.ExpatError as exc:
        reason = xml.parsers.expat.ErrorString(exc.code)
        raise FileRefusedError(
            _("%(name)s, line %(line)s: not well-formed XML (%(reason)s).")
            % {"name": shown_as, "line": exc.lineno, "reason": reason}
        ) from None


def _local(reference: str) -> bool:
    """A reference to an element of the same file, or none."""
    reference = reference.strip()
    return reference == "" or reference.startswith("#")


def _check_geopackage(path: Path, shown_as: str) -> None:
    """A GeoPackage's schema, read by SQLite (read-only): no views and no generated
    columns (SQL run on every read), no virtual tables but the spatial index."""
    with path.open("rb") as handle:
        handle.seek(68)
        application_id = handle.read(4)
    if application_id not in GEOPACKAGE_IDS:
        raise FileRefusedError(_not_a(shown_as, GEOPACKAGE))
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            db.execute("PRAGMA trusted_schema = OFF")
            _check_schema(db, shown_as)
    except sqlite3.DatabaseError as exc:
        raise FileRefusedError(
            _("%(name)s: SQLite cannot read this GeoPackage (%(reason)s).")
            % {"name": shown_as, "reason": exc}
        ) from None


def _check_schema(db: sqlite3.Connection, shown_as: str) -> None:
    def refuse(what: str) -> None:
        raise _refers(shown_as, None, what)

    entries = db.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master").fetchall()
    for kind, name, sql in entries:
        if kind == "view":
            refuse(_("a view (%(name)s), whose SQL would run while the file is read") % {
                "name": name})  # fmt: skip
        virtual = kind == "table" and re.match(r"\s*CREATE\s+VIRTUAL\s+TABLE", sql, re.I)
        if virtual and not re.search(r"\bUSING\s+rtree\s*\(", sql, re.I):
            refuse(_("a virtual table (%(name)s), which reads from elsewhere") % {
                    "name": name})  # fmt: skip
        if VSI.search(sql.encode()) or XML_SOURCES.search(sql.encode()):
            refuse(_("a GDAL file path in the definition of %(name)s") % {"name": name})
    tables = [name for kind, name, sql in entries if kind == "table"]
    for table in tables:
        columns = db.execute(
            "SELECT name, type, hidden FROM pragma_table_xinfo(?)", (table,)
        ).fetchall()
        if any(hidden in (2, 3) for _name, _type, hidden in columns):
            refuse(_("a generated column in %(name)s, whose SQL would run while the file is "
                     "read") % {"name": table})  # fmt: skip
        texts = [name for name, kind, _hidden in columns if TEXT_TYPE.search(str(kind))]
        if texts and _has_vsi(db, table, texts):
            refuse(_("a GDAL file path (/vsi…) in table %(name)s") % {"name": table})


def _has_vsi(db: sqlite3.Connection, table: str, columns: list[str]) -> bool:
    quoted = '"' + table.replace('"', '""') + '"'
    condition = " OR ".join(
        f"(typeof({name}) = 'text' AND instr(lower({name}), '/vsi') > 0)"
        for name in ('"' + column.replace('"', '""') + '"' for column in columns)
    )
    query = f"SELECT 1 FROM {quoted} WHERE {condition} LIMIT 1"  # noqa: S608 (names quoted)
    return db.execute(query).fetchone() is not None
