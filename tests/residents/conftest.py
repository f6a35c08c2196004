"""Helpers of the residents' tests: asking for a link and following it as a browser would."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client

LINK = re.compile(r"https?://\S+/residents/sign-in/[A-Za-z0-9_-]+/")


def ask(client: Client, email: str, language: str = "") -> Any:
    prefix = f"/{language}" if language else ""
    client.get(f"{prefix}/residents/sign-in/")  # the page gives the device cookie
    return client.post(f"{prefix}/residents/sign-in/", {"email": email})


def link_path(message: mail.EmailMessage) -> str:
    """The path of the sign-in link in a mail (the site's address stripped)."""
    found = LINK.search(str(message.body))
    assert found, message.body
    return urlsplit(found.group(0)).path


def sign_in(client: Client, email: str) -> Any:
    """Ask for a link, open it from the mail, press the button: the answer of the press."""
    mail.outbox.clear()
    assert ask(client, email).status_code == 302
    (message,) = mail.outbox
    return client.post(link_path(message))
