"""The national transliteration (resolution 55/2010): the resolution's own examples."""

from __future__ import annotations

import pytest

from geoportal.basemap.addresses import parse, search_text
from geoportal.basemap.translit import transliterate


@pytest.mark.parametrize(
    ("ukrainian", "latin"),
    [  # the examples in the resolution's table, and a street
        ("Алушта", "Alushta"), ("Борщагівка", "Borshchahivka"), ("Вінниця", "Vinnytsia"),
        ("Гадяч", "Hadiach"), ("Згорани", "Zghorany"), ("Ґалаґан", "Galagan"),
        ("Дон", "Don"), ("Рівне", "Rivne"), ("Єнакієве", "Yenakiieve"), ("Гаєвич", "Haievych"),
        ("Короп'є", "Koropie"), ("Житомир", "Zhytomyr"), ("Закарпаття", "Zakarpattia"),
        ("Медвин", "Medvyn"), ("Іршава", "Irshava"), ("Їжакевич", "Yizhakevych"),
        ("Кадиївка", "Kadyivka"), ("Йосипівка", "Yosypivka"), ("Стрий", "Stryi"),
        ("Олексій", "Oleksii"), ("Київ", "Kyiv"), ("Хуст", "Khust"), ("Біла Церква",
        "Bila Tserkva"), ("Чернівці", "Chernivtsi"), ("Шостка", "Shostka"),
        ("Гоща", "Hoshcha"), ("Юрій", "Yurii"), ("Корюківка", "Koriukivka"),
        ("Яготин", "Yahotyn"), ("Костянтин", "Kostiantyn"), ("Знам'янка", "Znamianka"),
        ("Феодосія", "Feodosiia"), ("Розгон", "Rozghon"), ("вулиця Шмідта 5", "vulytsia Shmidta 5"),
    ],
)  # fmt: skip
def test_transliteration_follows_the_resolution(ukrainian: str, latin: str) -> None:
    assert transliterate(ukrainian) == latin


@pytest.mark.parametrize(
    ("typed", "words", "number"),
    [
        ("вул. Шмідта 5", ["шмідта"], "5"),
        ("Шмідта, 5", ["шмідта"], "5"),
        ("Shmidta 5", ["shmidta"], "5"),
        ("vul. Shmidta, 5а", ["shmidta"], "5а"),
        ("проспект Миру 12/1", ["миру"], "12/1"),
        ("вулиця Шмідта", ["шмідта"], ""),
        ("5", ["5"], ""),
    ],
)
def test_typed_address_is_split_into_street_and_number(
    typed: str, words: list[str], number: str
) -> None:
    assert (parse(typed).words, parse(typed).housenumber) == (words, number)


def test_search_text_holds_both_scripts() -> None:
    assert search_text("вулиця Шмідта") == "вулиця шмідта | vulytsia shmidta"
    assert search_text("Rue du Port") == "rue du port"
