"""The one rule for every cell the platform writes into a spreadsheet file (CSV or XLSX).

Excel, LibreOffice and Google Sheets take a cell whose text starts with `=`, `+`, `-`,
`@`, a tab or a carriage return for a formula (OWASP, "CSV Injection"): a resident's
report title `=HYPERLINK("http://evil","x")` would become a live link, `+cmd|' /C calc'!A0`
a DDE call, in the council's own spreadsheet. So:

- CSV: such text gets a leading apostrophe, which the programs show as text; every text
  cell is quoted and numbers are not (csv.QUOTE_NONNUMERIC), so an area or a count stays
  a number and a text stays one cell whatever commas or quotes it holds.
- XLSX: every text cell is a string cell (data type "s"), never a formula, its text left
  as it is; one that starts like a formula also carries Excel's own quote prefix, so that
  editing the cell does not turn it into one.

Spaces before the sign do not help (" =1+1" is still refused: some programs trim them),
and the full-width signs Excel accepts in East Asian input (＝＋－＠) count too.

Every CSV and XLSX the platform writes goes through this module; the test
tests/security/test_formula_injection.py holds the table of exports and fails when any
other module writes CSV or XLSX. GeoJSON, GeoPackage and Shapefile are not spreadsheets:
their text is left exactly as stored.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

# The first characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
# Excel's mark for "this cell is text"; shown in the cell, not part of a formula.
TEXT_MARK = "'"
# The byte-order mark lets Excel open Ukrainian text as UTF-8.
BOM = "\ufeff"

Value = str | int | float | Decimal | bool | date | None


def starts_like_formula(text: str) -> bool:
    if not text:
        return False
    first = text[0]
    # Spaces are looked past only when there are some (most text starts with a letter).
    return first in FORMULA_STARTS or (first.isspace() and text.lstrip()[:1] in FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Text a spreadsheet program shows as text, never runs as a formula."""
    return TEXT_MARK + text if starts_like_formula(text) else text


def csv_cell(value: Value) -> str | int | float:
    """A value as the CSV writer takes it: numbers as numbers, everything else as text."""
    kind = type(value)  # the common types first: a export writes millions of cells
    if kind is str:
        return neutralise(value)  # type: ignore[arg-type]
    if value is None:
        return ""
    if kind is int:
        return value  # type: ignore[return-value]
    if isinstance(value, bool):  # before int: True is an int
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


class _Line:
    """A file-like object that hands back what the csv module writes, to stream it."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Sequence[Value]], *, bom: bool = True) -> Iterator[str]:
    """The CSV text of the rows, one line at a time (for a streamed response or a file)."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_NONNUMERIC)
    if bom:
        yield BOM
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_text(rows: Iterable[Sequence[Value]], *, bom: bool = True) -> str:
    return "".join(csv_lines(rows, bom=bom))


def xlsx_cell(sheet: Worksheet, value: Value) -> Cell:
    """A cell of the sheet: numbers as numbers, text always as a string cell."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return Cell(sheet, value=value)
    text = value.isoformat() if isinstance(value, date) else str(value)
    # Characters XML cannot hold (control codes) would stop the whole file from saving.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = Cell(sheet)
    cell.value = text  # openpyxl takes "=..." for a formula here ...
    cell.data_type = "s"  # ... and this makes it a string again.
    if starts_like_formula(text):
        cell.quotePrefix = True
    return cell


def xlsx_append(sheet: Worksheet, values: Sequence[Value]) -> None:
    """Add a row of cells at the bottom of the sheet, by the rule above."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def workbook() -> Workbook:
    """An empty workbook (no sheet yet) to fill with xlsx_append."""
    book = Workbook()
    book.remove(book.active)
    return book


def xlsx_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
