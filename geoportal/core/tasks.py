"""Background jobs of the platform itself (Procrastinate)."""

from __future__ import annotations

import logging

from django.conf import settings
from procrastinate import JobContext
from procrastinate.contrib.django import app
from procrastinate.manager import JobManager

logger = logging.getLogger(__name__)


async def retry_stalled(manager: JobManager, seconds_since_heartbeat: float) -> int:
    """Put back every job whose worker stopped sending heartbeats (killed, its machine
    gone): the job is tried again from the start, not lost. A notification is marked sent
    in the transaction that hands it to the mail server, so one killed before that is
    sent by the retry, once; only a kill between the server's acceptance and the commit
    could send it twice (mail is delivered at least once)."""
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat))
    for job in stalled:
        await manager.retry_job(job)
        logger.warning("Retried stalled job %s (%s)", job.id, job.task_name)
    # The dead workers themselves go too, so /health/ counts only the living.
    await manager.prune_stalled_workers(seconds_since_heartbeat)
    return len(stalled)


@app.periodic(cron="* * * * *")
@app.task(queue="clocks", queueing_lock="retry_stalled", pass_context=True,
          name="core.retry_stalled_jobs")  # fmt: skip
async def retry_stalled_jobs(context: JobContext, timestamp: int) -> None:
    await retry_stalled(context.app.job_manager, settings.STALLED_WORKER_SECONDS)
