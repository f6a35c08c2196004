"""The permit procedure end to end: intake, numbering, the decision writing the layer with
history, annulment/expiry/removal updating it, and the mails in the shared outbox."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from geoportal.municipalities.working_days import KYIV
from geoportal.permits.clocks import run_clocks
from geoportal.permits.models import Application, ApprovalTask, PermitSettings
from geoportal.permits.states import ApplicantKind, Kind, State
from geoportal.procedure.timebase import acting_at
from geoportal.reports.models import Notification, NotificationKind
from layers.models import AdvertisingStructure, LayerPassport, StructureStatus, TemporaryStructure
from tests.permits.conftest import apply, jpeg, near, outbox


def test_settings_come_from_the_defaults_with_their_legal_sources(pokrovsk, arch):
    maf = PermitSettings.for_(pokrovsk, Kind.MAF)
    advertising = PermitSettings.for_(pokrovsk, Kind.ADVERTISING)
    assert (maf.check_working_days, maf.issue_working_days, maf.department) == (10, 10, arch)
    assert (advertising.term_months, advertising.priority_months) == (60, 3)
    assert "No. 244" in maf.sources["check_working_days"]
    assert "No. 2067" in advertising.sources["term_months"]
    assert PermitSettings.for_(pokrovsk, Kind.MAF).pk == maf.pk  # created once


def test_numbers_run_per_hromada_and_year(pokrovsk, pokrov, officer, head_arch):
    first, second = apply(pokrovsk), apply(pokrovsk, kind=Kind.ADVERTISING, site=near(300))
    elsewhere = apply(pokrov, site=pokrov.centre.buffer(0.00003))
    year = timezone.localdate().year
    assert [first.number, second.number] == [f"ЗД-{year}-0001", f"ЗД-{year}-0002"]
    assert elsewhere.number == f"ЗД-{year}-0001"
    for application in (first, second):
        application.register(officer)
        application.complete_check(officer)
        application.grant(head_arch)
        application.refresh_from_db()
    assert (first.permit_number, second.permit_number) == (f"МАФ-{year}-0001", f"РЕК-{year}-0001")


def test_a_maf_passport_writes_the_layer_with_history(pokrovsk, officer, head_arch):
    application = apply(pokrovsk)
    assert application.state == State.SUBMITTED and application.documents.count() == 1
    application.register(officer)
    application.complete_check(officer, "Зона дозволяє")
    started = timezone.now()
    application.grant(head_arch, valid_from=date(2026, 12, 1), text="Паспорт видано")
    application.refresh_from_db()
    maf = application.maf
    assert isinstance(maf, TemporaryStructure) and application.state == State.GRANTED
    assert (maf.passport_number, maf.owner_name, maf.owner_code, maf.status) == (
        application.permit_number, "ТОВ «Кава на розі»", "12345678", StructureStatus.ACTIVE,
    )  # fmt: skip
    assert (maf.permit_valid_from, maf.permit_valid_to) == (date(2026, 12, 1), date(2029, 11, 30))
    assert maf.geometry.equals_exact(application.site, 1e-9) and maf.kind == "kiosk"
    record = maf.history.get()
    assert application.number in record.history_change_reason
    assert record.history_user == head_arch
    passport = LayerPassport.objects.get(municipality=pokrovsk, layer="maf")
    assert (
        passport.last_updated_at is not None and passport.last_updated_at >= started
    )  # the open-data downloads are rebuilt

    application.report_installation(application.tracking_code, jpeg())
    application.extend(officer, date(2030, 6, 30), "Продовжено за заявою")
    application.annul(head_arch, "Рішення виконкому № 45 від 01.12.2026")
    maf.refresh_from_db()
    application.refresh_from_db()
    assert application.state == State.ANNULLED and application.installed_at is not None
    assert (maf.status, maf.permit_valid_to) == (StructureStatus.CANCELLED, date(2030, 6, 30))
    assert maf.cancellation_decision.startswith("Рішення виконкому № 45")
    application.remove(officer, "Демонтовано")
    maf.refresh_from_db()
    assert maf.status == StructureStatus.DISMANTLED
    reasons = [h.history_change_reason for h in maf.history.order_by("history_date")]
    assert len(reasons) == 4 and all(application.number in r for r in reasons)


def test_a_natural_person_never_becomes_public_in_the_layer(pokrovsk, officer, head_arch):
    application = apply(
        pokrovsk, kind=Kind.TERRACE, applicant_kind=ApplicantKind.PERSON,
        organisation_name="", edrpou="",
    )  # fmt: skip
    application.register(officer)
    application.complete_check(officer)
    application.grant(head_arch)
    application.refresh_from_db()
    maf = application.maf
    assert maf is not None
    assert (maf.owner_name, maf.owner_code, maf.kind) == ("", "", "terrace")
    assert (application.valid_from, application.valid_to) == (date(2026, 4, 1), date(2026, 10, 31))


def test_an_advertising_permit_writes_its_layer_and_expires(pokrovsk, officer, head_arch):
    application = apply(pokrovsk, kind=Kind.ADVERTISING, site=near(200, 50))
    application.register(officer)
    application.refresh_from_db()
    assert application.registered_at is not None
    registered = application.registered_at.astimezone(KYIV).date()
    assert application.priority_until is not None
    assert (application.priority_until - registered).days in range(89, 93)
    application.request_approval(officer, "road_authority", due_days=5)
    with pytest.raises(ValidationError, match="approval is still awaited"):
        application.complete_check(officer)
    task = ApprovalTask.objects.get(application=application)
    application.record_approval(officer, task, "approved", "Погоджено")
    application.complete_check(officer)
    application.grant(head_arch, valid_from=date(2020, 1, 1), valid_to=date(2024, 12, 31))
    application.refresh_from_db()
    board = application.advertising
    assert isinstance(board, AdvertisingStructure)
    assert (board.permit_number, board.distributor_code, board.width_m, board.kind) == (
        application.permit_number, "12345678", 6, "billboard",
    )  # fmt: skip
    result = run_clocks()
    application.refresh_from_db()
    board.refresh_from_db()
    assert result.expired == 1 and application.state == State.EXPIRED
    assert board.status == StructureStatus.EXPIRED
    last = application.events.last()
    assert last is not None and last.actor is None and last.action == "expire"


def test_notifications_land_in_the_outbox_and_are_delivered(pokrovsk, officer, head_arch):
    mail.outbox = []
    application = apply(pokrovsk, language="en")
    received = outbox(NotificationKind.PERMIT_RECEIVED)
    assert [n.to_email for n in received] == ["iryna@cafe.example.org"]
    assert (
        application.number in received[0].subject and application.tracking_code in received[0].body
    )
    assert "/en/permits/a/" in received[0].body
    assert {n.to_email for n in outbox(NotificationKind.PERMIT_NEW)} == {
        officer.email,
        head_arch.email,
    }
    application.register(officer)
    application.complete_check(officer)
    application.grant(head_arch)
    application.refresh_from_db()
    changes = outbox(NotificationKind.PERMIT_CHANGE)
    assert len(changes) == 3 and application.permit_number in changes[-1].body
    application.report_installation(application.tracking_code, jpeg())
    assert len(outbox(NotificationKind.PERMIT_BY_APPLICANT)) == 2
    for notification in Notification.objects.filter(report=None):
        Notification.deliver(notification.pk)
    assert len(mail.outbox) == Notification.objects.filter(report=None).count()
    assert all(m.subject for m in mail.outbox)


def test_the_expiry_notice_goes_once_30_days_before(pokrovsk, officer, head_arch):
    application = apply(pokrovsk, language="uk")
    application.register(officer)
    application.complete_check(officer)
    today = timezone.localdate()
    application.grant(
        head_arch, valid_from=today - timedelta(days=300), valid_to=today + timedelta(days=29)
    )
    run_clocks()
    run_clocks()
    notices = outbox(NotificationKind.PERMIT_EXPIRY)
    assert len(notices) == 1 and "діє до" in notices[0].subject


def test_deadlines_skip_weekends_and_the_hromadas_days_off(pokrovsk, officer, head_arch):
    from geoportal.municipalities.models import NonWorkingDay

    NonWorkingDay.objects.create(
        municipality=pokrovsk, date=date(2026, 12, 7), reason="День громади"
    )
    friday = datetime(2026, 12, 4, 10, 0, tzinfo=KYIV)
    with acting_at(friday):
        application = apply(pokrovsk)
    # Registration: 1 working day from Friday: not Saturday, Sunday, nor Monday 7 (day off).
    assert application.due_at == datetime(2026, 12, 8, 18, 0, tzinfo=KYIV)
    with acting_at(datetime(2026, 12, 8, 9, 0, tzinfo=KYIV)):
        application.register(officer)
    application.refresh_from_db()
    # Check: 10 working days from Tuesday 8 → Tuesday 22 December.
    assert application.clock == "check"
    assert application.due_at == datetime(2026, 12, 22, 18, 0, tzinfo=KYIV)
    result = run_clocks(datetime(2026, 12, 23, 9, 0, tzinfo=KYIV))
    application.refresh_from_db()
    assert (result.marked_overdue, result.escalated) == (1, 1)
    assert application.overdue_since is not None
    assert [n.to_email for n in outbox(NotificationKind.PERMIT_ESCALATION)] == [head_arch.email]


def test_refusals_change_nothing(pokrovsk, officer):
    application = apply(pokrovsk)
    with pytest.raises(ValidationError, match="reason"):
        application.refuse(officer, "because", "Текст")
    with pytest.raises(ValidationError):
        application.refuse(officer, "other", "")
    application.refresh_from_db()
    assert (application.state, application.version, application.events.count()) == (
        State.SUBMITTED, 0, 1,
    )  # fmt: skip
    assert Application.objects.count() == 1


def test_the_reminder_goes_once_to_the_department(pokrovsk, officer, head_arch):
    monday = datetime(2026, 12, 14, 9, 0, tzinfo=KYIV)
    with acting_at(monday):
        application = apply(pokrovsk)
        application.register(officer)
    application.refresh_from_db()
    assert application.remind_at is not None and application.due_at is not None
    run_clocks(application.remind_at + timedelta(minutes=1))
    run_clocks(application.remind_at + timedelta(minutes=2))
    reminders = outbox(NotificationKind.PERMIT_REMINDER)
    assert sorted(n.to_email for n in reminders) == sorted([officer.email, head_arch.email])
