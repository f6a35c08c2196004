"""Whole-layer and whole-report downloads: built by the worker, sent as files.

Writing every public report of a big city takes the better part of a minute, and anyone
may ask for it. So the worker writes each data set (the four layers, the public reports
and the register of permit applications) of each hromada and of all of them, in every
format, when its data changes (signals.py, tasks.py); a download request sends that file
with an ETag and a Last-Modified date and answers 304 Not Modified to a client that has it
already. Until the first file exists a request writes the export itself, a chunk of rows at
a time (CSV and GeoJSON streamed, GeoPackage and Shapefile through a temporary file), and
asks the worker for the file.

Files: EXPORTS_DIR/<data set>/all<suffix> and EXPORTS_DIR/<data set>/by-hromada/<slug><suffix>,
with <name>.json beside them telling which version of the data they hold. Each file is
written under a temporary name in the same folder and renamed over the old one (atomic
on POSIX): a reader opens the old file or the new one, never half of one, and a file
being sent stays readable after a rename. The ETag is made from the open file's own
modification time and size, so it always belongs to the bytes sent.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from procrastinate.exceptions import AlreadyEnqueued

from geoportal.municipalities.models import Municipality
from geoportal.permits.register import register_source, register_version
from geoportal.reports.models import Report
from geoportal.reports.open_data import reports_source
from layers.caching import layer_changed_at, layer_version, today
from layers.exporting import FORMATS, Source, layer_source, stream, write_file, write_files
from layers.registry import LAYERS

logger = logging.getLogger(__name__)

# The data sets offered for download, each by hromada (None: every hromada).
DATASETS: dict[str, Callable[[Municipality | None], Source]] = {
    **{layer: partial(layer_source, layer) for layer in LAYERS},
    "reports": reports_source,
    "permits": register_source,
}
# A client may keep a download this long before asking again (it then gets a 304 when
# the file is the same).
MAX_AGE_SECONDS = 300
# A temporary file untouched this long belongs to a build that died, not a running one.
LEFTOVER_SECONDS = 3600


@dataclass(frozen=True)
class Download:
    """One data set of one hromada (slug) or of all of them (slug "")."""

    dataset: str
    slug: str = ""

    def __post_init__(self) -> None:
        # Both name a file: a slug is letters, digits, - and _ (SlugField), never a path.
        if self.dataset not in DATASETS or not re.fullmatch(r"[-\w]*", self.slug):
            raise ValueError(f"No download {self.dataset!r} of {self.slug!r}.")

    @property
    def folder(self) -> Path:
        base = Path(settings.EXPORTS_DIR) / self.dataset
        return base / "by-hromada" if self.slug else base

    @property
    def stem(self) -> str:
        return self.slug or "all"

    def path(self, fmt: str) -> Path:
        return self.folder / f"{self.stem}{FORMATS[fmt].suffix}"

    @property
    def manifest(self) -> Path:
        return self.folder / f"{self.stem}.json"

    @property
    def filename_stem(self) -> str:
        """The name the client saves it under, without the suffix."""
        return f"{self.dataset}-{self.slug or 'all'}"

    @property
    def lock(self) -> str:
        return f"download:{self.dataset}:{self.slug or '*'}"

    def municipality(self) -> Municipality | None:
        return Municipality.objects.get(slug=self.slug) if self.slug else None


def every_download() -> list[Download]:
    hromadas = Municipality.objects.active().order_by("slug").values_list("slug", flat=True)
    slugs = ["", *hromadas]
    return [Download(dataset, slug) for dataset in DATASETS for slug in slugs]


def data_version(download: Download) -> str:
    """What the data set's content depends on; a new version means a new file. Read before
    the rows, so a change made while they are written makes the next build run."""
    date = today()  # permit states move with the date; a daily rebuild catches the rest
    if download.dataset in LAYERS:
        changed = layer_changed_at(download.dataset, slug=download.slug)
        version = layer_version(download.dataset, download.slug, changed, date)
        return f"{version}:{settings.SITE_URL}"
    if download.dataset == "permits":
        return f"{register_version(download.slug)}:{date}:{settings.SITE_URL}"
    reports = Report.objects.public()
    if download.slug:
        reports = reports.filter(municipality__slug=download.slug)
    # Every change of a public report saves it (updated_at) except support, which counts.
    seen = reports.aggregate(n=Count("pk"), at=Max("updated_at"), support=Sum("support_count"))
    at = seen["at"].isoformat() if seen["at"] else "-"
    return f"reports:{download.slug}:{seen['n']}:{at}:{seen['support']}:{date}:{settings.SITE_URL}"


def _read_manifest(download: Download) -> dict[str, Any]:
    try:
        return dict(json.loads(download.manifest.read_text()))
    except (FileNotFoundError, ValueError):
        return {}


def _replace(path: Path, write: Callable[[Path], object]) -> None:
    """Write a file under a temporary name beside it, then rename it over the old one."""
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.tmp{path.suffix}")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def build(download: Download, *, force: bool = False) -> bool:
    """Write the download in every format unless its files already hold this version of
    the data; whether it wrote them."""
    try:
        municipality = download.municipality()
    except Municipality.DoesNotExist:
        return False
    version = data_version(download)
    complete = all(download.path(fmt).exists() for fmt in FORMATS)
    if not force and complete and _read_manifest(download).get("version") == version:
        return False
    download.folder.mkdir(parents=True, exist_ok=True)
    _drop_leftovers(download)
    token = secrets.token_hex(6)
    temporary = {
        fmt: download.folder / f".{download.stem}.{token}.tmp{spec.suffix}"
        for fmt, spec in FORMATS.items()
    }
    try:
        count = write_files(DATASETS[download.dataset](municipality), temporary)
        for fmt, path in temporary.items():
            os.replace(path, download.path(fmt))
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)
    manifest = {"version": version, "features": count, "built_at": timezone.now().isoformat()}
    _replace(download.manifest, lambda path: path.write_text(json.dumps(manifest)))
    logger.info("Built the %s download of %s: %s features", download.dataset, download.stem, count)
    return True


def _drop_leftovers(download: Download) -> None:
    """Temporary files of a build that was killed (its job is run again from the start)."""
    for path in download.folder.glob(f".{download.stem}.*.tmp*"):
        with contextlib.suppress(FileNotFoundError):
            if time.time() - path.stat().st_mtime > LEFTOVER_SECONDS:
                path.unlink()


def schedule(download: Download, delay: int | None = None) -> None:
    """Ask the worker to rebuild the download once the current transaction commits. A burst
    of changes makes one job (its queueing lock) after EXPORTS_REBUILD_DELAY_SECONDS, and
    one build at a time runs for each download (its lock)."""
    from geoportal.opendata.tasks import build_download

    wait = settings.EXPORTS_REBUILD_DELAY_SECONDS if delay is None else delay

    def defer() -> None:
        job = build_download.configure(
            lock=download.lock, queueing_lock=download.lock, schedule_in={"seconds": wait}
        )
        # A job already waiting reads the data as it is when it runs: this change included.
        with contextlib.suppress(AlreadyEnqueued):
            job.defer(dataset=download.dataset, slug=download.slug)

    # robust: a job queue out of reach must not fail the change that was just committed.
    transaction.on_commit(defer, robust=True)


@dataclass(frozen=True)
class Prebuilt:
    size: int
    modified: datetime


def prebuilt(download: Download, fmt: str) -> Prebuilt | None:
    """The size and date of the file the worker built, if there is one (for the catalogue)."""
    try:
        found = download.path(fmt).stat()
    except FileNotFoundError:
        return None
    modified = datetime.fromtimestamp(found.st_mtime, tz=timezone.get_current_timezone())
    return Prebuilt(found.st_size, modified)


def respond(request: HttpRequest, download: Download, fmt: str) -> HttpResponseBase:
    """The download as an attachment: the worker's file when there is one, else written now."""
    spec = FORMATS[fmt]
    filename = f"{download.filename_stem}{spec.suffix}"
    try:
        handle = download.path(fmt).open("rb")
    except FileNotFoundError:
        schedule(download, delay=0)  # the next one to ask gets the file
        return _written_now(download, fmt, filename)
    found = os.fstat(handle.fileno())
    tag = f'"{found.st_mtime_ns:x}-{found.st_size:x}"'
    modified = int(found.st_mtime)
    response: HttpResponseBase | None = get_conditional_response(
        request, etag=tag, last_modified=modified
    )
    if response is not None:  # 304 Not Modified (or 412 to a failed If-Match)
        handle.close()
    else:
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=spec.content_type
        )
    response["ETag"] = tag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    return response


def _written_now(download: Download, fmt: str, filename: str) -> HttpResponseBase:
    """The export written for this request with bounded memory: CSV and GeoJSON streamed as
    the rows come, GeoPackage and Shapefile through a temporary file."""
    spec = FORMATS[fmt]
    source = DATASETS[download.dataset](download.municipality())
    if spec.streams:
        response = StreamingHttpResponse(stream(source, fmt), content_type=spec.content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        write_file(source, path, fmt)
        # The open handle keeps the data readable after the folder is removed (POSIX).
        handle = path.open("rb")
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=spec.content_type
    )
