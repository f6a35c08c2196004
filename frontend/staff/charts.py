"""Horizontal bar charts drawn as inline SVG from attributes only (no inline styles or
scripts, so the pages keep a strict Content-Security-Policy). Each chart comes with a
table of the same numbers for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

LONGEST_BAR = 300  # px
ROW = 28  # px per bar
LABEL_WIDTH = 210  # px


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: int
    text: str
    y: int

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH


def bars(values: list[tuple[str, int]], maximum: int | None = None, unit: str = "") -> Chart:
    top = maximum or max((value for _label, value in values), default=0) or 1
    drawn = [
        Bar(label=label, value=value, width=round(LONGEST_BAR * value / top),
            text=f"{value}{unit}", y=index * ROW)
        for index, (label, value) in enumerate(values)
    ]  # fmt: skip
    return Chart(bars=drawn, height=max(len(drawn), 1) * ROW)
