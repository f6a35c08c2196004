"""An untrusted GIS file staged for GDAL: copied (or unzipped) into a private folder
under names of our own, with only the side files its driver reads, each checked.

GDAL then sees one dataset in an otherwise empty folder: never the uploader's folder,
never a /vsizip/ or other /vsi… path, never a name the uploader chose. A ZIP is checked
for bombs first (layers/importing/archive.py) and must hold exactly one dataset.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from layers.importing.archive import ArchiveError, check_archive
from layers.importing.formats import BY_SUFFIX, REFUSED_IN_ARCHIVE, Format
from layers.importing.inspection import FileRefusedError, check_file, check_side_file

STEM = "layer"
# Left out of a ZIP without a word: what operating systems add to archives.
SYSTEM_ENTRIES = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass(frozen=True)
class StagedFile:
    path: Path  # the dataset in the private folder
    format: Format
    shown_as: str  # how messages name it: the file's name, or "archive.zip: entry"

    @property
    def source(self) -> str:
        """What GDAL is asked to open: the path, with the driver's prefix where it has one."""
        return f"{self.format.prefix}{self.path}"


def stage(path: Path, folder: Path, name: str = "") -> StagedFile:
    """Copy the dataset at `path` (with its side files) into `folder`, checked. Messages
    call the file `name` (the name it was uploaded under), or else by its file name."""
    name = name or path.name
    if path.suffix.lower() == ".zip":
        return _stage_archive(path, folder, name)
    fmt = _format_of(path.name, name)
    staged = folder / f"{STEM}{fmt.suffixes[0]}"
    shutil.copyfile(path, staged)
    check_file(staged, fmt, name)
    for suffix in fmt.side_files:
        side = _sibling(path, suffix)
        if side is not None:
            target = folder / f"{STEM}{suffix}"
            shutil.copyfile(side, target)
            check_side_file(target, side.name)
    return StagedFile(staged, fmt, name)


def _format_of(name: str, shown_as: str) -> Format:
    suffix = PurePosixPath(name).suffix.lower()
    fmt = BY_SUFFIX.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(BY_SUFFIX))
        raise FileRefusedError(
            _("%(name)s: files of type %(suffix)s cannot be imported; use one of %(known)s.")
            % {"name": shown_as, "suffix": suffix or "?", "known": known}
        )
    return fmt


def _sibling(path: Path, suffix: str) -> Path | None:
    """The side file beside `path` with this suffix in any case (plots.PRJ, plots.prj)."""
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return None


def _stage_archive(path: Path, folder: Path, name: str) -> StagedFile:
    try:
        check_archive(path, name=name)
    except ArchiveError as exc:
        raise FileRefusedError(str(exc)) from exc
    with zipfile.ZipFile(path) as archive:
        entries = [e for e in archive.infolist() if not _ignored(e)]
        for entry in entries:
            reason = REFUSED_IN_ARCHIVE.get(PurePosixPath(entry.filename).suffix.lower())
            if reason is not None:
                raise FileRefusedError(
                    _("%(name)s: %(entry)s is %(reason)s; it is not imported, and neither "
                      "is the archive.") % {"name": name, "entry": entry.filename,
                                            "reason": reason}
                )  # fmt: skip
        datasets = [e for e in entries if PurePosixPath(e.filename).suffix.lower() in BY_SUFFIX]
        if len(datasets) != 1:
            names = ", ".join(e.filename for e in datasets) or _("none")
            raise FileRefusedError(
                _("%(name)s must hold exactly one dataset (a .shp with its side files, or "
                  "one %(others)s file); it holds: %(found)s.")
                % {"name": name, "found": names,
                   "others": "/".join(s for s in sorted(BY_SUFFIX) if s != ".shp")}
            )  # fmt: skip
        (dataset,) = datasets
        shown_as = f"{name}: {dataset.filename}"
        fmt = _format_of(dataset.filename, shown_as)
        staged = folder / f"{STEM}{fmt.suffixes[0]}"
        _extract(archive, dataset, staged)
        check_file(staged, fmt, shown_as)
        stem = str(PurePosixPath(dataset.filename).with_suffix("")).lower()
        for entry in entries:
            entry_path = PurePosixPath(entry.filename)
            suffix = entry_path.suffix.lower()
            if suffix in fmt.side_files and str(entry_path.with_suffix("")).lower() == stem:
                target = folder / f"{STEM}{suffix}"
                _extract(archive, entry, target)
                check_side_file(target, f"{name}: {entry.filename}")
    return StagedFile(staged, fmt, shown_as)


def _ignored(entry: zipfile.ZipInfo) -> bool:
    name = entry.filename
    return entry.is_dir() or any(part in name for part in SYSTEM_ENTRIES) or (
        PurePosixPath(name).name.startswith("._"))  # fmt: skip


def _extract(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path) -> None:
    with archive.open(entry) as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, 1024 * 1024)
