"""The media files (photos) of a backup: copied out of the storage with their sums, and
put back by a restore so that a failed restore leaves the old files as they were."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Protocol

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage

from geoportal.core.backup.manifest import CHUNK, MEDIA, Manifest, safe_name, sha256
from geoportal.core.backup.progress import BackupError, Log, Progress

# Hidden folders a restore keeps inside the media folder; never part of a backup.
STAGING = ".restore-"
PREVIOUS = ".before-restore-"
OURS = (STAGING, PREVIOUS)


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for kind, names in (("file", files), ("folder", folders)):
        for name in sorted(names):
            if not folder and name.startswith(OURS):
                continue
            path = f"{folder}/{name}" if folder else name
            if not safe_name(path):  # an S3 key may hold `..`: it would land outside
                raise BackupError(f"media {kind} {path!r}: a name that leaves the media "
                                  "folder; refused.")  # fmt: skip
            if kind == "file":
                yield path
            else:
                yield from _walk(storage, path)


def stored_names(storage: Storage) -> list[str]:
    try:
        return list(_walk(storage))
    except FileNotFoundError:  # a media folder nobody has written to yet
        return []


def _copy(source: IO[bytes], out: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while block := source.read(CHUNK):
        digest.update(block)
        out.write(block)
    return digest.hexdigest()


def _stream_sha256(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while block := source.read(CHUNK):
        digest.update(block)
    return digest.hexdigest()


def copy_out(storage: Storage, folder: Path, log: Log) -> dict[str, str]:
    """Copy every file of the storage into `folder`; the SHA-256 of each, by name."""
    names = stored_names(storage)
    progress = Progress(log, "media: copying files", len(names))
    sums = {}
    for number, name in enumerate(names, 1):
        copy = folder / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open(name, "rb") as source, copy.open("wb") as out:
                sums[name] = _copy(source, out)
        except FileNotFoundError:  # removed since it was listed: not part of the snapshot
            copy.unlink(missing_ok=True)
        progress.step(number)
    return sums


class MediaTarget(Protocol):
    """Where a restore puts the media: staged first, swapped in with the database switch,
    swapped back or discarded when anything fails."""

    def describe(self) -> str: ...
    def count(self) -> int: ...
    def clear_leftovers(self, log: Log) -> None: ...
    def stage(self, manifest: Manifest, source: Path, log: Log) -> None: ...
    def swap(self) -> None: ...
    def unswap(self) -> None: ...
    def discard(self) -> None: ...
    def finish(self) -> None: ...


class FolderMedia:
    """Media on the local disk. Staged in a hidden folder inside the media folder (a
    volume's mount point in Docker, which cannot itself be renamed), then swapped in by
    renaming its top-level entries: quick, on one file system, undone the same way."""

    def __init__(self, root: Path) -> None:
        self.root = root
        token = secrets.token_hex(4)
        self.staging = root / f"{STAGING}{token}"
        self.previous = root / f"{PREVIOUS}{token}"
        self.moved_out: list[str] = []
        self.moved_in: list[str] = []
        self.made_root = False

    def describe(self) -> str:
        return f"media folder {self.root}"

    def _entries(self, folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if not p.name.startswith(OURS))

    def count(self) -> int:
        return sum(
            1 if not entry.is_dir() else sum(1 for p in entry.rglob("*") if not p.is_dir())
            for entry in self._entries(self.root)
        )

    def clear_leftovers(self, log: Log) -> None:
        if not self.root.is_dir():
            return
        for entry in sorted(self.root.iterdir()):
            if entry.name.startswith(STAGING):
                log(f"media: removing {entry}, left by an interrupted restore")
                shutil.rmtree(entry)
            elif entry.name.startswith(PREVIOUS):
                log(f"media: {entry} holds the files an earlier restore replaced; "
                    "remove it when no longer needed")  # fmt: skip

    def stage(self, manifest: Manifest, source: Path, log: Log) -> None:
        self.made_root = not self.root.exists()
        self.root.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir()
        progress = Progress(log, "media: staging files", len(manifest.media))
        for number, (name, digest) in enumerate(sorted(manifest.media.items()), 1):
            copy = self.staging / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / MEDIA / name, copy)
            if sha256(copy) != digest:  # read back: what lands is what the manifest says
                raise BackupError(f"{copy}: its SHA-256 differs from the manifest after copying.")
            progress.step(number)

    def swap(self) -> None:
        self.previous.mkdir()
        for entry in self._entries(self.root):
            entry.rename(self.previous / entry.name)
            self.moved_out.append(entry.name)
        for entry in self._entries(self.staging):
            entry.rename(self.root / entry.name)
            self.moved_in.append(entry.name)

    def unswap(self) -> None:
        for name in reversed(self.moved_in):
            (self.root / name).rename(self.staging / name)
        for name in reversed(self.moved_out):
            (self.previous / name).rename(self.root / name)
        self.moved_in, self.moved_out = [], []
        if self.previous.is_dir():
            self.previous.rmdir()

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.made_root and self.root.is_dir() and not any(self.root.iterdir()):
            self.root.rmdir()  # made by stage() for nothing

    def finish(self) -> None:
        shutil.rmtree(self.previous, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)


class StorageMedia:
    """Media in a storage with no folders to rename (S3). The backup's files are written
    under their names before the database switch; a file they replace is kept aside on the
    local disk and put back, and the new ones deleted, if the restore fails. Files the
    backup does not hold stay where they are (no row refers to them)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.written: list[str] = []
        self.replaced: dict[str, Path] = {}
        self.aside: Path | None = None  # made by stage(), for the files it replaces

    def describe(self) -> str:
        bucket = getattr(self.storage, "bucket_name", "")
        return f"media storage {type(self.storage).__name__}" + (f" {bucket}" if bucket else "")

    def count(self) -> int:
        return len(stored_names(self.storage))

    def clear_leftovers(self, log: Log) -> None:
        return None

    def _sum(self, name: str) -> str:
        with self.storage.open(name, "rb") as stored:
            return _stream_sha256(stored)

    def stage(self, manifest: Manifest, source: Path, log: Log) -> None:
        progress = Progress(log, "media: writing files to the storage", len(manifest.media))
        self.aside = aside = Path(tempfile.mkdtemp(prefix="geoportal-restore-aside-"))
        for number, (name, digest) in enumerate(sorted(manifest.media.items()), 1):
            progress.step(number)
            if self.storage.exists(name):
                if self._sum(name) == digest:
                    continue
                keep = aside / f"{len(self.replaced)}"
                with self.storage.open(name, "rb") as old, keep.open("wb") as out:
                    shutil.copyfileobj(old, out, CHUNK)
                self.replaced[name] = keep
                self.storage.delete(name)
            with (source / MEDIA / name).open("rb") as data:
                stored = self.storage.save(name, File(data, name=name))
            self.written.append(stored)
            if stored != name:
                raise BackupError(f"media {name}: the storage saved it as {stored}.")
            if self._sum(name) != digest:
                raise BackupError(f"media {name}: its SHA-256 differs after writing it.")

    def swap(self) -> None:
        return None

    def unswap(self) -> None:
        self.discard()

    def discard(self) -> None:
        for name in reversed(self.written):
            self.storage.delete(name)
        for name, keep in self.replaced.items():
            with keep.open("rb") as data:
                self.storage.save(name, File(data, name=name))
        self.written, self.replaced = [], {}
        self.finish()

    def finish(self) -> None:
        if self.aside is not None:
            shutil.rmtree(self.aside, ignore_errors=True)


def media_target(storage: Storage, root: Path | None) -> MediaTarget:
    """A folder given on the command line, the storage's folder, or the storage itself."""
    if root is not None:
        return FolderMedia(root)
    if isinstance(storage, FileSystemStorage):
        return FolderMedia(Path(os.fspath(storage.location)))
    return StorageMedia(storage)
