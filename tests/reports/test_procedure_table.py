"""Every action from every state by every person: allowed ones move as PROCEDURE.md says,
all others are refused and change nothing. The table is generated, not hand-picked:
16 actions (the procedure's 14 and the moderator's two edits) × 10 states × 9 people,
1,440 cases, each checked against the expectation derived from states.RULES."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from geoportal.reports.errors import ProcedureError
from geoportal.reports.models import Report, ReportEvent, ReportPhoto, ReportUpdate
from geoportal.reports.states import RULES, Action, Actor, RejectionGround, State

CENTRE = Point(37.1772, 48.2771, srid=4326)
PERSONAS = [
    "anonymous", "resident", "reporter", "moderator", "worker_zhkg", "head_zhkg",
    "worker_arch", "planner", "coordinator",
]  # fmt: skip
# Who each persona is, written down independently of geoportal.reports.roles.
STAFF_ROLES = {
    "moderator": {Actor.MODERATOR, Actor.STAFF},
    "coordinator": {Actor.COORDINATOR, Actor.STAFF},
}
DEPARTMENT_ROLES = {
    "worker_zhkg": {Actor.WORKER, Actor.STAFF},
    "head_zhkg": {Actor.HEAD, Actor.STAFF},
}
ROUTED_ONCE = set(State) - {
    State.NEW,
    State.REJECTED,
    State.DUPLICATE,
    State.OUT_OF_COMPETENCE,
}


def roles_of(persona: str, state: State) -> set[Actor]:
    roles = {Actor.RESIDENT} | STAFF_ROLES.get(persona, set())
    if state in ROUTED_ONCE:  # the report has zhkg as its department
        roles |= DEPARTMENT_ROLES.get(persona, set())
    if persona == "reporter":
        roles.add(Actor.REPORTER)
    return roles


def expected(action: Action, state: State, persona: str) -> bool:
    transition = RULES[action]
    if transition.sources is not None and state not in transition.sources:
        return False
    return bool(roles_of(persona, state) & transition.actors)


@pytest.fixture
def world(pokrovsk, zhkg, request):
    users = {"anonymous": None, "reporter": None}
    for persona in PERSONAS:
        if persona not in users:
            users[persona] = request.getfixturevalue(persona)
    category = pokrovsk.categories.get(code="roads")
    original = Report.objects.create(
        municipality=pokrovsk, point=CENTRE, category=category, title="Яма", description="Яма"
    )

    def photo(report: Report) -> ReportPhoto:
        return ReportPhoto.objects.create(
            report=report, image="reports/photos/x.jpg", thumbnail="reports/thumbs/x.jpg",
            width=1, height=1,
        )  # fmt: skip

    return {"users": users, "zhkg": zhkg, "category": category, "original": original,
            "photo": photo}  # fmt: skip


def report_in(state: State, world: dict) -> Report:
    """A report placed directly in `state`, with what that state implies."""
    now = timezone.now()
    fields: dict = {}
    if state in ROUTED_ONCE:
        fields.update(
            department=world["zhkg"], first_routed_at=now - timedelta(days=1),
            answer_due_at=now + timedelta(days=14), ceiling_at=now + timedelta(days=44),
        )  # fmt: skip
    if state in {State.RESOLVED, State.NOT_RESOLVED}:
        fields.update(
            answered_at=now, dispute_until=now + timedelta(days=14), disputed_at=now,
            public_answer="Зроблено",
        )  # fmt: skip
    if state == State.REJECTED:
        fields["rejection_ground"] = RejectionGround.NOT_A_PROBLEM
    if state == State.DUPLICATE:
        fields["duplicate_of"] = world["original"]
    return Report.objects.create(
        municipality=world["original"].municipality, point=CENTRE, category=world["category"],
        title="Не горить ліхтар", description="Третій тиждень", state=state,
        suggested_department=world["zhkg"], **fields,
    )  # fmt: skip


def act(action: Action, report: Report, persona: str, world: dict) -> None:
    user = world["users"][persona]
    calls = {
        Action.APPROVE: lambda: report.approve(user, department=world["zhkg"]),
        Action.REJECT: lambda: report.reject(user, RejectionGround.NOT_A_PROBLEM),
        Action.MARK_DUPLICATE: lambda: report.mark_duplicate(user, world["original"]),
        Action.OUT_OF_COMPETENCE: lambda: report.out_of_competence(user, "Донецькобленерго"),
        Action.ACCEPT: lambda: report.accept(user, needs_study=False),
        Action.RETURN: lambda: report.return_to_moderator(user, "Це не наше"),
        Action.PLAN: lambda: report.plan(
            user, timezone.localdate() + timedelta(days=20), "Після тендеру"
        ),
        Action.RESOLVE: lambda: report.resolve(user, "Замінили лампу"),
        Action.NOT_RESOLVE: lambda: report.not_resolve(user, "Немає коштів"),
        Action.EXTEND: lambda: report.extend(
            user, (report.answer_due_at or timezone.now()) + timedelta(days=5), "Чекаємо підрядника"
        ),
        Action.DISPUTE: lambda: report.dispute(
            report.tracking_code if persona == "reporter" else "not-the-code", "Не зроблено"
        ),
        Action.REOPEN: lambda: report.reopen(user, "Перевірили: не зроблено"),
        Action.COMMENT: lambda: report.comment(user, "Внутрішня примітка"),
        Action.SUPPORT: lambda: report.support(user, email=f"{persona}@example.org"),
        Action.REDACT: lambda: report.redact(user, "Без персональних даних", "Текст"),
        Action.HIDE_PHOTO: lambda: report.hide_photo(user, world["photo"](report)),
        # Each one takes the report themself (the head's assigning others: test_assignment.py).
        Action.ASSIGN: lambda: report.assign(user, user),
        # A resident's update waiting in the queue, published by the person.
        Action.RESIDENT_UPDATE: lambda: ReportUpdate.objects.create(
            report=report, text="Досі не горить"
        ).approve(user),
    }
    calls[action]()


def changed(action: Action, report: Report, state: State) -> None:
    """What an allowed action leaves behind: its event (support: one more supporter)."""
    if action == Action.SUPPORT:
        assert (report.state, report.support_count, report.events.count()) == (state, 1, 0)
        return
    target = RULES[action].target or state
    event = report.events.get()
    assert (report.state, event.action, event.from_state, event.to_state) == (
        target,
        action,
        state,
        target,
    )


ACTIONS = list(RULES)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.value)
def test_every_state_and_person(world, action):
    mismatches = []
    allowed = refused = 0
    for state in State:
        for persona in PERSONAS:
            report = report_in(state, world)
            before = (report.state, report.version, report.events.count(), report.support_count)
            should = expected(action, state, persona)
            try:
                act(action, report, persona, world)
                happened = True
            except ProcedureError:
                happened = False
            report.refresh_from_db()
            if happened != should:
                mismatches.append((state.value, persona, "allowed" if happened else "refused"))
                continue
            if happened:
                allowed += 1
                changed(action, report, state)
                assert report.version == before[1] + (action != Action.SUPPORT)
            else:
                refused += 1
                after = (report.state, report.version, report.events.count(), report.support_count)
                assert after == before
    assert mismatches == []
    assert allowed > 0 and refused > 0
    assert allowed + refused == len(State) * len(PERSONAS)


def test_events_are_append_only(world):
    report = report_in(State.NEW, world)
    event = report.approve(world["users"]["moderator"], department=world["zhkg"])
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert ReportEvent.objects.filter(pk=event.pk).exists()
