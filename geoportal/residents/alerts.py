"""Area alerts at work: which alerts a public event matches, the e-mail sent at once, and the
daily digest.

Only what the public map shows is ever mailed: a report becomes news when it first becomes
public (approved from `new`, or found outside competence), an answer when it is given
(resolved, not resolved). Unmoderated reports are never mailed. Each e-mail carries only
public fields (number, title, category, state, address, description, public answer and the
public link) — never the reporter's name, e-mail or phone — and a one-click unsubscribe
link (RFC 8058 headers, Notification.message).

Everything is data: an AlertItem per alert and event (unique), an AlertDigestRun per alert
and day (unique), written in the transaction of their cause, so a restart repeats nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import translation

from geoportal.municipalities.working_days import KYIV
from geoportal.reports import timebase
from geoportal.reports.models.notification import NotificationKind
from geoportal.reports.states import Action, State
from geoportal.residents.models import (
    Alert,
    AlertArea,
    AlertDigestRun,
    AlertFrequency,
    AlertItem,
    AlertItemKind,
)

if TYPE_CHECKING:
    from geoportal.reports.models import Report, ReportEvent

# The items one digest lists; the rest are counted and linked to the map.
DIGEST_ITEMS_MAX = 50


def item_kind(event: ReportEvent) -> str | None:
    """What the event is news of for an area alert, or None."""
    if event.action in (Action.APPROVE, Action.OUT_OF_COMPETENCE) and event.from_state == State.NEW:
        return AlertItemKind.NEW_REPORT
    if event.action in (Action.RESOLVE, Action.NOT_RESOLVE):
        return AlertItemKind.ANSWER
    return None


def alerts_for(report: Report) -> QuerySet[Alert]:
    """The active alerts whose area holds the report's point and whose categories (if any)
    include its category."""
    point = report.point
    where = (
        Q(area=AlertArea.HROMADA)
        | Q(area=AlertArea.POLYGON, polygon__covers=point)
        | Q(area=AlertArea.RADIUS, center__dwithin=(point, F("radius_m")))
    )
    return (
        Alert.objects.active()
        .filter(municipality_id=report.municipality_id)
        .filter(Q(categories__isnull=True) | Q(categories=report.category_id))
        .filter(where)
        .distinct()
    )


def unsubscribe_url(alert: Alert) -> str:
    with translation.override(alert.language):
        path = reverse("residents:alert-unsubscribe", kwargs={"token": alert.token})
    return settings.SITE_URL + path


def _public_url(report: Report, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + report.get_absolute_url()


def alert_event(report: Report, event: ReportEvent) -> int:
    """Match a public event against the alerts (inside the event's transaction): an item per
    alert, mailed at once for immediate alerts; the number of alerts matched."""
    from geoportal.reports.notify import queue

    kind = item_kind(event)
    if kind is None or not report.is_publicly_visible:
        return 0
    count = 0
    for alert in alerts_for(report):
        try:
            with transaction.atomic():
                item = AlertItem.objects.create(alert=alert, report=report, event=event, kind=kind)
                if alert.frequency == AlertFrequency.IMMEDIATE:
                    url = unsubscribe_url(alert)
                    context = {
                        "alert": alert,
                        "item": item,
                        "report": report,
                        "link": _public_url(report, alert.language),
                        "unsubscribe": url,
                    }
                    queue(
                        NotificationKind.ALERT,
                        alert.resident.email,
                        context,
                        language=alert.language,
                        report=report,
                        unsubscribe_url=url,
                    )
                    item.sent_at = timebase.now()
                    item.save(update_fields=["sent_at"])
        except IntegrityError:  # matched already: sent once
            continue
        count += 1
    return count


def _digest_lines(items: Iterable[AlertItem], language: str) -> list[dict[str, Any]]:
    return [
        {"item": item, "report": item.report, "link": _public_url(item.report, language)}
        for item in items
    ]


def send_alert_digests(now: datetime | None = None) -> int:
    """Each daily alert's digest once a day, from ALERT_DIGEST_HOUR local time on, when
    anything waits; the number of digests queued."""
    from geoportal.reports.notify import queue

    now = now or timebase.now()
    local = now.astimezone(KYIV)
    if local.time() < time(settings.ALERT_DIGEST_HOUR):
        return 0
    waiting = AlertItem.objects.filter(
        sent_at__isnull=True, alert__frequency=AlertFrequency.DAILY, alert__unsubscribed_at=None
    )
    sent = 0
    for alert_id in waiting.values_list("alert_id", flat=True).distinct().order_by("alert_id"):
        try:
            with transaction.atomic():
                AlertDigestRun.objects.create(alert_id=alert_id, day=local.date())
                alert = Alert.objects.select_related("resident", "municipality").get(pk=alert_id)
                items = list(
                    AlertItem.objects.select_for_update(of=("self",))
                    .filter(alert=alert, sent_at__isnull=True)
                    .select_related("report", "report__category", "report__municipality")
                    .order_by("created_at", "pk")
                )
                shown = [item for item in items if item.report.is_publicly_visible][
                    :DIGEST_ITEMS_MAX
                ]
                if shown:
                    url = unsubscribe_url(alert)
                    context = {
                        "alert": alert,
                        "lines": _digest_lines(shown, alert.language),
                        "count": len(shown),
                        "more": len(items) - len(shown),
                        "unsubscribe": url,
                    }
                    queue(
                        NotificationKind.ALERT_DIGEST,
                        alert.resident.email,
                        context,
                        language=alert.language,
                        unsubscribe_url=url,
                    )
                    sent += 1
                AlertItem.objects.filter(pk__in=[item.pk for item in items]).update(
                    sent_at=now, digest_day=local.date()
                )
        except IntegrityError:  # made already today
            continue
    return sent
