"""The procedure core as each procedure declares itself in it: the tables are complete and
well formed, the generated cases match the tables, and refusals leave nothing behind."""

from __future__ import annotations

import pytest

from geoportal.permits.roles import PERMITS
from geoportal.procedure.rules import transition
from geoportal.procedure.table import cases
from geoportal.reports.roles import REPORTS
from geoportal.reports.states import RULES, Action, Actor, State


@pytest.mark.parametrize("procedure", [REPORTS, PERMITS], ids=lambda p: p.name)
def test_every_action_has_a_well_formed_rule(procedure):
    procedure.check_complete()


def test_an_incomplete_table_is_caught():
    broken = type(REPORTS)(
        name="broken",
        states=State,
        actions=Action,
        actors=Actor,
        rules={Action.APPROVE: RULES[Action.APPROVE]},
        roles_of=REPORTS.roles_of,
        refusals=REPORTS.refusals,
    )
    with pytest.raises(AssertionError, match="actions without a rule"):
        broken.check_complete()


def test_a_rule_with_a_foreign_state_is_caught():
    rules = {**RULES, Action.APPROVE: transition(("somewhere",), State.ROUTED, Actor.MODERATOR)}
    broken = type(REPORTS)(
        name="broken", states=State, actions=Action, actors=Actor, rules=rules,
        roles_of=REPORTS.roles_of, refusals=REPORTS.refusals, creating=REPORTS.creating,
    )  # fmt: skip
    with pytest.raises(AssertionError, match="approve"):
        broken.check_complete()


@pytest.mark.parametrize(
    ("sources", "state", "roles", "allowed"),
    [
        ((State.NEW,), State.NEW, {Actor.MODERATOR}, True),
        ((State.NEW,), State.ROUTED, {Actor.MODERATOR}, False),
        ((State.NEW,), State.NEW, {Actor.RESIDENT}, False),
        (None, State.RESOLVED, {Actor.MODERATOR}, True),
        (None, State.RESOLVED, set(), False),
    ],
)
def test_transition_allows(sources, state, roles, allowed):
    assert transition(sources, None, Actor.MODERATOR).allows(state, roles) is allowed


def test_generated_table_covers_every_action_state_and_persona():
    personas = ["nobody", "moderator"]

    def roles_of(persona, state):
        return {Actor.MODERATOR} if persona == "moderator" else set()

    table = cases(REPORTS, personas, roles_of)
    assert len(table) == len(RULES) * len(State) * len(personas)
    approve_new = [c for c in table if c.action == Action.APPROVE and c.state == State.NEW]
    assert {(c.persona, c.allowed) for c in approve_new} == {("nobody", False), ("moderator", True)}
    assert len({c.id for c in table}) == len(table)
