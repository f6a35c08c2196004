"""Background jobs of the open data (Procrastinate): building the downloads."""

from __future__ import annotations

from django.conf import settings
from procrastinate.contrib.django import app


@app.task(queue="exports", name="opendata.build_download")
def build_download(dataset: str, slug: str) -> None:
    """Rebuild one download (data set, hromada or "" for all) if its data changed."""
    from geoportal.opendata.downloads import Download, build

    build(Download(dataset, slug))


@app.periodic(cron=settings.EXPORTS_CRON)
@app.task(queue="exports", queueing_lock="refresh_downloads", name="opendata.refresh_downloads")
def refresh_downloads(timestamp: int) -> None:
    """Look at every download: each whose data changed is rebuilt by its own job (missing
    files after a deployment, permit states after midnight, changes made in bulk)."""
    from geoportal.opendata.downloads import every_download, schedule

    for download in every_download():
        schedule(download, delay=0)
