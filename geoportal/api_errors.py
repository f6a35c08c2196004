"""One shape for API errors: {"field": ["reason"]} for bad input, {"detail": ...} else.

Django's ValidationError (raised by model methods and the intake) becomes a 400 naming
the field; a refusal of the procedure becomes its status (403, 409, 422) with the
report's current state where that helps the client.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from geoportal.reports.errors import ProcedureError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail=detail)
    if isinstance(exc, ProcedureError):
        return Response({"detail": exc.message, **exc.details}, status=exc.status)
    return drf_exception_handler(exc, context)
