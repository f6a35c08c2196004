"""A file converted column by column: each distinct cell of a column is converted once and
its value (or the reason it has none) spread back to the rows holding it, by position.

pandas.factorize finds the distinct cells in C; a column repeats its categories, kinds,
codes and dates, so an import of 100,000 plots converts a few hundred cells per column
where a row-by-row import converted 800,000. Columns of one value per row (cadastral
numbers) take a fast path for cells already written as the registry writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas
from django.core.exceptions import ValidationError
from pandas.api.types import infer_dtype

from layers.validation import CADASTRAL_PATTERN

# Cells that pandas.factorize may hold apart by value alone: one type of value per column.
_SINGLE_TYPED = {"string", "empty", "integer", "floating", "mixed-integer-float", "boolean",
                 "datetime", "datetime64", "date", "decimal"}  # fmt: skip


@dataclass
class Column:
    """One column as field values: `values[i]` for row i (None where the cell failed),
    `failed[i]` the reason row i's cell is not a value of the field."""

    values: list[Any]
    failed: dict[int, ValidationError] = field(default_factory=dict)


def distinct(series: pandas.Series) -> tuple[np.ndarray[Any, Any], list[Any]]:
    """Each row's index into the column's distinct cells, and those cells as Python values
    (numpy's numbers as int and float, missing cells once as NaN, None or NaT)."""
    if series.dtype == object and infer_dtype(series, skipna=True) not in _SINGLE_TYPED:
        # Mixed Python objects: True, 1 and 1.0 are equal, and "1" is not; keep each type
        # apart, as each converts (and is quoted in a message) its own way.
        keys = [(type(v), v) if _hashable(v) else (object, id(v)) for v in series.tolist()]
        key_codes, _keys = pandas.factorize(pandas.Series(keys, dtype=object))
        cells = series.tolist()
        first = np.full(len(_keys), -1)
        for position, code in enumerate(key_codes.tolist()):
            if first[code] < 0:
                first[code] = position
        return np.asarray(key_codes), [cells[p] for p in first.tolist()]
    codes, uniques = pandas.factorize(series, use_na_sentinel=False)
    return np.asarray(codes), list(uniques.tolist())


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def convert_column(series: pandas.Series, convert: Callable[[Any], Any]) -> Column:
    """`convert` (a cell → a field value, or ValidationError) applied to every distinct
    cell of the column once."""
    codes, cells = distinct(series)
    results = np.empty(len(cells), dtype=object)
    bad: list[int] = []
    for index, cell in enumerate(cells):
        try:
            results[index] = convert(cell)
        except ValidationError as exc:
            results[index] = exc
            bad.append(index)
    taken = results[codes]
    failed = {}
    if bad:
        for position in np.flatnonzero(np.isin(codes, bad)).tolist():
            failed[position] = taken[position]
            taken[position] = None
    return Column(taken.tolist(), failed)


def registry_written(series: pandas.Series) -> np.ndarray[Any, Any] | None:
    """The cadastral numbers of a text column with white space removed, or None where a
    cell is not one as the registry writes it (those are converted one by one)."""
    if infer_dtype(series, skipna=True) != "string":  # text, as object or str dtype
        return None
    squeezed = series.str.replace(r"\s+", "", regex=True)
    canonical = squeezed.str.fullmatch(CADASTRAL_PATTERN.strip("^$")).fillna(False)
    values = np.array(squeezed.tolist(), dtype=object)
    values[~canonical.to_numpy(dtype=bool)] = None
    return values


def convert_cadastral_column(series: pandas.Series, convert: Callable[[Any], Any]) -> Column:
    """Cadastral numbers: one per row, so the distinct cells are all of them; those already
    written as NNNNNNNNNN:NN:NNN:NNNN are taken at once, the rest converted one by one."""
    ready = registry_written(series)
    if ready is None:
        return convert_column(series, convert)
    cells = series.tolist()
    values = ready.tolist()
    failed = {}
    for position in np.flatnonzero(pandas.isna(ready)).tolist():
        try:
            values[position] = convert(cells[position])
        except ValidationError as exc:
            failed[position] = exc
    return Column(values, failed)
