"""Text that people type: refused when it holds characters no one types on purpose.

Control characters (terminal escapes, NUL, backspace...) garble e-mails, CSV and XML
exports (Open311 XML cannot carry them at all); the bidirectional embeddings, overrides
and isolates reorder what is shown ("Trojan Source", a photo named "gpj.exe" shown as
"exe.jpg"); a lone surrogate is not Unicode and PostgreSQL cannot store it. The marks
that right-to-left text needs (U+200E, U+200F, U+061C) are ordinary text and kept.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 but tab, LF, CR; and DEL
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
_MULTILINE = re.compile(f"[{_CONTROLS}{_BIDI}{_SURROGATES}]")
_SINGLE_LINE = re.compile(f"[\t\n\r{_CONTROLS}{_BIDI}{_SURROGATES}]")


def unsafe_character(value: str, *, multiline: bool = False) -> str | None:
    """The first such character as U+XXXX, or None; line breaks and tabs only count in
    single-line text (a title, a name, a code)."""
    found = (_MULTILINE if multiline else _SINGLE_LINE).search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def check_text(field: str, value: str, *, multiline: bool = False) -> None:
    """Raise a ValidationError naming the field and the character, if there is one."""
    if (code := unsafe_character(value, multiline=multiline)) is not None:
        message = _("Contains %(code)s, an invisible control character; remove it.")
        raise ValidationError({field: message % {"code": code}})
