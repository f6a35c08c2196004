"""The append-only history of an application: every action and comment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.permits.states import ACTION_DONE, Action, State
from geoportal.procedure import timebase
from geoportal.procedure.events import AppendOnly


class ApplicationEvent(AppendOnly):
    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("application"),
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    by_applicant = models.BooleanField(_("by the applicant"), default=False)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("time"), default=timebase.now)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["application", "created_at"], name="permitevent_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.action} {self.from_state}→{self.to_state}"

    @property
    def done_label(self) -> str:
        """The action as the history tells it, in the past ("Registered", "Granted")."""
        return str(ACTION_DONE[Action(self.action)])
