"""Every import is an ImportRun: who, when, which file (SHA-256), with what options, what it
counted and its report; the history rows it writes name it; a whole run can be undone."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Municipality
from layers.models import ImportRun, LandPlot
from tests.cast import give_role, load_hromada, make_user
from tests.layers.test_import_fidelity import cadastre_shapefile

pytestmark = pytest.mark.django_db


def run(path: Path, *more: str, user: str = "planner_andrii") -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("import_layer", "land", str(path), "--municipality", "pokrovsk",
                     "--user", user, *more, stdout=out, stderr=StringIO())  # fmt: skip
    return out.getvalue()


@pytest.fixture
def planner_andrii(pokrovsk: Municipality) -> User:
    return give_role(make_user("planner_andrii", pokrovsk, is_staff=True), Role.PLANNING_EDITOR)


def test_a_command_import_is_kept_as_a_run(planner_andrii: User, tmp_path: Path):
    path = cadastre_shapefile(tmp_path / "in", ["02.01", "Код не виокремлено"])
    run(path, "--srid", "5565")
    (kept,) = ImportRun.objects.all()
    assert (kept.user, kept.entry, kept.status, kept.file_name) == (
        planner_andrii,
        "command",
        "written",
        "plots.shp",
    )
    assert kept.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert kept.file_size == path.stat().st_size
    assert kept.options["srid"] == "5565" and kept.options["update_existing"] is False
    assert (kept.total, kept.created, kept.updated, kept.warning_count) == (2, 2, 0, 1)
    assert kept.report["columns"]["purpose_code"] == "purpose_co"
    assert kept.report["rows"][0][:3] == ["warning", 2, "purpose_code"]
    records = LandPlot.history.all()
    assert {(r.history_change_reason, r.history_user_id) for r in records} == {
        (f"import run {kept.pk}", planner_andrii.pk)
    }


def test_an_upload_is_kept_as_a_run_of_the_uploader(
    client: Client, planner_andrii: User, pokrovsk: Municipality, tmp_path: Path
):
    path = cadastre_shapefile(tmp_path / "in", ["02.01"])
    from tests.archives import zipped

    delivery = zipped({p.name: p.read_bytes() for p in sorted(path.parent.iterdir())})
    client.force_login(planner_andrii)
    with translation.override(translation.get_language()):
        client.post("/en/admin/layers/layerpassport/import/", {
            "layer": "land", "municipality": pokrovsk.pk, "dry_run": "on",
            "file": SimpleUploadedFile("delivery.zip", delivery)})  # fmt: skip
    (kept,) = ImportRun.objects.all()
    assert (kept.user, kept.entry, kept.status, kept.file_name) == (
        planner_andrii,
        "page",
        "checked",
        "delivery.zip",
    )
    assert kept.file_sha256 == hashlib.sha256(delivery).hexdigest()


def _pokrov_planner() -> str:
    give_role(make_user("planner_of_pokrov", load_hromada("pokrov"), is_staff=True),
              Role.PLANNING_EDITOR)  # fmt: skip
    return "planner_of_pokrov"


def _moderator(pokrovsk: Municipality) -> str:
    give_role(make_user("moderator_m", pokrovsk, is_staff=True), Role.MODERATOR)
    return "moderator_m"


BAD_USERS = [
    ("no --user for a write", lambda p: None, "--user: name the person who imports"),
    ("nobody of that name", lambda p: "ghost", "--user 'ghost': no active user of that name"),
    ("a moderator", _moderator, "may not edit the land layer of pokrovsk"),
    ("another hromada's planner", lambda p: _pokrov_planner(),
     "may not edit the land layer of pokrovsk"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "who", "reason"), BAD_USERS, ids=[b[0] for b in BAD_USERS])
def test_the_command_names_a_person_who_may_import(
    pokrovsk: Municipality, tmp_path: Path, what: str, who: object, reason: str
):
    username = who(pokrovsk)  # type: ignore[operator]
    path = cadastre_shapefile(tmp_path / "in", ["02.01"])
    arguments = ["land", str(path), "--municipality", "pokrovsk"]
    if username:
        arguments += ["--user", username]
    with pytest.raises(CommandError, match=reason.replace("(", r"\(")):
        call_command("import_layer", *arguments, stdout=StringIO(), stderr=StringIO())
    assert not LandPlot.objects.exists() and not ImportRun.objects.exists()


def test_a_check_needs_no_person(pokrovsk: Municipality, tmp_path: Path):
    out = StringIO()
    path = cadastre_shapefile(tmp_path / "in", ["02.01"])
    call_command("import_layer", "land", str(path), "--municipality", "pokrovsk", "--dry-run",
                 stdout=out, stderr=StringIO())  # fmt: skip
    assert ImportRun.objects.get().status == "checked" and not LandPlot.objects.exists()


def test_a_whole_run_is_undone(planner_andrii: User, tmp_path: Path):
    run(cadastre_shapefile(tmp_path / "first", ["02.01", "03.07"]))
    first = ImportRun.objects.get()
    run(cadastre_shapefile(tmp_path / "second", ["02.01", "03.10"]), "--update-existing")
    second = ImportRun.objects.exclude(pk=first.pk).get()
    assert (second.updated, second.unchanged) == (1, 1)

    result = second.revert(planner_andrii)
    assert (result.deleted, result.restored) == (0, 1)
    codes = sorted(LandPlot.objects.values_list("purpose_code", flat=True))
    assert codes == ["02.01", "03.07"]  # as the first run left them
    second.refresh_from_db()
    assert second.status == "reverted" and second.reverted_by == planner_andrii
    result = first.revert(planner_andrii)
    assert (result.deleted, LandPlot.objects.count()) == (2, 0)
    reasons = set(LandPlot.history.values_list("history_change_reason", flat=True))
    assert {f"revert of import run {first.pk}", f"revert of import run {second.pk}"} <= reasons


def test_a_run_whose_feature_was_edited_since_is_not_undone(planner_andrii: User, tmp_path: Path):
    run(cadastre_shapefile(tmp_path / "first", ["02.01"]))
    kept = ImportRun.objects.get()
    plot = LandPlot.objects.get()
    plot.purpose_text = "Змінено вручну"
    plot._history_user = planner_andrii  # type: ignore[attr-defined]
    plot.save()
    from django.core.exceptions import ValidationError

    with (
        translation.override("en"),
        pytest.raises(
            ValidationError, match="Changed again after this run: 1412600000:01:001:0001"
        ),
    ):
        kept.revert(planner_andrii)
    assert LandPlot.objects.get().purpose_text == "Змінено вручну"
    kept.refresh_from_db()
    assert kept.status == "written"


def test_the_history_links_each_row_to_its_run_and_the_admin_undoes_it(
    client: Client, planner_andrii: User, tmp_path: Path
):
    run(cadastre_shapefile(tmp_path / "first", ["02.01"]))
    kept = ImportRun.objects.get()
    plot = LandPlot.objects.get()
    client.force_login(planner_andrii)
    history = client.get(f"/en/admin/layers/landplot/{plot.pk}/history/").content.decode()
    assert f'href="/en/admin/layers/importrun/{kept.pk}/change/"' in history
    page = client.get(f"/en/admin/layers/importrun/{kept.pk}/change/").content.decode()
    assert "purpose_code ← purpose_co" in page and kept.file_sha256 in page
    answer = client.post(f"/en/admin/layers/importrun/{kept.pk}/revert/")
    assert answer.status_code == 302
    assert not LandPlot.objects.exists()
