"""The coordinator's dashboard section "E-permits": the figures of geoportal.permits.statistics
for the hromada, all time or the dates chosen, as charts with their tables."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from frontend.staff.charts import bars
from geoportal.municipalities.models import Municipality
from geoportal.permits.states import RefusalReason, State
from geoportal.permits.statistics import permit_statistics


class PeriodForm(forms.Form):
    """Applications submitted from … to … (either end open)."""

    permits_start = forms.DateField(
        required=False, label=_("Submitted from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    permits_end = forms.DateField(
        required=False, label=_("Submitted until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("permits_start"), data.get("permits_end")
        if start and end and start > end:
            self.add_error("permits_end", _("The end is before the start."))
        return data


def permit_section(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    """The context of the section; a bad period is shown with its error, and all time then."""
    asked = "permits_start" in request.GET or "permits_end" in request.GET
    period = PeriodForm(request.GET if asked else None)
    chosen = period.cleaned_data if period.is_bound and period.is_valid() else {}
    start, end = chosen.get("permits_start"), chosen.get("permits_end")
    figures = permit_statistics(municipality, start, end)
    rows = figures.kinds
    shown_states = [
        (state.value, state.label) for state in State if figures.total.by_state[state.value]
    ]
    return {
        "permit_period": period,
        "permit_figures": figures,
        "permit_states": shown_states,
        "permit_state_rows": [
            (row.name, [row.by_state[value] for value, _label in shown_states], row.total)
            for row in [*rows, figures.total]
        ],
        "permit_kind_chart": bars([(row.name, row.total) for row in rows]),
        "permit_on_time_chart": bars(
            [(row.name, round((row.share_on_time or 0) * 100)) for row in rows if row.decided],
            maximum=100,
            unit="%",
        ),
        "permit_refusal_chart": bars(
            [
                (str(reason.label), figures.total.refused_by_reason[reason.value])
                for reason in RefusalReason
            ]
        ),
    }
