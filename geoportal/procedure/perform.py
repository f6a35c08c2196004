"""One action of a procedure as one transaction.

The case's row is locked, so a second, simultaneous action waits for this one; its version
is compared with the one the person saw, so an action prepared on an older read gets a
conflict instead of acting on a state nobody looked at. Then the state and the person are
checked against the procedure's table, the action's own changes are applied, the target
state is set, and `record` writes the event and queues its notifications, all in the same
transaction: an action either happens whole or leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction

from geoportal.procedure import timebase
from geoportal.procedure.errors import ConflictError, NotAllowedError, WrongStateError
from geoportal.procedure.rules import Procedure

E = TypeVar("E")
Apply = Callable[[Any, datetime], None]
Record = Callable[[Any, str, datetime], E]


def perform(
    case: Any,
    procedure: Procedure[Any, Any, Any],
    action: Any,
    by: Any,
    apply: Apply,
    record: Record[E],
    *,
    as_party: bool = False,
    cleanup: Callable[[], None] | None = None,
) -> E:
    """Take `action` on `case` as `by`; `as_party` skips the actor check for a party that
    proves itself otherwise (a reporter's tracking code). `cleanup` undoes what the action
    did outside the database (stored files) when it does not happen."""
    rule = procedure.rule(action)
    refusals = procedure.refusals
    try:
        with transaction.atomic():
            locked = (
                type(case)
                .objects.select_for_update(of=("self",))
                .select_related("municipality")
                .get(pk=case.pk)
            )
            if locked.version != case.version:
                raise ConflictError(
                    refusals.conflict % {"state": locked.get_state_display()},
                    state=locked.state,
                    version=locked.version,
                )
            if not rule.allows_state(locked.state):
                raise WrongStateError(
                    refusals.wrong_state
                    % {"action": action.label, "state": locked.get_state_display()}
                )
            if not as_party and not (procedure.roles_of(locked, by) & rule.actors):
                raise NotAllowedError(refusals.not_allowed % {"action": action.label})
            now = timebase.now()
            if locked.due_at is not None and now > locked.due_at:
                locked.was_overdue = True
            before = locked.state
            apply(locked, now)
            if rule.target is not None:
                locked.state = rule.target
            locked.version += 1
            locked.save()
            event = record(locked, before, now)
    except BaseException:
        if cleanup is not None:
            cleanup()
        raise
    case.refresh_from_db()
    return event
