"""A procedure's transitions table: for each action, the states it may be taken from, the
state it leads to and who may take it. Reports (geoportal.reports.states) and permits
(geoportal.permits.states) each write theirs down once; their model methods, their APIs,
their consoles and their generated tests all read it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

A = TypeVar("A", bound=Enum)  # a procedure's actions
S = TypeVar("S", bound=Enum)  # its states
R = TypeVar("R", bound=Enum)  # its actors


@dataclass(frozen=True)
class Transition:
    """One action: taken from `sources` (None: from any state) to `target` (None: the state
    does not change) by any of `actors`."""

    sources: frozenset[Any] | None
    target: Any | None
    actors: frozenset[Any]

    def allows_state(self, state: object) -> bool:
        return self.sources is None or state in self.sources

    def allows(self, state: object, roles: Iterable[object]) -> bool:
        """True when someone with `roles` may take the action from `state`."""
        return self.allows_state(state) and bool(self.actors & set(roles))


def transition(sources: Iterable[Any] | None, target: Any | None, *actors: Any) -> Transition:
    """A row of a transitions table: `transition((NEW,), ROUTED, MODERATOR)`."""
    return Transition(
        frozenset(sources) if sources is not None else None, target, frozenset(actors)
    )


@dataclass(frozen=True)
class Refusals:
    """How a procedure words its refusals, with `%(state)s` and `%(action)s` in them
    ("The report changed meanwhile…", "The application changed meanwhile…")."""

    conflict: Any
    wrong_state: Any
    not_allowed: Any


@dataclass(frozen=True)
class Procedure(Generic[A, S, R]):
    """A procedure as its parts declare it: states, actions, actors and the rules table,
    plus how a person's actors are found for one case (`roles_of(case, user)`)."""

    name: str
    states: type[S]
    actions: type[A]
    actors: type[R]
    rules: Mapping[A, Transition]
    roles_of: Callable[[Any, Any], set[R]]
    refusals: Refusals
    # Actions a console never offers as a button (a resident's own, or taken elsewhere).
    not_buttons: frozenset[A] = field(default_factory=frozenset)
    # Actions that create a case (a report's submission) and so have no row in the table.
    creating: frozenset[A] = field(default_factory=frozenset)

    def rule(self, action: A) -> Transition:
        return self.rules[action]

    def may(self, action: A, state: S, roles: Iterable[R]) -> bool:
        return self.rules[action].allows(state, roles)

    def available(self, case: Any, user: Any) -> list[A]:
        """The actions this person may take on the case now, in the table's order (which
        buttons to show; the model methods decide again when the action is taken)."""
        roles = self.roles_of(case, user)
        return [
            action
            for action, rule in self.rules.items()
            if action not in self.not_buttons and rule.allows(case.state, roles)
        ]

    def check_complete(self) -> None:
        """Every action has a rule and every rule's states are the procedure's own: run by
        the tests of each procedure, so a new action cannot be left out of the table."""
        missing = set(self.actions) - set(self.rules) - set(self.creating)
        if missing:
            raise AssertionError(
                f"{self.name}: actions without a rule: {sorted(map(str, missing))}"
            )
        for action, rule in self.rules.items():
            states = set(rule.sources or ()) | ({rule.target} if rule.target else set())
            foreign = {s for s in states if not isinstance(s, self.states)}
            if (
                foreign
                or not rule.actors
                or not all(isinstance(a, self.actors) for a in rule.actors)
            ):
                raise AssertionError(f"{self.name}: the rule of {action} is not well formed")
