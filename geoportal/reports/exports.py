"""The monthly control report as CSV (UTF-8, opens in Excel) and XLSX (openpyxl).

Only counts and medians: no report, reporter or person appears in it. Department and
category names are staff's text: every cell goes through geoportal.core.spreadsheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from geoportal.core.spreadsheet import csv_text, workbook, xlsx_append, xlsx_bytes
from geoportal.reports.states import RejectionGround
from geoportal.reports.statistics import Row


def columns() -> list[tuple[str, str]]:
    """(attribute, heading) of each column, headings in the active language."""
    return [
        ("key", _("Code")),
        ("name", _("Name")),
        ("received", _("Received")),
        ("approved", _("Approved")),
        ("rejected", _("Rejected")),
        ("duplicates", _("Duplicates")),
        ("out_of_competence", _("Outside competence")),
        ("routed", _("Routings")),
        ("returned", _("Returns")),
        ("resolved", _("Resolved")),
        ("not_resolved", _("Not resolved")),
        ("overdue_now", _("Overdue now")),
        ("overdue_ever", _("Overdue ever")),
        ("answered", _("Answered")),
        ("answered_on_time", _("Answered on time")),
        ("share_on_time", _("Share answered on time")),
        ("median_hours_to_moderation", _("Median hours to moderation")),
        ("median_hours_to_acknowledgement", _("Median hours to acknowledgement")),
        ("median_hours_to_answer", _("Median hours to answer")),
    ]


def _table(rows: Sequence[Row]) -> list[list[Any]]:
    heads = columns()
    grounds = list(RejectionGround)
    table: list[list[Any]] = [
        [h for _a, h in heads] + [f"{_('Rejected')}: {g.label}" for g in grounds]
    ]
    for row in rows:
        values = [getattr(row, attribute) for attribute, _h in heads]
        if row.key == "total":
            values[0], values[1] = "", _("Total")
        elif not row.key:
            values[1] = _("Not routed")
        table.append(values + [row.rejected_by_ground.get(g.value, 0) for g in grounds])
    return table


def to_csv(rows: Sequence[Row]) -> bytes:
    return csv_text(_table(rows)).encode("utf-8")


def to_xlsx(sheets: Mapping[str, Sequence[Row]], title: str, month: date | None) -> bytes:
    book = workbook()
    for name, rows in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        xlsx_append(sheet, [title])
        xlsx_append(
            sheet, [_("Month: %(month)s") % {"month": f"{month:%m.%Y}"} if month else _("All time")]
        )
        sheet["A1"].font = Font(bold=True, size=13)
        for line in _table(rows):
            xlsx_append(sheet, line)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "C4"
        sheet.column_dimensions["B"].width = 48
    return xlsx_bytes(book)
