"""Column-by-column conversion gives each row what converting it alone gave: the same value,
or the same reason on every row that holds a bad cell (layers/importing/vectors.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas
import numpy as np
import pandas
import pytest
import shapely
from django.core.exceptions import ValidationError

from geoportal.municipalities.models import Municipality
from layers.importing import vectors
from layers.importing.columns import convert, importable_fields
from layers.importing.engine import ImportOptions, import_file
from layers.models import AdvertisingStructure, LandPlot
from tests.layers.conftest import CENTRE

LAND = importable_fields(LandPlot)
ADVERTISING = importable_fields(AdvertisingStructure)

COLUMNS = [
    # (model fields, field, cells as the file gives them)
    (LAND, "category", ["200", 200, 200.0, "Землі житлової та громадської забудови", "999",
                        None, "999"]),
    (LAND, "area_ha", [0.1234, 0.12345, "0,5", "abc", np.nan, "abc", 1e20]),
    (LAND, "purpose_text", ["Для будівництва", 12.0, 12, "  x  ", "", None, "я" * 501]),
    (ADVERTISING, "illuminated", [True, 1, "1", "так", "maybe", False, 0, "maybe", None]),
    (ADVERTISING, "sides", [1, 2.0, "2", 2.5, "two", None]),
    (LAND, "lease_until", ["2030-01-31", "31.01.2030", "never", pandas.NaT, "never"]),
    (LAND, "cadastral_number", ["1412300000:00:001:0001", " 1412300000 : 00:001:0002 ",
                                "1412300000:00:001", None, "1412300000:00:001"]),
]  # fmt: skip


def _one_by_one(model_fields: dict[str, Any], name: str, cells: list[Any]) -> list[Any]:
    out: list[Any] = []
    for cell in cells:
        try:
            out.append(convert("land", model_fields[name], cell))
        except ValidationError as exc:
            out.append(("error", exc.messages))
    return out


# Every column as pandas holds Python objects, and the text ones as pandas 3's str columns
# (how pyogrio reads text).
CASES = [
    pytest.param(*case, dtype, id=f"{case[1]}-{dtype}")
    for case in COLUMNS
    for dtype in ("object", "str")
    if dtype == "object" or all(isinstance(c, str) or c is None for c in case[2])
]


@pytest.mark.parametrize(("model_fields", "name", "cells", "dtype"), CASES)
def test_a_column_converts_as_its_cells_do_one_by_one(
    model_fields: dict[str, Any], name: str, cells: list[Any], dtype: str
) -> None:
    series = pandas.Series(cells, dtype=dtype)
    expected = _one_by_one(model_fields, name, series.tolist())

    def one(value: Any) -> Any:
        return convert("land", model_fields[name], value)

    convert_column = (
        vectors.convert_cadastral_column if name == "cadastral_number" else vectors.convert_column
    )
    column = convert_column(series, one)
    got = [
        ("error", column.failed[i].messages) if i in column.failed else value
        for i, value in enumerate(column.values)
    ]
    assert got == expected
    assert all(column.values[i] is None for i in column.failed)
    assert any(isinstance(e, tuple) for e in expected)  # each column holds a bad cell


def test_equal_cells_of_other_types_are_converted_apart() -> None:
    """1 == 1.0 == True in Python; as cells they are three, each quoted as written."""
    codes, cells = vectors.distinct(pandas.Series([1, 1.0, True, "1", 1], dtype=object))
    assert [type(c) for c in cells] == [int, float, bool, str]
    assert codes.tolist() == [0, 1, 2, 3, 0]


def test_only_registry_written_numbers_skip_the_converter() -> None:
    series = pandas.Series(["1412300000:00:001:0001", "1412300000 :00:001:0002", "x", None])
    ready = vectors.registry_written(series)
    assert ready is not None
    assert ready.tolist() == ["1412300000:00:001:0001", "1412300000:00:001:0002", None, None]
    assert vectors.registry_written(pandas.Series([1, 2])) is None  # numbers: one by one


@pytest.mark.django_db
def test_a_bad_cell_on_many_rows_is_reported_on_each_in_row_order(
    pokrovsk: Municipality, tmp_path: Path
) -> None:
    """One distinct cell is converted once; its refusal still names every row holding it,
    beside the other reasons of those rows, in the order of the file."""
    lon, lat = CENTRE
    rows = [
        {"cadastral_number": f"1412600000:01:001:{n:04d}", "category": category,
         "area_ha": area, "geometry": shapely.box(lon + n * 1e-4, lat, lon + n * 1e-4 + 5e-5,
                                                  lat + 5e-5)}
        for n, (category, area) in enumerate(
            [("200", 1.0), ("999", 1.0), ("200", "x"), ("999", "x"), ("200", 2.0)], 1)
    ]  # fmt: skip
    rows.append({**rows[0], "geometry": rows[-1]["geometry"]})  # its key again, row 6
    path = tmp_path / "plots.geojson"
    geopandas.GeoDataFrame(rows, crs=4326).to_file(path, driver="GeoJSON")
    report = import_file(path, ImportOptions(layer="land", municipality=pokrovsk))
    assert [(e.row, e.field) for e in report.errors] == [
        (2, "category"), (3, "area_ha"), (4, "category"), (4, "area_ha"),
        (6, "cadastral_number")]  # fmt: skip
    assert "'999' is not one of" in report.errors[0].reason
    assert report.errors[-1].reason == "1412600000:01:001:0001 is also on row 1."
    assert not report.written and not LandPlot.objects.filter(municipality=pokrovsk).exists()
