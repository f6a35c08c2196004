"""Addresses typed by people, matched against the base map's streets and house numbers.

"вул. Шмідта 5", "Шмідта, 5" and "vul. Shmidta 5" all become the words ["шмідта"] (or
["shmidta"]) and the house number "5". Each feature keeps `search`: its street name in
lower case, followed by the name's transliteration, so one LIKE per word (served by a
trigram index) finds it typed in either script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geoportal.basemap.translit import transliterate

# Kinds of street, as written in full or cut short, in Ukrainian and in transliteration;
# people type them or not, so they are not searched for.
STREET_TYPES = {
    "вулиця", "вул", "провулок", "пров", "проспект", "просп", "пр", "площа", "пл",
    "бульвар", "бульв", "бул", "шосе", "майдан", "узвіз", "тупик", "проїзд", "набережна",
    "vulytsia", "vul", "provulok", "prov", "prospekt", "prosp", "pr", "ploshcha", "pl",
    "bulvar", "bulv", "shose", "maidan", "uzviz", "tupyk", "proizd", "naberezhna",
}  # fmt: skip
HOUSE_NUMBER = re.compile(r"^\d{1,4}[a-zа-яієїґ]?(?:/\d{1,4}[a-zа-яієїґ]?)?$")
SEPARATORS = re.compile(r"[\s,.;]+")


@dataclass(frozen=True)
class TypedAddress:
    words: list[str]  # of the street's name, lower case
    housenumber: str  # "" when none was typed


def search_text(name: str) -> str:
    """What `search` holds for a street name: itself and its transliteration, lower case."""
    name = " ".join(re.sub("[’ʼ`]", "'", name.lower()).split())
    latin = transliterate(name)
    return name if latin == name else f"{name} | {latin}"


def parse(text: str) -> TypedAddress:
    words = [w for w in SEPARATORS.split(re.sub("[’ʼ`]", "'", text.lower())) if w]
    number = words.pop() if len(words) > 1 and HOUSE_NUMBER.match(words[-1]) else ""
    kept = [w for w in words if w not in STREET_TYPES] or words
    return TypedAddress(kept, number)


def housenumber_key(number: str) -> str:
    """A house number as compared: lower case, no spaces ("5 А" is "5а")."""
    return "".join(number.lower().split())
