"""Background job of the residents' area alerts (Procrastinate): the daily digests."""

from __future__ import annotations

import logging

from django.conf import settings
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


@app.periodic(cron=settings.ALERT_DIGEST_CRON)
@app.task(
    queue="clocks",
    lock="alert-digests",
    queueing_lock="alert-digests",
    name="residents.send_alert_digests",
)
def send_alert_digests(timestamp: int) -> None:
    """Each daily alert's digest once a day (alerts.send_alert_digests; idempotent)."""
    from geoportal.residents.alerts import send_alert_digests as send

    logger.info("Area alert digests queued: %s", send())
