"""What a KATOTTH code says: UA, then the oblast (2 digits), the raion (2), the hromada (3),
the settlement (3) and a 7-digit identifier (Кодифікатор адміністративно-територіальних
одиниць та територій територіальних громад, Мінрегіон order No. 290 of 26.11.2020).

The first level keeps the KOATUU codes of the oblasts, so a code names its oblast: a typo
that moves a hromada to another oblast is caught against the oblast the operator gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geoportal.municipalities.models.municipality import KATOTTH_PATTERN


@dataclass(frozen=True)
class Oblast:
    name_uk: str  # as the reference data stores it: "Донецька"
    name_en: str  # "Donetsk"

    def is_named(self, given: str) -> bool:
        """True for "Донецька", "Донецька область", "donetsk oblast" and the like."""
        words = re.sub(r"\s+(область|обл\.?|oblast|region)$", "", given.strip(), flags=re.I)
        return words.casefold() in {self.name_uk.casefold(), self.name_en.casefold()}


OBLASTS = {
    "01": Oblast("Автономна Республіка Крим", "Autonomous Republic of Crimea"),
    "05": Oblast("Вінницька", "Vinnytsia"),
    "07": Oblast("Волинська", "Volyn"),
    "12": Oblast("Дніпропетровська", "Dnipropetrovsk"),
    "14": Oblast("Донецька", "Donetsk"),
    "18": Oblast("Житомирська", "Zhytomyr"),
    "21": Oblast("Закарпатська", "Zakarpattia"),
    "23": Oblast("Запорізька", "Zaporizhzhia"),
    "26": Oblast("Івано-Франківська", "Ivano-Frankivsk"),
    "32": Oblast("Київська", "Kyiv"),
    "35": Oblast("Кіровоградська", "Kirovohrad"),
    "44": Oblast("Луганська", "Luhansk"),
    "46": Oblast("Львівська", "Lviv"),
    "48": Oblast("Миколаївська", "Mykolaiv"),
    "51": Oblast("Одеська", "Odesa"),
    "53": Oblast("Полтавська", "Poltava"),
    "56": Oblast("Рівненська", "Rivne"),
    "59": Oblast("Сумська", "Sumy"),
    "61": Oblast("Тернопільська", "Ternopil"),
    "63": Oblast("Харківська", "Kharkiv"),
    "65": Oblast("Херсонська", "Kherson"),
    "68": Oblast("Хмельницька", "Khmelnytskyi"),
    "71": Oblast("Черкаська", "Cherkasy"),
    "73": Oblast("Чернівецька", "Chernivtsi"),
    "74": Oblast("Чернігівська", "Chernihiv"),
    "80": Oblast("Київ", "Kyiv city"),
    "85": Oblast("Севастополь", "Sevastopol"),
}


def is_well_formed(code: str) -> bool:
    return re.fullmatch(KATOTTH_PATTERN, code) is not None


def oblast_of(code: str) -> Oblast | None:
    """The oblast a well-formed code names, or None when its first level is no oblast."""
    return OBLASTS.get(code[2:4])


def same_hromada(settlement: str, hromada: str) -> bool:
    """True when `hromada` is the code of the hromada the settlement belongs to: the same
    oblast, raion and hromada digits, and no settlement level of its own."""
    return settlement[2:9] == hromada[2:9] and hromada[9:12] == "000"
