"""Ukrainian to Latin letters by the national transliteration (Cabinet of Ministers of
Ukraine resolution No. 55 of 27 January 2010), which Ukrainian street signs and passports use.

Six letters are written differently at the start of a word (є ї й ю я: ye yi y yu ya, else
ie i i iu ia), "зг" is "zgh", the soft sign and the apostrophe are dropped. Russian letters
found in older names (ы э ё ъ) get their nearest Latin spelling, so a name still matches.
"""

from __future__ import annotations

import re

LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "ы": "y", "э": "e", "ё": "io", "ъ": "",
}  # fmt: skip
INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
APOSTROPHES = "'’ʼ`"
WORD = re.compile(r"[^\W\d_]+(?:[" + APOSTROPHES + r"][^\W\d_]+)*", re.UNICODE)


def transliterate(text: str) -> str:
    """The text in Latin letters; what is not Cyrillic is kept as it is."""
    return WORD.sub(lambda match: _word(match.group(0)), text)


def _word(word: str) -> str:
    out: list[str] = []
    previous = ""
    for index, char in enumerate(word):
        lower = char.lower()
        if lower in APOSTROPHES:
            continue
        if index == 0 and lower in INITIAL:
            latin = INITIAL[lower]
        elif lower == "г" and previous == "з":
            latin = "gh"
        else:
            latin = LETTERS.get(lower, char if lower == char else lower)
        out.append(latin.capitalize() if char != lower and latin else latin)
        previous = lower
    return "".join(out)
