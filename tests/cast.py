"""The named cast every test can use: hromadas from the shipped reference data and
one person per role of PROCEDURE.md (two departments' workers and a head)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from psycopg.conninfo import make_conninfo

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Department, DepartmentMembership, Municipality
from geoportal.municipalities.reference import load_reference_file

REFERENCE = Path(settings.BASE_DIR) / "data" / "reference"
TEST_DATA = Path(__file__).parent / "data"


def conninfo(name: str | None = None) -> str:
    """libpq connection string of the test database, or of another on the same server."""
    config = settings.DATABASES["default"]
    return make_conninfo(dbname=name or config["NAME"], user=config["USER"],
                         password=config["PASSWORD"], host=config["HOST"],
                         port=str(config["PORT"]))  # fmt: skip


def database_url(name: str | None = None) -> str:
    """DATABASE_URL of the test database (or another), for a worker or command process."""
    config = settings.DATABASES["default"]
    return (f"postgis://{config['USER']}:{config['PASSWORD']}@{config['HOST']}:"
            f"{config['PORT']}/{name or config['NAME']}")  # fmt: skip


# The team's shared material the tests read, copied in (tests/data/shared/README.md).
SHARED = TEST_DATA / "shared"
PASSWORD = "a-long-test-password-41"


def load_hromada(slug: str) -> Municipality:
    load_reference_file(REFERENCE / f"{slug}.json", log=lambda _msg: None)
    return Municipality.objects.get(slug=slug)


def make_user(username: str, municipality: Municipality | None = None, **extra: object) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@test.example.org",
        municipality=municipality,
        **extra,
    )
    return user


def give_role(user: User, role: Role) -> User:
    user.groups.add(Group.objects.get(name=role.value))
    return user


def join(user: User, department: Department, role: str) -> User:
    DepartmentMembership.objects.create(user=user, department=department, role=role)
    return user


@pytest.fixture
def pokrovsk(db: None) -> Municipality:
    return load_hromada("pokrovsk")


@pytest.fixture
def pokrov(db: None) -> Municipality:
    return load_hromada("pokrov")


@pytest.fixture
def zhkg(pokrovsk: Municipality) -> Department:
    return pokrovsk.departments.get(code="zhkg")


@pytest.fixture
def arch(pokrovsk: Municipality) -> Department:
    return pokrovsk.departments.get(code="arch")


@pytest.fixture
def resident(db: None) -> User:
    return make_user("resident_olha")


@pytest.fixture
def moderator(pokrovsk: Municipality) -> User:
    return give_role(make_user("moderator_oksana", pokrovsk, is_staff=True), Role.MODERATOR)


@pytest.fixture
def worker_zhkg(zhkg: Department) -> User:
    return join(make_user("worker_ivan", zhkg.municipality, is_staff=True), zhkg, "worker")


@pytest.fixture
def head_zhkg(zhkg: Department) -> User:
    return join(make_user("head_petro", zhkg.municipality, is_staff=True), zhkg, "head")


@pytest.fixture
def worker_arch(arch: Department) -> User:
    return join(make_user("worker_maria", arch.municipality, is_staff=True), arch, "worker")


@pytest.fixture
def planner(pokrovsk: Municipality) -> User:
    return give_role(make_user("planner_andrii", pokrovsk, is_staff=True), Role.PLANNING_EDITOR)


@pytest.fixture
def coordinator(pokrovsk: Municipality) -> User:
    return give_role(make_user("coordinator_natalia", pokrovsk, is_staff=True), Role.COORDINATOR)


@pytest.fixture
def admin_user(db: None) -> User:
    return User.objects.create_superuser("admin_root", "admin@test.example.org", PASSWORD)
