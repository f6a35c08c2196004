"""A zipped GIS file checked before GDAL opens it: a zip bomb is refused unread.

The sizes the entries declare are summed first, which costs nothing. A header may lie,
and GDAL inflates an entry to the end of its deflate stream whatever size it declares,
so each entry is then inflated into nothing, stopping as soon as it holds more than it
declares. Entry names are checked too: none may point outside the archive.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ENTRIES = 1000
# GIS data rarely compresses beyond 30:1 (a .dbf of padded text does best); a run of one
# byte, the stuff of zip bombs, reaches about 1000:1. Tiny entries (.prj, .cpg) may do
# anything without harm.
MAX_RATIO = 500
RATIO_FROM_BYTES = 1024 * 1024
CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra field length


class ArchiveError(ValueError):
    """The archive is refused as a whole; the message names it and says why."""


def check_archive(path: Path, limit: int | None = None, name: str = "") -> None:
    """Raise ArchiveError unless every entry is safe to hand to GDAL; messages call the
    archive `name` (the name it was uploaded under) or else by its file name."""
    limit = settings.LAYER_IMPORT_MAX_UNZIPPED_BYTES if limit is None else limit
    name = name or path.name
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(
            _("%(name)s: not a ZIP archive that can be read (%(reason)s).")
            % {"name": name, "reason": exc}
        ) from None
    if len(entries) > MAX_ENTRIES:
        raise ArchiveError(
            _("%(name)s: %(count)s files in the archive; at most %(limit)s.")
            % {"name": name, "count": len(entries), "limit": MAX_ENTRIES}
        )
    for entry in entries:
        _check_entry(name, entry)
    declared = sum(entry.file_size for entry in entries)
    if declared > limit:
        raise ArchiveError(_too_big(name, declared, limit))
    with path.open("rb") as handle:
        for entry in entries:
            if _inflated_size(name, handle, entry, entry.file_size + 1) > entry.file_size:
                raise ArchiveError(
                    _("%(name)s: %(entry)s inflates to more than the %(size)s bytes it "
                      "declares; the archive is refused.")
                    % {"name": name, "entry": entry.filename, "size": entry.file_size}
                )  # fmt: skip


def _too_big(name: str, size: int, limit: int) -> str:
    return _(
        "%(name)s unpacks to %(size)s MB; the limit is %(limit)s MB "
        "(LAYER_IMPORT_MAX_UNZIPPED_BYTES)."
    ) % {"name": name, "size": size // 2**20, "limit": limit // 2**20}


def _check_entry(name: str, entry: zipfile.ZipInfo) -> None:
    name = entry.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
        raise ArchiveError(
            _("%(name)s: the entry %(entry)r points outside the archive.")
            % {"name": name, "entry": entry.filename}
        )
    if entry.flag_bits & 0x1:
        raise ArchiveError(
            _("%(name)s: %(entry)s is encrypted.") % {"name": name, "entry": entry.filename}
        )
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ArchiveError(
            _("%(name)s: %(entry)s is compressed with a method GDAL does not read; "
              "zip it again with the usual (deflate) compression.")
            % {"name": name, "entry": entry.filename}
        )  # fmt: skip
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
        raise ArchiveError(
            _("%(name)s: %(entry)s inflates %(ratio).0f times; no GIS file does that.")
            % {"name": name, "entry": entry.filename, "ratio": ratio}
        )


def _inflated_size(name: str, handle: BinaryIO, entry: zipfile.ZipInfo, budget: int) -> int:
    """The bytes the entry really inflates to, counted up to `budget` and no further."""
    damaged = ArchiveError(
        _("%(name)s: %(entry)s is damaged.") % {"name": name, "entry": entry.filename}
    )
    handle.seek(entry.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise damaged
    handle.seek(name_length + extra_length, os.SEEK_CUR)
    if entry.compress_type == zipfile.ZIP_STORED:
        return max(entry.file_size, entry.compress_size)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left, size = entry.compress_size, 0
    try:
        while left > 0 and not inflater.eof:
            data = handle.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            while data and not inflater.eof:
                size += len(inflater.decompress(data, CHUNK))
                if size >= budget:
                    return size
                data = inflater.unconsumed_tail
    except zlib.error:
        raise damaged from None
    if not inflater.eof:  # the stream goes on past the entry: GDAL would read on
        raise damaged
    return size
