"""The client's address: REMOTE_ADDR, or the one a trusted proxy put in X-Forwarded-For.

TRUSTED_PROXIES says how many proxies (nginx, a load balancer) stand in front of the
application. Each appends the address it saw, so the client is that many entries from
the right; anything further left was written by the client and is not believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address, or "unknown" when there is none (a request made in code)."""
    return address_or_none(request) or "unknown"


def address_or_none(request: HttpRequest) -> str | None:
    """The address or None (django-axes' AXES_CLIENT_IP_CALLABLE: it stores an IP field)."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXIES
    if proxies > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [part for part in chain if part]
        if len(chain) >= proxies:
            address = chain[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
