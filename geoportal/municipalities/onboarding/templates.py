"""Templates of a new hromada's departments, categories, routing and layer owners.

A template is a reference file without its `municipality` part: one of
data/reference/templates/ (standard.json: the departments DOMAIN.md names), an existing
hromada's data/reference/<slug>.json, or any JSON file of that shape. It is checked whole
before anything is written, every problem named with its entry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from layers.kinds import LayerKind
from layers.models import UpdateFrequency

CODE = re.compile(r"^[-a-z0-9_]{1,32}$")
# What a template may give of a department: its e-mail stays behind, since a copied address
# would send the new hromada's reports to another hromada's staff.
DEPARTMENT_KEYS = ("code", "name_uk", "name_en", "is_demo")
CATEGORY_KEYS = ("code", "name_uk", "name_en", "icon", "linked_layer", "sort_order")
RULE_KEYS = ("category", "department", "priority", "note")
PASSPORT_KEYS = ("layer", "department", "update_frequency")


def reference_folder() -> Path:
    return Path(settings.BASE_DIR) / "data" / "reference"


def find_template(given: str) -> Path | None:
    """A path to a JSON file, or a name: data/reference/templates/<name>.json, then an
    existing hromada's data/reference/<name>.json."""
    if given.endswith(".json") or "/" in given:
        path = Path(given)
        return path if path.is_file() else None
    for candidate in (reference_folder() / "templates", reference_folder()):
        path = candidate / f"{given}.json"
        if CODE.match(given) and path.is_file():
            return path
    return None


def read_template(path: Path) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The template's four lists, stripped to the keys a new hromada takes, and the
    problems found in it (empty when it is usable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {}, [_("%(name)s cannot be read (%(reason)s).") % {"name": path.name, "reason": exc}]
    if not isinstance(data, dict):
        return {}, [_("%(name)s is not a JSON object.") % {"name": path.name}]
    lists: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for key, keep in (
        ("departments", DEPARTMENT_KEYS),
        ("categories", CATEGORY_KEYS),
        ("routing_rules", RULE_KEYS),
        ("layer_passports", PASSPORT_KEYS),
    ):
        entries = data.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            problems.append(_("%(key)s must be a list of objects.") % {"key": key})
            entries = []
        lists[key] = [{k: e[k] for k in keep if k in e} for e in entries]
    problems += _check(lists)
    return lists, [f"{path.name}: {problem}" for problem in problems]


def _check(lists: dict[str, list[dict[str, Any]]]) -> list[str]:
    problems: list[str] = []
    departments = _codes(lists["departments"], "departments", problems)
    categories = _codes(lists["categories"], "categories", problems)
    if not departments:
        problems.append(_("the template names no department."))
    for number, entry in enumerate(lists["categories"], start=1):
        if entry.get("linked_layer", "") not in ("", *LayerKind.values):
            problems.append(
                _("category %(number)s links an unknown layer %(layer)r.")
                % {"number": number, "layer": entry.get("linked_layer")}
            )
    for number, rule in enumerate(lists["routing_rules"], start=1):
        if rule.get("category") not in categories or rule.get("department") not in departments:
            problems.append(
                _("routing rule %(number)s names an unknown category or department.")
                % {"number": number}
            )
        if not isinstance(rule.get("priority", 0), int):
            problems.append(
                _("routing rule %(number)s: priority must be a whole number.") % {"number": number}
            )
    owners = _layer_owners(lists)
    for number, entry in enumerate(lists["layer_passports"], start=1):
        if entry.get("layer") not in LayerKind.values or entry.get("department") not in departments:
            problems.append(
                _("layer passport %(number)s names an unknown layer or department.")
                % {"number": number}
            )
        if entry.get("update_frequency", "monthly") not in UpdateFrequency.values:
            problems.append(
                _("layer passport %(number)s: update_frequency must be one of %(known)s.")
                % {"number": number, "known": ", ".join(UpdateFrequency.values)}
            )
    for kind in LayerKind:
        if kind.value not in owners:
            problems.append(
                _(
                    "no department is responsible for the layer %(layer)r: name one under "
                    "layer_passports."
                )
                % {"layer": kind.value}
            )
    return problems


def _codes(entries: list[dict[str, Any]], key: str, problems: list[str]) -> set[str]:
    codes: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        code = entry.get("code")
        if not isinstance(code, str) or not CODE.match(code) or not entry.get("name_uk"):
            problems.append(
                _("%(key)s entry %(number)s needs a code (a-z, 0-9, - or _) and a name_uk.")
                % {"key": key, "number": number}
            )
        elif code in codes:
            problems.append(
                _("%(key)s entry %(number)s repeats the code %(code)r.")
                % {"key": key, "number": number, "code": code}
            )
        else:
            codes.add(code)
    return codes


def _layer_owners(lists: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Each layer's responsible department as load_reference will find it: named under
    layer_passports, else the department its linked category is routed to."""
    linked = {c.get("code"): c.get("linked_layer") for c in lists["categories"]}
    owners: dict[str, str] = {}
    for rule in sorted(lists["routing_rules"], key=lambda r: -_priority(r)):
        layer = linked.get(rule.get("category"))
        if layer and layer not in owners:
            owners[layer] = rule.get("department", "")
    for entry in lists["layer_passports"]:
        owners[entry.get("layer", "")] = entry.get("department", "")
    return owners


def _priority(rule: dict[str, Any]) -> int:
    priority = rule.get("priority", 0)
    return priority if isinstance(priority, int) else 0


def layer_owners(lists: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    return {kind.value: _layer_owners(lists)[kind.value] for kind in LayerKind}
