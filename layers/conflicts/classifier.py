"""Which КВЦПЗ purpose codes belong to which land category: the classifier's sections, read
from data/registry/kvtspz-sections.json, which names its legal sources (beside the land
categories' statutory names, data/registry/land-categories.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

ANY_CATEGORY = "any"


def classifier_path() -> Path:
    return Path(settings.BASE_DIR) / "data" / "registry" / "kvtspz-sections.json"


@dataclass(frozen=True)
class Section:
    """A section of the classifier: codes `section.01` to `section.last` (`section.00` when
    last is 0), all of them of one land category, or of any."""

    section: str
    last: int
    category: str
    name_uk: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_uk if (get_language() or "uk").startswith("uk") else self.name_en

    def has(self, subsection: int) -> bool:
        return subsection == 0 if self.last == 0 else 1 <= subsection <= self.last


@dataclass(frozen=True)
class Classifier:
    sections: dict[str, Section]

    def problem(self, category: str, code: str) -> str | None:
        """Why `code` does not fit `category`, or None when it does (or either is unknown:
        a plot without a category or a code has nothing to check)."""
        if not category or not code:
            return None
        section = self.sections.get(code[:2])
        if section is None or not code[3:].isdigit() or not section.has(int(code[3:])):
            return _("%(code)s is not a code of the classifier") % {"code": code}
        if section.category in (ANY_CATEGORY, category):
            return None
        return _(
            "%(code)s is of section %(section)s (%(name)s), which belongs to category "
            "%(expected)s, not %(category)s"
        ) % {
            "code": code,
            "section": section.section,
            "name": section.name,
            "expected": section.category,
            "category": category,
        }

    def sql_arrays(self) -> dict[str, list[str] | list[int]]:
        """The table as three parallel arrays, for unnest() in a query."""
        rows = list(self.sections.values())
        return {
            "sections": [s.section for s in rows],
            "lasts": [s.last for s in rows],
            "categories": [s.category for s in rows],
        }


@cache
def classifier() -> Classifier:
    data = json.loads(classifier_path().read_text(encoding="utf-8"))
    sections = {
        row["section"]: Section(
            row["section"], int(row["last"]), row["category"], row["name_uk"], row["name_en"]
        )
        for row in data["sections"]
    }
    return Classifier(sections)
