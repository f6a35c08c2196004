"""Who a request comes from: its device, session, account and address.

Rate limits count each of these (geoportal/core/ratelimit.py). An Idempotency-Key belongs
to one of them, the most lasting the request has, so that a second client sending the
same key gets its own report, never the first client's id or tracking code.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest

from geoportal.core.clientip import client_ip
from geoportal.core.devices import device_id


class Kind(StrEnum):
    """What was counted; the rate-limit refusal names it."""

    DEVICE = "device"
    SESSION = "session"
    ACCOUNT = "account"
    ADDRESS = "address"
    KEY = "key"  # an Open311 API key


@dataclass(frozen=True)
class Identity:
    kind: Kind
    value: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


def network_of(address: str) -> str:
    """The address as the limits count it: an IPv4 address itself, an IPv6 one by its /64
    (a carrier gives each subscriber a /64 at least, and every address in it is theirs to
    take, so counting single IPv6 addresses would not limit anyone)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def identities(request: HttpRequest) -> list[Identity]:
    """The device, session and account the request has, and always its address (an IPv6
    address by its /64)."""
    found = []
    if device := device_id(request):
        found.append(Identity(Kind.DEVICE, device))
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        # The session key is a credential: a digest of it is what the counters keep.
        found.append(Identity(Kind.SESSION, _digest(session.session_key)))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        found.append(Identity(Kind.ACCOUNT, str(user.pk)))
    found.append(Identity(Kind.ADDRESS, network_of(client_ip(request))))
    return found


OWNER_ORDER = (Kind.DEVICE, Kind.ACCOUNT, Kind.SESSION, Kind.ADDRESS)


def idempotency_owner(request: HttpRequest) -> str:
    """Whose Idempotency-Keys these are: the device (the web form), else the account (an
    app with a token), else the session, else the address. A digest: a report row keeps
    neither the device id nor the address."""
    found = {identity.kind: identity for identity in identities(request)}
    owner = next(found[kind] for kind in OWNER_ORDER if kind in found)
    return _digest(owner.key)


def api_key_owner(key_id: int) -> str:
    """An Open311 client's keys are its own."""
    return _digest(Identity(Kind.KEY, str(key_id)).key)
