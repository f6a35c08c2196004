"""The people and objects the permission matrix asks about, made once per test module.

The named cast of tests/cast.py (same helpers, same people) and reports in the states
the procedure's actions start from, inside one transaction that is rolled back when the
module ends; each test runs in a savepoint of it, so whatever a request changes is undone
before the next one. Reporters' contacts and internal notes carry marker values that the
tests look for in responses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Municipality
from geoportal.open311.models import ApiKey, Open311Request
from geoportal.reports.models import Report
from geoportal.residents.models import Resident, SignInLink
from layers.models import ImportRun, LandPlot, LayerPassport, TemporaryStructure
from tests.cast import PASSWORD, give_role, join, load_hromada, make_user
from tests.layers.conftest import square
from tests.reports.conftest import file_report, jpeg

# Reporters' contacts and internal notes are private: only the staff who work on a report
# may ever be shown them (PROCEDURE.md, "Personal data" and "Roles"). Each group of reports
# has markers of its own: department A's, B's, the new one's and the other hromada's.
GROUPS = ("alpha", "bravo", "novel", "oscar")
# A land plot's user or lessee, often a private person, is seen only by those who edit the
# layer: Pokrovsk's plot ("lima") by its planner, Pokrov's ("papa") by nobody in Pokrovsk.
PLOT_USERS = {"lima": "Plotusermarker Lima 2764001234", "papa": "Plotusermarker Papa 2764005678"}


def contact(group: str) -> dict[str, str]:
    number = 1 + GROUPS.index(group)
    return {"reporter_name": f"Contactmarker {group.title()}",
            "reporter_email": f"contact.{group}.5150@example.org",
            "reporter_phone": f"+38050515051{number}"}  # fmt: skip


def note(group: str) -> str:
    return f"internal-note-{group}-5150"


# A permit applicant's contact person (name, e-mail, phone: a natural person's) is seen only by
# the permit department and the coordinator of the application's hromada: Pokrovsk's
# applications ("quebec"), Pokrov's ("romeo").
PERMIT_APPLICANTS = {
    group: (f"Applicantmarker {group.title()}", f"applicant.{group}.5150@example.org",
            f"+38050515099{n}")
    for n, group in enumerate(("quebec", "romeo"))
}  # fmt: skip


def markers(group: str) -> tuple[str, ...]:
    if group in PLOT_USERS:
        return (PLOT_USERS[group],)
    if group in PERMIT_APPLICANTS:
        return PERMIT_APPLICANTS[group]
    return (*contact(group).values(), note(group))


@dataclass
class World:
    """Users by matrix role, and the primary keys and secrets the rows' paths name."""

    users: dict[str, User]
    values: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """A fresh client signed in as the role (anonymous: no session)."""
        client = Client()
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def fill(self, template: str) -> str:
        return template.format(**self.values)


def _cast(pokrovsk: Municipality) -> dict[str, User]:
    """tests/cast.py's people under the matrix's role names (department A is zhkg, B arch)."""
    zhkg = pokrovsk.departments.get(code="zhkg")
    arch = pokrovsk.departments.get(code="arch")

    def staff(username: str) -> User:
        return make_user(username, pokrovsk, is_staff=True)

    return {
        "resident": make_user("resident_olha"),
        "moderator": give_role(staff("moderator_oksana"), Role.MODERATOR),
        "worker_a": join(staff("worker_ivan"), zhkg, "worker"),
        "worker_b": join(staff("worker_maria"), arch, "worker"),
        "head_a": join(staff("head_petro"), zhkg, "head"),
        "planner": give_role(staff("planner_andrii"), Role.PLANNING_EDITOR),
        "coordinator": give_role(staff("coordinator_natalia"), Role.COORDINATOR),
        "admin": User.objects.create_superuser("admin_root", "admin@test.example.org", PASSWORD),
    }


def _private(group: str, **fields: Any) -> Report:
    """A report filed with the group's marker contact."""
    report = file_report(**{**contact(group), **fields})
    assert report.reporter_phone == contact(group)["reporter_phone"]  # kept as given
    return report


def _reports(
    users: dict[str, User], pokrovsk: Municipality, pokrov: Municipality
) -> dict[str, Any]:
    """One report per state the actions start from; department A's carry an internal note."""
    moderator, worker_a = users["moderator"], users["worker_a"]
    zhkg = pokrovsk.departments.get(code="zhkg")
    arch = pokrovsk.departments.get(code="arch")

    new = _private("novel", title="Нове звернення", photos=[jpeg()])
    new.comment(moderator, note("novel"), public=False)
    routed_a = _private("alpha", title="Передано відділу А", photos=[jpeg()])
    routed_a.approve(moderator, zhkg)
    routed_a.comment(worker_a, note("alpha"), public=False)
    routed_b = _private("bravo", title="Передано відділу Б")
    routed_b.approve(moderator, arch)
    routed_b.comment(users["worker_b"], note("bravo"), public=False)
    progress_a = _private("alpha", title="В роботі у відділі А", photos=[jpeg()])
    progress_a.hide_photo(moderator, progress_a.photos.get())
    progress_a.approve(moderator, zhkg)
    progress_a.accept(worker_a)
    progress_a.comment(worker_a, note("alpha"), public=False)
    resolved_a = _private("alpha", title="Вирішено відділом А", user=users["resident"])
    disputed_a = _private("alpha", title="Оскаржено")
    for report in (resolved_a, disputed_a):
        report.approve(moderator, zhkg)
        report.accept(worker_a)
        report.resolve(worker_a, "Відремонтовано.")
    disputed_a.dispute(disputed_a.tracking_code, "Нічого не зроблено.")
    centre = pokrov.centre
    new_other = _private(
        "oscar", title="Нове в іншій громаді", lat=centre.y, lon=centre.x, photos=[jpeg()]
    )

    key = ApiKey(name="Matrix client")
    api_key = key.issue()
    key.save()
    filed_by_key = Open311Request.objects.create(report=new, api_key=key)
    return {
        "new": new.pk,
        "routed_a": routed_a.pk,
        "routed_b": routed_b.pk,
        "progress_a": progress_a.pk,
        "resolved_a": resolved_a.pk,
        "disputed_a": disputed_a.pk,
        "new_other": new_other.pk,
        "photo": new.photos.get().pk,
        "photo_name": new.photos.get().image.name,
        # A public photo, one hidden by the moderator, and another hromada's in moderation.
        "photo_public": routed_a.photos.get().pk,
        "photo_public_name": routed_a.photos.get().thumbnail.name,
        "photo_hidden": progress_a.photos.get().pk,
        "photo_hidden_name": progress_a.photos.get().image.name,
        "photo_other": new_other.photos.get().pk,
        "tracking_routed_a": routed_a.tracking_code,
        "tracking_resolved_a": resolved_a.tracking_code,
        # A follower's link (the reporter's own would show the reporter's address).
        "follow_token": routed_a.follow(None, "follower.5150@example.org").token,
        "open311_token": filed_by_key.token,
        "api_key": api_key,
        "zhkg": zhkg.pk,
        "worker_a_id": worker_a.pk,
        "category": routed_a.category_id,
        "other_department": pokrov.departments.order_by("pk").first().pk,  # type: ignore[union-attr]
        "other_category": new_other.category_id,
    }


def _kiosk(pokrovsk: Municipality) -> TemporaryStructure:
    return TemporaryStructure.objects.create(
        municipality=pokrovsk,
        geometry=Point(pokrovsk.centre.x, pokrovsk.centre.y, srid=4326),
        passport_number="МАФ-2026-777",
        permit_valid_from=date(2026, 1, 10),
        permit_valid_to=date(2027, 1, 10),
        kind=TemporaryStructure.Kind.KIOSK,
        address="вул. Центральна, 7",
    )


def _hromada_objects(hromada: Municipality, key: str, prefix: str) -> dict[str, Any]:
    """A hromada's land plot (its user a private person), its kiosk and layer passport, and
    the versions of them that history keeps: the objects every object-bearing URL is asked
    about, for the hromada of the cast and for the other one."""
    centre = hromada.centre
    plot = LandPlot.objects.create(
        municipality=hromada, geometry=square(centre.x, centre.y), area_ha=Decimal("0.8250"),
        cadastral_number=f"1412600000:01:001:{key}", purpose_code="02.01",
        user_name=PLOT_USERS["lima" if prefix == "" else "papa"],
    )  # fmt: skip
    kiosk = _kiosk(hromada)
    passport = LayerPassport.for_layer(hromada.pk, "land")
    run = ImportRun.objects.create(
        municipality=hromada, layer="land", entry=ImportRun.Entry.COMMAND,
        file_name=f"{prefix}plots.gpkg", file_sha256="0" * 64, file_size=1,
        status=ImportRun.Status.WRITTEN, report={"rows": [["warning", 1, "purpose_code", "x"]]},
    )  # fmt: skip
    return {
        f"{prefix}run": run.pk,
        f"{prefix}plot": plot.pk,
        f"{prefix}plot_version": plot.history.latest().history_id,
        f"{prefix}kiosk": kiosk.pk,
        f"{prefix}kiosk_version": kiosk.history.latest().history_id,
        f"{prefix}passport": passport.pk,
        f"{prefix}hromada": hromada.pk,
    }


def _alerts_and_updates(resident: Any, pokrovsk: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The cast's resident's area alert, another resident's, and residents' updates waiting
    for moderation on a routed report of Pokrovsk and on the other hromada's new one."""
    from geoportal.reports.models import ReportUpdate
    from geoportal.residents.models import Alert

    own = Alert.objects.create(
        resident=resident.resident, municipality=pokrovsk, area="hromada", frequency="immediate"
    )
    neighbour = make_user("neighbour_resident")
    theirs = Alert.objects.create(
        resident=Resident.objects.create(user=neighbour, email="neighbour.5150@example.org"),
        municipality=pokrovsk,
        area="hromada",
        frequency="daily",
    )
    update = ReportUpdate.objects.create(report_id=values["routed_a"], author=resident, text="Є")
    other = ReportUpdate.objects.create(report_id=values["new_other"], author=resident, text="Є")
    return {
        "alert": own.pk,
        "alert_token": own.token,
        "alert_other": theirs.pk,
        "update": update.pk,
        "update_other": other.pk,
    }


def _permits(users: dict[str, User], pokrovsk: Any, pokrov: Any) -> dict[str, Any]:
    """Permit applications: Pokrovsk's submitted one (with a PDF), a granted one, a natural
    person's under review and one the cast's resident sent, and Pokrov's with its PDF; the
    permit department is each hromada's arch (worker_b's)."""
    from django.core.files.base import ContentFile

    from geoportal.permits.models import ApplicationDocument
    from tests.frontend.permit_cases import file_application, walk

    def applicant(group: str) -> dict[str, Any]:
        name, email, phone = PERMIT_APPLICANTS[group]
        return {"applicant_name": name, "applicant_email": email, "applicant_phone": phone}

    def pdf(application: Any) -> int:
        data = b"%PDF-1.4\n%%EOF\n"
        return ApplicationDocument.objects.create(
            application=application, kind="site_scheme", content_type="application/pdf",
            file=ContentFile(data, name="scheme.pdf"), size=len(data),
        ).pk  # fmt: skip

    submitted = file_application(pokrovsk, **applicant("quebec"))
    # A natural person's application under review: in the public register and on the map,
    # its applicant never named there.
    person = walk(file_application(pokrovsk, offset_m=80, applicant_kind="person",
                                   organisation_name="", edrpou="", **applicant("quebec")),
                  users["worker_b"], "under_review")  # fmt: skip
    granted = walk(file_application(pokrovsk, offset_m=40, **applicant("quebec")),
                   users["worker_b"], "granted")  # fmt: skip
    other = file_application(pokrov, **applicant("romeo"))
    # Sent by the cast's resident from their account (My applications lists it).
    own = file_application(pokrovsk, offset_m=80, applicant_user=users["resident"],
                           **applicant("quebec"))  # fmt: skip
    return {
        "permit": submitted.pk,
        "permit_code": submitted.tracking_code,
        "permit_granted_code": granted.tracking_code,
        "permit_own_code": own.tracking_code,
        "permit_version": submitted.version,
        "permit_document": pdf(submitted),
        "permit_granted": granted.pk,
        "permit_granted_version": granted.version,
        "permit_other": other.pk,
        "permit_other_version": other.version,
        "permit_other_document": pdf(other),
        "permit_person": person.pk,
    }


def build_world() -> World:
    """The cast, its reports and the layers' objects, with a session of each role; written
    in whatever transaction the caller holds (committed at once in a transactional test,
    which a live server needs to see them)."""
    # django_db_setup has switched to the test database; never the developer's.
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict
    pokrovsk, pokrov = load_hromada("pokrovsk"), load_hromada("pokrov")
    users = _cast(pokrovsk)
    found = World(users=users, values=_reports(users, pokrovsk, pokrov))
    found.values.update(_hromada_objects(pokrovsk, "0001", ""))
    found.values.update(_hromada_objects(pokrov, "0002", "other_"))
    # A two-factor device of someone outside the cast: a role's own would sign its
    # session out (it was not verified with a code).
    owner = make_user("totp_owner", pokrovsk, is_staff=True)
    found.values["totp_device"] = TOTPDevice.objects.create(user=owner, confirmed=True).pk
    today = date.today()
    found.values["in_a_week"] = (today + timedelta(days=7)).isoformat()
    # After the 15-day answer deadline, before the 45-day ceiling.
    found.values["in_30_days"] = (today + timedelta(days=30)).isoformat()
    found.values["resident_id"] = users["resident"].pk
    # The cast's resident has a resident's account, and a sign-in link waits for it.
    resident = users["resident"]
    Resident.objects.create(user=resident, email=resident.email)
    found.values["signin_token"] = SignInLink.issue(resident.email)[1]
    found.values["other_slug"] = pokrov.slug
    found.values.update(_alerts_and_updates(resident, pokrovsk, found.values))
    found.values.update(_permits(users, pokrovsk, pokrov))
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        found.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return found


@pytest.fixture(scope="module")
def world(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    media: Path = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def undone(world: World) -> Iterator[None]:
    """The test in a savepoint of the module's transaction, rolled back after it (lighter than
    pytest-django's `db`, which sets up a test case per test)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
