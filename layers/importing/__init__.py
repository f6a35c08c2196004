"""Importing a GIS file into a layer: the whole file is checked, then written at once.

Contract used by the import_layer command, the admin upload page and the demo loader:

    report = import_file(path, ImportOptions(layer="land", municipality=pokrovsk, ...))

`report.errors` lists (row, field, reason); nothing is written when there is any
error unless `skip_bad_rows` is set; `report.written` says whether rows were saved.
"""

from layers.importing.engine import ImportOptions, import_file
from layers.importing.report import ImportReport, RowError

__all__ = ["ImportOptions", "ImportReport", "RowError", "import_file"]
