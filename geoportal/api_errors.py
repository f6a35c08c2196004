"""One shape for API errors: {"field": ["reason"]} for bad input, {"detail": ...} else.

Django's ValidationError (raised by model methods and the intake) becomes a 400 naming
the field; a refusal of the procedure becomes its status (403, 409, 422) with the
report's current state where that helps the client. A lost database connection becomes
503 with Retry-After: the transaction was rolled back, so the same request (with the same
Idempotency-Key) can simply be sent again. A rate limit's refusal is 429 with Retry-After,
saying in the client's language what was counted and when to try again. A token that is
wrong, expired or revoked is 401 with WWW-Authenticate.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from geoportal.core.ratelimit import TooManyRequests, retry_at
from geoportal.reports.errors import ProcedureError

logger = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, OperationalError | InterfaceError):
        logger.exception("Database unavailable during %s", context.get("view"))
        message = _("The service is briefly unavailable and nothing was saved; please try again.")
        return Response({"detail": message}, status=503, headers={"Retry-After": "5"})
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail=detail)
    if isinstance(exc, Throttled):
        return _too_many(exc)
    if isinstance(exc, AuthenticationFailed) and _sent_token(context):
        # A token that is wrong, expired or revoked: 401, so the client asks for a new one.
        # (DRF answers 403 when the first authentication class, the session, has no
        # WWW-Authenticate of its own.)
        return Response({"detail": exc.detail}, status=401, headers={"WWW-Authenticate": "Token"})
    if isinstance(exc, ProcedureError):
        return Response({"detail": exc.message, **exc.details}, status=exc.status)
    return drf_exception_handler(exc, context)


def _too_many(exc: Throttled) -> Response:
    """Every 429 carries Retry-After (a throttle that cannot tell says a minute)."""
    if isinstance(exc, TooManyRequests):
        body = exc.body()
    else:
        wait = getattr(exc, "wait", None)
        seconds = max(1, math.ceil(wait)) if wait else 60
        body = {"detail": str(exc.detail), "retry_after": seconds,
                "retry_at": retry_at(seconds).isoformat(timespec="seconds")}  # fmt: skip
    return Response(body, status=429, headers={"Retry-After": str(body["retry_after"])})


def _sent_token(context: dict[str, Any]) -> bool:
    request = context.get("request")
    header = request.META.get("HTTP_AUTHORIZATION", "") if request is not None else ""
    return str(header).startswith("Token ")
