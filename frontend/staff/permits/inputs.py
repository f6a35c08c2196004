"""What each action of the application console takes from its form, and the model method
it calls (geoportal.permits.lifecycle). The forms only parse; the method checks the person,
the state and the rules, and its refusals name the field and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geoportal.permits.models import Application, ApprovalBody, ApprovalResult
from geoportal.permits.states import Action, RefusalReason

TEXT_MAX = 5000
# An approval's answer is due within this many working days (the model's bounds).
APPROVAL_DAYS = (1, 60)


def _text(required: bool = True) -> forms.CharField:
    return forms.CharField(required=required, max_length=TEXT_MAX, strip=True)


class VersionForm(forms.Form):
    """Every action carries the version of the application the officer saw."""

    version = forms.IntegerField(min_value=0)


class RegisterForm(VersionForm):
    pass


class RequestApprovalForm(VersionForm):
    body = forms.ChoiceField(choices=ApprovalBody.choices)
    body_name = forms.CharField(required=False, max_length=300, strip=True)
    due_days = forms.IntegerField(min_value=APPROVAL_DAYS[0], max_value=APPROVAL_DAYS[1])


class RecordApprovalForm(VersionForm):
    task = forms.IntegerField(min_value=1)
    result = forms.ChoiceField(
        choices=[(ApprovalResult.APPROVED, ApprovalResult.APPROVED.label),
                 (ApprovalResult.REFUSED, ApprovalResult.REFUSED.label)]
    )  # fmt: skip
    note = _text(required=False)


class CheckForm(VersionForm):
    note = _text(required=False)


class GrantForm(VersionForm):
    valid_from = forms.DateField()
    valid_to = forms.DateField()
    text = _text(required=False)


class RefuseForm(VersionForm):
    reason = forms.ChoiceField(choices=RefusalReason.choices)
    text = _text()


class ExtendForm(VersionForm):
    valid_to = forms.DateField()
    text = _text()


class TextForm(VersionForm):
    text = _text()


class CommentForm(VersionForm):
    text = _text()
    public = forms.BooleanField(required=False)


def _task(application: Application, number: int) -> Any:
    found = application.approvals.filter(pk=number).first()
    if found is None:
        raise ValidationError(
            {"task": _("Application %(number)s has no approval task %(task)s.")
             % {"number": application.number, "task": number}}
        )  # fmt: skip
    return found


Call = Callable[[Application, Any, dict[str, Any]], Any]


@dataclass(frozen=True)
class ActionInput:
    form: type[VersionForm]
    call: Call


ACTIONS: dict[str, ActionInput] = {
    Action.REGISTER: ActionInput(RegisterForm, lambda a, by, d: a.register(by)),
    Action.REQUEST_APPROVAL: ActionInput(
        RequestApprovalForm,
        lambda a, by, d: a.request_approval(by, d["body"], d["body_name"], d["due_days"]),
    ),
    Action.RECORD_APPROVAL: ActionInput(
        RecordApprovalForm,
        lambda a, by, d: a.record_approval(by, _task(a, d["task"]), d["result"], d["note"]),
    ),
    Action.CHECK: ActionInput(CheckForm, lambda a, by, d: a.complete_check(by, d["note"])),
    Action.GRANT: ActionInput(
        GrantForm, lambda a, by, d: a.grant(by, d["valid_from"], d["valid_to"], d["text"])
    ),
    Action.REFUSE: ActionInput(RefuseForm, lambda a, by, d: a.refuse(by, d["reason"], d["text"])),
    Action.EXTEND: ActionInput(ExtendForm, lambda a, by, d: a.extend(by, d["valid_to"], d["text"])),
    Action.ANNUL: ActionInput(TextForm, lambda a, by, d: a.annul(by, d["text"])),
    Action.REMOVE: ActionInput(TextForm, lambda a, by, d: a.remove(by, d["text"])),
    Action.COMMENT: ActionInput(
        CommentForm, lambda a, by, d: a.comment(by, d["text"], d["public"])
    ),
}

UNKNOWN_ACTION = gettext_lazy("There is no such action in the console.")
