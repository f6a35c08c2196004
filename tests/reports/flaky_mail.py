"""A mail backend that refuses the first N messages, as a mail server that is down does,
then delivers into Django's in-memory outbox (django.core.mail.outbox)."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    failures_left: ClassVar[int] = 0
    refused: ClassVar[int] = 0

    def send_messages(self, messages: Sequence[Any]) -> int:
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            FlakyBackend.refused += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
