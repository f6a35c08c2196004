"""Every action × state × persona of a procedure, with what its table says should happen:
the tests of each procedure turn this into one case each (allowed ones move the case as
the table says, all others are refused and change nothing). Who each persona is for a case
in a given state is written down by the test itself, independently of the procedure's own
`roles_of`, so that a mistake there is caught rather than copied."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from geoportal.procedure.rules import Procedure


@dataclass(frozen=True)
class Case:
    action: Any
    state: Any
    persona: str
    allowed: bool

    @property
    def id(self) -> str:
        verdict = "allowed" if self.allowed else "refused"
        return f"{self.action.value}-{self.state.value}-{self.persona}-{verdict}"


def cases(
    procedure: Procedure[Any, Any, Any],
    personas: Iterable[str],
    roles_of: Callable[[str, Any], set[Any]],
    *,
    actions: Iterable[Any] | None = None,
    states: Iterable[Any] | None = None,
) -> list[Case]:
    """The whole table, or the part named by `actions` and `states`."""
    chosen_actions = list(actions if actions is not None else procedure.rules)
    every_state: Iterable[Any] = list(procedure.states)  # type: ignore[call-overload]
    chosen_states = list(states if states is not None else every_state)
    return [
        Case(action, state, persona, procedure.may(action, state, roles_of(persona, state)))
        for action in chosen_actions
        for state in chosen_states
        for persona in personas
    ]
