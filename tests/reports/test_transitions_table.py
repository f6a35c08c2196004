"""The transitions table in code is the one of PROCEDURE.md ("Transitions"), row by row."""

import re

from geoportal.reports.states import TRANSITIONS, Action, Actor, State
from tests.cast import SHARED

# How PROCEDURE.md names who may act, in our Actor terms.
WHO = {
    "moderator": {Actor.MODERATOR},
    "worker of that department": {Actor.WORKER, Actor.HEAD},
    "worker": {Actor.WORKER, Actor.HEAD},
    "head or coordinator": {Actor.HEAD, Actor.COORDINATOR},
    "the reporter, within 14 days": {Actor.REPORTER},
    "moderator (after a dispute) or coordinator": {Actor.MODERATOR, Actor.COORDINATOR},
    "staff": {Actor.STAFF},
    "resident, once per person": {Actor.RESIDENT},
}


def procedure_rows() -> dict[str, tuple[str, str, str]]:
    text = (SHARED / "PROCEDURE.md").read_text(encoding="utf-8")
    section = text.split("## Transitions", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in {"action", ""} and not cells[0].startswith("-"):
            action = re.sub(r"\s*\(.*\)", "", cells[0]).strip()
            rows[action] = (cells[1], cells[2], cells[3])
    return rows


def states(cell: str) -> set[State] | None:
    if cell in {"any", "any public open state"}:
        return None
    return {State(part.strip()) for part in cell.split(",")}


def test_every_action_of_the_procedure_is_in_the_table():
    rows = procedure_rows()
    assert set(rows) - {"submit"} == {a.value for a in TRANSITIONS}


def test_sources_targets_and_actors_match_the_procedure():
    for action, (sources, target, who) in procedure_rows().items():
        if action == "submit":
            continue
        transition = TRANSITIONS[Action(action)]
        expected_sources = states(sources)
        if expected_sources is not None:
            assert transition.sources == expected_sources, action
        expected_target = None if target == "same" else State(target)
        assert transition.target == expected_target, action
        assert transition.actors == WHO[who], action


def test_support_only_in_public_open_states():
    support = TRANSITIONS[Action.SUPPORT]
    assert support.sources == {State.ROUTED, State.RETURNED, State.IN_PROGRESS, State.PLANNED}
