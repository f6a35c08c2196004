"""Why an action of a procedure was refused; each maps to an HTTP status in the API."""

from __future__ import annotations

from typing import Any


class ProcedureError(Exception):
    """An action the procedure does not allow; nothing was changed."""

    status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        # What the client should know besides the message (e.g. its new state).
        self.details = details


class NotAllowedError(ProcedureError):
    """The person may not take this action on this case."""

    status = 403


class WrongStateError(ProcedureError):
    """The action is not possible from the current state."""

    status = 409


class ConflictError(ProcedureError):
    """Someone else changed the case meanwhile; reload it and look again."""

    status = 409


class AlreadyDoneError(ProcedureError):
    """The person already did this once (support, follow); nothing changed."""

    status = 409
