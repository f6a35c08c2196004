"""Open311's two formats: JSON, and XML whose elements the spec names.

Every document is a root element holding a list of records, each a flat mapping of
element names to values (a few values are lists themselves, e.g. the formats of an
endpoint, a Many). XML is built with ElementTree, which escapes every text.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse


@dataclass(frozen=True)
class Many:
    """A list inside a record: in XML each value is an <item> element, in JSON a list."""

    item: str
    values: Sequence[Any]


FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ET.Element, record: Mapping[str, Any]) -> None:
    for name, value in record.items():
        child = ET.SubElement(parent, name)
        if isinstance(value, Mapping):
            _fill(child, value)
        elif isinstance(value, Many):
            for item in value.values:
                node = ET.SubElement(child, value.item)
                if isinstance(item, Mapping):
                    _fill(node, item)
                else:
                    node.text = _text(item)
        else:
            child.text = _text(value)


def to_xml(root: str, item: str | None, data: Any) -> bytes:
    """<root><item>...</item>...</root> for a list, or <root>...</root> for one record."""
    top = ET.Element(root)
    if item is None:
        _fill(top, data)
    else:
        for record in data:
            _fill(ET.SubElement(top, item), record)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")


def _plain(value: Any) -> Any:
    """The JSON shape of a value: a Many becomes a plain list."""
    if isinstance(value, Mapping):
        return {name: _plain(inner) for name, inner in value.items()}
    if isinstance(value, Many):
        return [_plain(inner) for inner in value.values]
    return value


def respond(fmt: str, root: str, item: str | None, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, item, data)
    else:
        shaped = [_plain(record) for record in data] if item is not None else _plain(data)
        body = json.dumps(shaped, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def errors(fmt: str, status: int, descriptions: Sequence[str]) -> HttpResponse:
    """Errors as the spec says: <errors><error><code/><description/></error></errors>."""
    records = [{"code": status, "description": text} for text in descriptions]
    return respond(fmt, "errors", "error", records, status=status)
