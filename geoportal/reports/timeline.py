"""A report's history as the public sees it: public events only, no staff names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from geoportal.reports.states import Action, State

# Who acts, as the public is told it: a role, never a person.
PUBLIC_ACTOR = {
    Action.SUBMIT: _("Reporter"),
    Action.APPROVE: _("Moderator"),
    Action.REJECT: _("Moderator"),
    Action.MARK_DUPLICATE: _("Moderator"),
    Action.OUT_OF_COMPETENCE: _("Moderator"),
    Action.REOPEN: _("Moderator"),
    Action.DISPUTE: _("Reporter"),
    Action.RESIDENT_UPDATE: _("Resident"),
}
DEPARTMENT = _("Department")


@dataclass(frozen=True)
class PublicEvent:
    action: str
    action_label: str
    from_state: str
    to_state: str
    to_state_label: str
    text: str
    at: datetime
    by: str
    photos: list[Any]


def public_timeline(report: Any) -> list[PublicEvent]:
    events = report.events.filter(is_public=True).prefetch_related("photos")
    timeline = []
    for event in events:
        photos = [p for p in event.photos.all() if not p.is_hidden]
        timeline.append(
            PublicEvent(
                action=event.action,
                action_label=event.done_label,
                from_state=event.from_state,
                to_state=event.to_state,
                to_state_label=str(State(event.to_state).label),
                text=event.shown_text,
                at=event.created_at,
                by=str(PUBLIC_ACTOR.get(Action(event.action), DEPARTMENT)),
                photos=photos,
            )
        )
    return timeline
