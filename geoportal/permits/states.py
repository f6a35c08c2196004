"""States, actions and transitions of the e-permit procedures (README, "E-permits"): a
temporary structure's (МАФ) placement passport, a summer terrace and an outdoor advertising
permit. One table for the three kinds; where a kind differs (the advertising priority and
its approvals, the terrace's season) the model methods say so.

    submitted ──register──▶ under_review ──check──▶ checked ──grant──▶ granted
        │                       │                      │                  │
        └──────── refuse / withdraw ───────────────────┘        report_installation
                                                                          ▼
        removed ◀──remove── expired / annulled ◀──expire / annul──     active
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from geoportal.procedure.rules import Transition, transition


class Kind(models.TextChoices):
    MAF = "maf", _("Temporary structure (МАФ) placement passport")
    TERRACE = "terrace", _("Summer terrace")
    ADVERTISING = "advertising", _("Outdoor advertising permit")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting registration")
    UNDER_REVIEW = "under_review", _("Registered, under review")
    CHECKED = "checked", _("Checked, decision pending")
    GRANTED = "granted", _("Granted, awaiting installation")
    ACTIVE = "active", _("Active")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    EXPIRED = "expired", _("Expired")
    ANNULLED = "annulled", _("Annulled")
    REMOVED = "removed", _("Structure removed")


class Actor(models.TextChoices):
    APPLICANT = "applicant", _("The applicant")
    OFFICER = "officer", _("Officer of the permit department")
    HEAD = "head", _("Head of the permit department")
    COORDINATOR = "coordinator", _("Coordinator")
    SYSTEM = "system", _("The platform's clock")
    STAFF = "staff", _("Staff")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    REGISTER = "register", _("Register")
    REQUEST_APPROVAL = "request_approval", _("Request an approval")
    RECORD_APPROVAL = "record_approval", _("Record an approval's answer")
    CHECK = "check", _("Complete the check")
    GRANT = "grant", _("Grant")
    REFUSE = "refuse", _("Refuse")
    WITHDRAW = "withdraw", _("Withdraw")
    REPORT_INSTALLATION = "report_installation", _("Report the installation")
    EXTEND = "extend", _("Extend the term")
    ANNUL = "annul", _("Annul")
    EXPIRE = "expire", _("Expire")
    REMOVE = "remove", _("Record the removal")
    COMMENT = "comment", _("Comment")


ACTION_DONE: dict[Action, Promise] = {
    Action.SUBMIT: pgettext_lazy("permit history", "Submitted"),
    Action.REGISTER: pgettext_lazy("permit history", "Registered"),
    Action.REQUEST_APPROVAL: pgettext_lazy("permit history", "Approval requested"),
    Action.RECORD_APPROVAL: pgettext_lazy("permit history", "Approval answered"),
    Action.CHECK: pgettext_lazy("permit history", "Check completed"),
    Action.GRANT: pgettext_lazy("permit history", "Granted"),
    Action.REFUSE: pgettext_lazy("permit history", "Refused"),
    Action.WITHDRAW: pgettext_lazy("permit history", "Withdrawn"),
    Action.REPORT_INSTALLATION: pgettext_lazy("permit history", "Installation reported"),
    Action.EXTEND: pgettext_lazy("permit history", "Term extended"),
    Action.ANNUL: pgettext_lazy("permit history", "Annulled"),
    Action.EXPIRE: pgettext_lazy("permit history", "Expired"),
    Action.REMOVE: pgettext_lazy("permit history", "Removal recorded"),
    Action.COMMENT: pgettext_lazy("permit history", "Commented"),
}

S = State
IN_REVIEW = (S.SUBMITTED, S.UNDER_REVIEW, S.CHECKED)
IN_FORCE = (S.GRANTED, S.ACTIVE)
RULES: dict[Action, Transition] = {
    Action.REGISTER: transition((S.SUBMITTED,), S.UNDER_REVIEW, Actor.OFFICER, Actor.HEAD),
    Action.REQUEST_APPROVAL: transition((S.UNDER_REVIEW,), None, Actor.OFFICER, Actor.HEAD),
    Action.RECORD_APPROVAL: transition((S.UNDER_REVIEW,), None, Actor.OFFICER, Actor.HEAD),
    Action.CHECK: transition((S.UNDER_REVIEW,), S.CHECKED, Actor.OFFICER, Actor.HEAD),
    Action.GRANT: transition((S.CHECKED,), S.GRANTED, Actor.OFFICER, Actor.HEAD),
    Action.REFUSE: transition(IN_REVIEW, S.REFUSED, Actor.OFFICER, Actor.HEAD),
    Action.WITHDRAW: transition(IN_REVIEW, S.WITHDRAWN, Actor.APPLICANT),
    Action.REPORT_INSTALLATION: transition((S.GRANTED,), S.ACTIVE, Actor.APPLICANT),
    Action.EXTEND: transition(IN_FORCE, None, Actor.OFFICER, Actor.HEAD),
    Action.ANNUL: transition(IN_FORCE, S.ANNULLED, Actor.HEAD),
    Action.EXPIRE: transition(IN_FORCE, S.EXPIRED, Actor.SYSTEM),
    Action.REMOVE: transition(
        (S.ACTIVE, S.EXPIRED, S.ANNULLED), S.REMOVED, Actor.OFFICER, Actor.HEAD
    ),
    Action.COMMENT: transition(None, None, Actor.STAFF),
}

# Public: every state but a submission not yet registered (the register lists registered
# applications and decisions; a withdrawn one stays listed once it was registered).
PUBLIC_STATES = frozenset(set(State) - {S.SUBMITTED})
UNDER_REVIEW_STATES = frozenset({S.UNDER_REVIEW, S.CHECKED})  # the map's own layer
CLOSED_STATES = frozenset({S.REFUSED, S.WITHDRAWN, S.EXPIRED, S.ANNULLED, S.REMOVED})


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("A natural person")
    BUSINESS = "business", _("A business (legal entity or entrepreneur)")


class RefusalReason(models.TextChoices):
    """The grounds of a reasoned refusal (order No. 244; resolution No. 2067)."""

    PLANNING_DOCUMENTS = "planning_documents", _("Contrary to the planning documents")
    SITE_TAKEN = "site_taken", _("The site is taken by another structure or permit")
    PRIORITY_OF_ANOTHER = "priority_of_another", _("Another applicant holds the priority")
    INCOMPLETE_DOCUMENTS = "incomplete_documents", _("The documents are incomplete")
    APPROVALS_REFUSED = "approvals_refused", _("A required approval was refused")
    OTHER = "other", _("Other ground")


class PrecheckLevel(models.TextChoices):
    PASS = "pass", _("Passes")
    WARNING = "warning", _("Warnings")
    BLOCKER = "blocker", _("Blockers")


# Numbering: the registration number's prefix, and the permit number's per kind.
REGISTRATION_PREFIX = "ЗД"
PERMIT_PREFIX: dict[str, str] = {Kind.MAF: "МАФ", Kind.TERRACE: "ТЕР", Kind.ADVERTISING: "РЕК"}
