"""DRF's JSON parser, also refusing what it lets through to a server error."""

from __future__ import annotations

import re
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(data: Any) -> bool:
    """Whether a string anywhere in the parsed document holds a lone surrogate ("\\ud800"):
    JSON may escape one, but it is not Unicode and PostgreSQL cannot store it."""
    pending = [data]
    while pending:  # a loop, not recursion: the document may nest deeply
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class JSONParser(parsers.JSONParser):
    """Nesting too deep for Python's parser and lone surrogates are a 400, as any other
    malformed JSON is."""

    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: Any = None) -> Any:  # fmt: skip
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document nests too deeply.") from None
        if _lone_surrogate(data):
            raise ParseError("JSON parse error - a string holds a lone surrogate (not Unicode).")
        return data
