"""Every action of the permit procedure from every state by every person, generated from
PERMITS with geoportal.procedure.table.cases: allowed ones move as states.RULES says and
write one event, all others are refused and change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from geoportal.permits.models import ApplicationEvent, ApprovalTask
from geoportal.permits.roles import PERMITS, SYSTEM, actor_roles
from geoportal.permits.states import RULES, Action, Actor, State
from geoportal.procedure.errors import NotAllowedError, ProcedureError
from geoportal.procedure.table import cases
from tests.cast import join, make_user
from tests.permits.conftest import application_in, jpeg

PERSONAS = ["anonymous", "resident", "applicant", "officer", "head", "coordinator",
            "worker_zhkg", "other_hromada_officer", "system"]  # fmt: skip
# Who each persona is, written down independently of geoportal.permits.roles.
ROLES: dict[str, set[Actor]] = {
    "applicant": {Actor.APPLICANT},
    "officer": {Actor.OFFICER, Actor.STAFF},
    "head": {Actor.HEAD, Actor.STAFF},
    "coordinator": {Actor.COORDINATOR, Actor.STAFF},
    "system": {Actor.SYSTEM},
}


def roles_of(persona: str, state: State) -> set[Actor]:
    return ROLES.get(persona, set())


TABLE = cases(PERMITS, PERSONAS, roles_of)


@pytest.fixture
def world(pokrovsk, pokrov, officer, head_arch, applicant, coordinator, worker_zhkg):
    other = pokrov.departments.get(code="arch")
    return {
        "anonymous": None,
        "resident": make_user("resident_stranger"),
        "applicant": applicant,
        "officer": officer,
        "head": head_arch,
        "coordinator": coordinator,
        "worker_zhkg": worker_zhkg,
        "other_hromada_officer": join(make_user("officer_pokrov", pokrov), other, "head"),
        "system": SYSTEM,
    }


def act(action: Action, application, user) -> None:
    today = timezone.localdate()
    if action == Action.RECORD_APPROVAL:
        task = ApprovalTask.objects.create(application=application, body="site_owner")
    calls = {
        Action.REGISTER: lambda: application.register(user),
        Action.REQUEST_APPROVAL: lambda: application.request_approval(user, "site_owner"),
        Action.RECORD_APPROVAL: lambda: application.record_approval(user, task, "approved"),
        Action.CHECK: lambda: application.complete_check(user, "Відповідає плану зонування"),
        Action.GRANT: lambda: application.grant(user, text="Паспорт прив'язки"),
        Action.REFUSE: lambda: application.refuse(user, "other", "Не відповідає вимогам"),
        Action.WITHDRAW: lambda: application.withdraw(user, "Передумали"),
        Action.REPORT_INSTALLATION: lambda: application.report_installation(user, jpeg()),
        Action.EXTEND: lambda: application.extend(
            user, (application.valid_to or today) + timedelta(days=90), "Продовжено"
        ),
        Action.ANNUL: lambda: application.annul(user, "Рішення виконкому № 12"),
        Action.EXPIRE: lambda: application.expire(user),
        Action.REMOVE: lambda: application.remove(user, "Споруду демонтовано"),
        Action.COMMENT: lambda: application.comment(user, "Примітка відділу"),
    }
    calls[action]()


@pytest.mark.parametrize("action", list(RULES), ids=lambda a: a.value)
def test_every_state_and_person(world, pokrovsk, action):
    mismatches = []
    allowed = refused = 0
    for case in (c for c in TABLE if c.action == action):
        user = world[case.persona]
        fields = {"applicant_user": world["applicant"]}
        if action == Action.EXPIRE:  # a permit past its end (the clock's case)
            today = timezone.localdate()
            fields.update(valid_from=today - timedelta(days=400), valid_to=today - timedelta(1))
        application = application_in(case.state, pokrovsk, **fields)
        before = (application.state, application.version, application.events.count())
        try:
            act(action, application, user)
            happened = True
        except ProcedureError:
            happened = False
        application.refresh_from_db()
        if happened != case.allowed:
            mismatches.append(case.id)
            continue
        if happened:
            allowed += 1
            target = RULES[action].target or case.state
            event = application.events.get()
            assert (application.state, event.action, event.from_state, event.to_state) == (
                target, action, case.state, target,
            )  # fmt: skip
            assert application.version == before[1] + 1
        else:
            refused += 1
            assert (application.state, application.version, application.events.count()) == before
    assert mismatches == []
    assert allowed > 0 and refused > 0


def test_roles_match_the_table_personas(world, pokrovsk):
    application = application_in(State.UNDER_REVIEW, pokrovsk, applicant_user=world["applicant"])
    for persona in PERSONAS:
        assert actor_roles(application, world[persona]) == roles_of(persona, State.UNDER_REVIEW)


def test_the_tracking_code_proves_the_applicant(world, pokrovsk):
    application = application_in(State.UNDER_REVIEW, pokrovsk)
    with pytest.raises(NotAllowedError):
        application.withdraw("not-the-code")
    assert application.events.count() == 0
    application.withdraw(application.tracking_code, "Знайшли інше місце")
    application.refresh_from_db()
    event = application.events.get()
    assert (application.state, event.by_applicant, event.actor) == (State.WITHDRAWN, True, None)


def test_events_are_append_only(world, pokrovsk):
    application = application_in(State.SUBMITTED, pokrovsk)
    event = application.register(world["officer"])
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert ApplicationEvent.objects.filter(pk=event.pk).exists()
