"""States, actions and transitions of the Open City procedure (PROCEDURE.md).

The table below is the procedure's "Transitions" section written down once; the
model methods, the API and the tests all read it.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from geoportal.procedure.rules import Transition, transition


class State(models.TextChoices):
    NEW = "new", _("New, awaiting moderation")
    ROUTED = "routed", _("Forwarded to department")
    RETURNED = "returned", _("Returned to moderator")
    IN_PROGRESS = "in_progress", _("In progress")
    PLANNED = "planned", _("Planned")
    RESOLVED = "resolved", _("Resolved")
    NOT_RESOLVED = "not_resolved", _("Not resolved")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    OUT_OF_COMPETENCE = "out_of_competence", _("Outside the council's competence")


class RejectionGround(models.TextChoices):
    INSUFFICIENT_DATA = "insufficient_data", _("Insufficient data")
    NOT_A_PROBLEM = "not_a_problem", _("Not a problem")
    OBSCENE = "obscene_or_insulting", _("Obscene or insulting")
    SPAM = "spam_or_advertising", _("Spam or advertising")
    PERSONAL_DATA = "personal_data", _("Exposes personal data")
    PRIVATE_MATTER = "private_matter", _("Private matter")
    REPEATED = "repeated", _("Repeated appeal")
    OTHER = "other", _("Other")


class Actor(models.TextChoices):
    """Who may take an action (PROCEDURE.md, "Roles"); resolved per report by permissions."""

    RESIDENT = "resident", _("Resident")
    REPORTER = "reporter", _("The reporter")
    MODERATOR = "moderator", _("Moderator")
    WORKER = "worker", _("Worker of the report's department")
    HEAD = "head", _("Head of the report's department")
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Staff")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    MARK_DUPLICATE = "mark_duplicate", _("Mark duplicate")
    OUT_OF_COMPETENCE = "out_of_competence", _("Outside competence")
    ACCEPT = "accept", _("Accept")
    RETURN = "return", _("Return")
    PLAN = "plan", _("Plan")
    RESOLVE = "resolve", _("Resolve")
    NOT_RESOLVE = "not_resolve", _("Not resolved")
    EXTEND = "extend", _("Extend")
    DISPUTE = "dispute", _("Dispute")
    REOPEN = "reopen", _("Reopen")
    COMMENT = "comment", _("Comment")
    SUPPORT = "support", _("Support")
    # Moderation edits (PROCEDURE.md, "Roles": hide personal data or photos).
    REDACT = "redact", _("Redact text")
    HIDE_PHOTO = "hide_photo", _("Hide photo")
    # Work inside a department: who of its people answers the report.
    ASSIGN = "assign", _("Assign")
    # A resident's update (a comment, photos) approved by a moderator (models/update.py).
    RESIDENT_UPDATE = "resident_update", _("Publish the resident's update")


# How an action reads in a report's history, as something that happened ("Approved"),
# where Action's labels name what a button does ("Approve").
ACTION_DONE: dict[Action, Promise] = {
    Action.SUBMIT: pgettext_lazy("report history", "Submitted"),
    Action.APPROVE: pgettext_lazy("report history", "Approved"),
    Action.REJECT: pgettext_lazy("report history", "Rejected"),
    Action.MARK_DUPLICATE: pgettext_lazy("report history", "Marked as a duplicate"),
    Action.OUT_OF_COMPETENCE: pgettext_lazy("report history", "Found outside competence"),
    Action.ACCEPT: pgettext_lazy("report history", "Accepted for work"),
    Action.RETURN: pgettext_lazy("report history", "Returned to moderation"),
    Action.PLAN: pgettext_lazy("report history", "Planned"),
    Action.RESOLVE: pgettext_lazy("report history", "Resolved"),
    Action.NOT_RESOLVE: pgettext_lazy("report history", "Not resolved"),
    Action.EXTEND: pgettext_lazy("report history", "Deadline extended"),
    Action.DISPUTE: pgettext_lazy("report history", "Disputed"),
    Action.REOPEN: pgettext_lazy("report history", "Reopened"),
    Action.COMMENT: pgettext_lazy("report history", "Commented"),
    Action.SUPPORT: pgettext_lazy("report history", "Supported"),
    Action.REDACT: pgettext_lazy("report history", "Text redacted"),
    Action.HIDE_PHOTO: pgettext_lazy("report history", "Photo hidden"),
    Action.ASSIGN: pgettext_lazy("report history", "Assigned"),
    Action.RESIDENT_UPDATE: pgettext_lazy("report history", "Update from a resident"),
}


_t = transition

S = State
OPEN_PUBLIC = (S.ROUTED, S.RETURNED, S.IN_PROGRESS, S.PLANNED)
TRANSITIONS: dict[Action, Transition] = {
    Action.APPROVE: _t((S.NEW, S.RETURNED), S.ROUTED, Actor.MODERATOR),
    Action.REJECT: _t((S.NEW, S.RETURNED), S.REJECTED, Actor.MODERATOR),
    Action.MARK_DUPLICATE: _t((S.NEW, S.RETURNED, S.ROUTED), S.DUPLICATE, Actor.MODERATOR),
    Action.OUT_OF_COMPETENCE: _t((S.NEW, S.RETURNED), S.OUT_OF_COMPETENCE, Actor.MODERATOR),
    Action.ACCEPT: _t((S.ROUTED,), S.IN_PROGRESS, Actor.WORKER, Actor.HEAD),
    Action.RETURN: _t((S.ROUTED,), S.RETURNED, Actor.WORKER, Actor.HEAD),
    Action.PLAN: _t((S.IN_PROGRESS,), S.PLANNED, Actor.WORKER, Actor.HEAD),
    Action.RESOLVE: _t((S.IN_PROGRESS, S.PLANNED), S.RESOLVED, Actor.WORKER, Actor.HEAD),
    Action.NOT_RESOLVE: _t((S.IN_PROGRESS, S.PLANNED), S.NOT_RESOLVED, Actor.WORKER, Actor.HEAD),
    Action.EXTEND: _t((S.IN_PROGRESS, S.PLANNED), None, Actor.HEAD, Actor.COORDINATOR),
    Action.DISPUTE: _t((S.RESOLVED, S.NOT_RESOLVED), None, Actor.REPORTER),
    Action.REOPEN: _t(
        (S.RESOLVED, S.NOT_RESOLVED), S.IN_PROGRESS, Actor.MODERATOR, Actor.COORDINATOR
    ),
    Action.COMMENT: _t(None, None, Actor.STAFF),
    Action.SUPPORT: _t(OPEN_PUBLIC, None, Actor.RESIDENT),
}

# Edits a moderator makes to what the public sees; not state changes, so not in the table above.
MODERATION_EDITS: dict[Action, Transition] = {
    Action.REDACT: _t(None, None, Actor.MODERATOR),
    Action.HIDE_PHOTO: _t(None, None, Actor.MODERATOR),
    # Publishing a resident's update: on an open public report, or the reporter's own
    # information while the report is still new (UPDATE_STATES, models/update.py).
    Action.RESIDENT_UPDATE: _t((S.NEW, *OPEN_PUBLIC), None, Actor.MODERATOR),
}
# Where residents add updates: anyone with an account on an open public report; the
# reporter also while the report awaits moderation (new) or was returned to it.
UPDATE_STATES = frozenset(OPEN_PUBLIC)
REPORTER_UPDATE_STATES = frozenset({S.NEW, *OPEN_PUBLIC})
# The department's own organisation of its work; not a state change either. The head assigns
# anyone in the department, a worker only takes a report or gives it back (lifecycle.assign).
DEPARTMENT_OPEN_STATES = (S.ROUTED, S.IN_PROGRESS, S.PLANNED)
DEPARTMENT_EDITS: dict[Action, Transition] = {
    Action.ASSIGN: _t(DEPARTMENT_OPEN_STATES, None, Actor.WORKER, Actor.HEAD),
}
RULES: dict[Action, Transition] = {**TRANSITIONS, **MODERATION_EDITS, **DEPARTMENT_EDITS}

# Public on the map (PROCEDURE.md, "States"); rejected ones only by filter, never for
# the grounds below; duplicates point to their original instead.
PUBLIC_STATES = frozenset(
    {S.ROUTED, S.RETURNED, S.IN_PROGRESS, S.PLANNED, S.RESOLVED, S.NOT_RESOLVED,
     S.OUT_OF_COMPETENCE}
)  # fmt: skip
NEVER_PUBLIC_GROUNDS = frozenset(
    {RejectionGround.OBSCENE, RejectionGround.SPAM, RejectionGround.PERSONAL_DATA}
)
CLOSED_STATES = frozenset(
    {S.RESOLVED, S.NOT_RESOLVED, S.REJECTED, S.DUPLICATE, S.OUT_OF_COMPETENCE}
)
OPEN_STATES = frozenset(set(State) - CLOSED_STATES)
# Open311 (PROCEDURE.md, "States"): every open state is "open", every closed one "closed".
OPEN311_STATUS = {state: "closed" if state in CLOSED_STATES else "open" for state in State}
