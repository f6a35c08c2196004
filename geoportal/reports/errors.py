"""Why an action on a report was refused: the procedure core's refusals (one set for every
procedure), under the names the reports have always imported."""

from geoportal.procedure.errors import (
    AlreadyDoneError,
    ConflictError,
    NotAllowedError,
    ProcedureError,
    WrongStateError,
)

__all__ = [
    "AlreadyDoneError",
    "ConflictError",
    "NotAllowedError",
    "ProcedureError",
    "WrongStateError",
]
