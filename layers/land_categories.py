"""Land categories by their statutory names, as cadastre exports write them.

The State Land Cadastre's exports give a plot's category as a code (100–900) or as its
name in the Land Code (art. 19), in either wording of category 900 ("зв’язку", or
"електронних комунікацій" since 2020). The names live in data/registry/land-categories.json
with their legal source.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "data" / "registry" / "land-categories.json"
APOSTROPHES = re.compile(r"[’ʼ'`´‘]")


def normalised(text: str) -> str:
    """Lower case, one kind of apostrophe, single spaces, no final full stop."""
    text = APOSTROPHES.sub("'", text.lower())
    return " ".join(text.split()).rstrip(".").strip()


@functools.cache
def by_statutory_name() -> dict[str, str]:
    """{normalised statutory name: category code}."""
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    return {normalised(name): code for code, names in data["categories"].items()
            for name in names}  # fmt: skip


def category_named(text: str) -> str | None:
    """The category code of a statutory name, or None."""
    return by_statutory_name().get(normalised(text))
