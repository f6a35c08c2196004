"""Background jobs of the reports (Procrastinate): mail delivery and the procedure's clocks."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from procrastinate import RetryDecision
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy

from geoportal.reports import timebase

logger = logging.getLogger(__name__)


class UntilDelivered(BaseRetryStrategy):
    """Retry for ever, waiting twice as long each time up to a ceiling (settings
    MAIL_RETRY_BASE_SECONDS and MAIL_RETRY_MAX_SECONDS): a mail server down for a day
    loses nothing."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision:
        base, ceiling = settings.MAIL_RETRY_BASE_SECONDS, settings.MAIL_RETRY_MAX_SECONDS
        wait = min(base * 2 ** min(job.attempts, 30), ceiling)
        return RetryDecision(retry_in={"seconds": wait})


@app.task(queue="mail", retry=UntilDelivered(), name="reports.deliver_notification")
def deliver_notification(notification_id: int) -> None:
    from geoportal.reports.models import Notification

    Notification.deliver(notification_id)


@app.periodic(cron=settings.CLOCKS_CRON)
@app.task(queue="clocks", lock="clocks", queueing_lock="clocks", name="reports.run_clocks")
def run_clocks(timestamp: int) -> None:
    from geoportal.core.ratelimit import forget_expired
    from geoportal.permits.clocks import run_clocks as run_permits
    from geoportal.reports.clocks import run_clocks as run
    from geoportal.reports.statistics import refresh_all
    from geoportal.residents.signin import forget_expired as forget_links

    result = run()
    permits = run_permits()
    requeued = requeue_undelivered()
    refreshed = refresh_all()
    forgotten = forget_expired()
    links = forget_links()
    logger.info("Clocks: %s; permits: %s; requeued: %s; statistics: %s; "
                "rate counters dropped: %s; sign-in links dropped: %s",
                result, permits, requeued, refreshed, forgotten, links)  # fmt: skip


def requeue_undelivered(older_than: timedelta = timedelta(minutes=15)) -> int:
    """Defer again the notifications whose job was lost (a job removed by hand, say);
    one job per notification at a time (the queueing lock)."""
    from geoportal.reports.models import Notification

    count = 0
    stale = Notification.objects.pending().filter(created_at__lt=timebase.now() - older_than)
    for pk in stale.values_list("pk", flat=True)[:1000]:
        try:
            deliver_notification.configure(queueing_lock=f"notification-{pk}").defer(
                notification_id=pk
            )
            count += 1
        except AlreadyEnqueued:
            continue
    return count
