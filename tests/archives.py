"""ZIP archives made in memory, as planners send GIS files (the import tests' files)."""

from __future__ import annotations

import zipfile
from io import BytesIO


def zipped(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP holding each name with its bytes, in order."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()
