"""The applicants' side of e-permits (frontend/permits): the procedures page, the sign-in
that leads back to the form, the form and the pre-check API refusing bad input field by
field (and storing nothing), the tracking page by its code alone, My applications, and a
person's contacts kept off every page (the applicant's actions: test_permit_track.py)."""

from __future__ import annotations

import json
import re
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client

from geoportal.permits.models import Application, ApplicationDocument, PermitSettings
from geoportal.permits.states import Kind, State
from tests.frontend.permit_cases import corners, form_of, resident_client, sent, walk
from tests.permits.conftest import CENTRE, near, pdf, png
from tests.residents.conftest import link_path

pytestmark = pytest.mark.django_db

PERSON = {"name": "Марія Приватна", "email": "maria.private.7731@example.org",
          "phone": "+380677731773"}  # fmt: skip


def stored_files(media: Path) -> list[Path]:
    folder = media / "permits"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# -- the procedures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "words"),
    [("", ("Літній майданчик", "Постанова Кабінету Міністрів України № 2067", "Реєстрація")),
     ("/en", ("Summer terrace", "Resolution of the Cabinet of Ministers of Ukraine No. 2067",
              "Registration"))],
    ids=["uk", "en"],
)  # fmt: skip
def test_the_procedures_page_shows_each_kind_with_the_hromadas_terms_and_sources(
    client: Client, pokrovsk: Any, prefix: str, words: tuple[str, ...]
) -> None:
    # The hromada's own setting, not the default, is what the page says.
    settings = PermitSettings.for_(pokrovsk, Kind.MAF)
    settings.check_working_days = 7
    settings.save()
    answer = client.get(f"{prefix}/permits/")
    assert answer.status_code == 200
    text = answer.content.decode()
    for word in words:
        assert word in text
    for kind in Kind:
        assert f"{prefix}/permits/apply/{kind.value}/?municipality=pokrovsk" in text
    maf = text[text.index('id="procedure-maf"') : text.index('id="procedure-terrace"')]
    assert re.search(r"<td[^>]*>7</td>", maf), "the hromada's check term"
    assert ("7 робочих днів" if prefix == "" else "7 working days") in maf


# -- signing in and back -----------------------------------------------------------------------


def test_an_anonymous_applicant_signs_in_by_mail_and_comes_back_to_the_form(
    pokrovsk: Any,
) -> None:
    client = Client()
    first = client.get("/permits/apply/terrace/?municipality=pokrovsk")
    assert first.status_code == 302
    where = urlsplit(first["Location"])
    assert where.path == "/residents/sign-in/"
    back = parse_qs(where.query)["next"][0]
    assert back == "/permits/apply/terrace/?municipality=pokrovsk"
    page = client.get(first["Location"])
    assert f'name="next" value="{back}"'.replace("&", "&amp;") in page.content.decode()
    mail.outbox.clear()
    assert client.post("/residents/sign-in/", {"email": "new.cafe@example.org",
                                               "next": back}).status_code == 302  # fmt: skip
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/residents/sign-in/\S+", str(message.body))
    assert link is not None
    opened = urlsplit(link.group(0))
    assert parse_qs(opened.query)["next"] == [back]
    answer = client.post(f"{opened.path}?{opened.query}")
    assert answer.status_code == 302 and answer["Location"] == back
    form = client.get(back)
    assert form.status_code == 200
    assert 'value="new.cafe@example.org"' in form.content.decode()  # the account's address


@pytest.mark.parametrize(
    "unsafe",
    ["//evil.example/permits/", "https://evil.example/", "/\\evil.example", "x" * 20,
     "/permits/\r\nSet-Cookie: a=b", "/" + "p" * 400],
)  # fmt: skip
def test_the_sign_in_link_never_leads_off_the_site(pokrovsk: Any, unsafe: str) -> None:
    client = Client()
    mail.outbox.clear()
    client.post("/residents/sign-in/", {"email": "someone@example.org", "next": unsafe})
    (message,) = mail.outbox
    assert "next=" not in str(message.body)
    answer = client.post(f"{link_path(message)}?{urlencode({'next': unsafe})}")
    assert answer["Location"] == "/residents/reports/"


def test_staff_get_no_form_and_an_unknown_kind_is_not_found(
    pokrovsk: Any, worker_arch: Any
) -> None:
    staff = Client()
    staff.force_login(worker_arch)
    assert staff.get("/permits/apply/maf/").status_code == 403
    assert Client().get("/permits/apply/castle/").status_code == 404
    assert staff.get("/permits/mine/").status_code == 403


# -- the form ------------------------------------------------------------------------------------


def test_a_terrace_sent_through_the_form_lands_on_its_tracking_page(
    pokrovsk: Any, media: Path
) -> None:
    client, user = resident_client()
    answer = client.post("/permits/apply/terrace/", form_of())
    assert answer.status_code == 302, answer.content.decode()[:2000]
    application = Application.objects.get()
    assert answer["Location"] == f"/permits/a/{application.tracking_code}/"
    assert application.applicant_user == user
    assert application.kind == Kind.TERRACE and application.state == State.SUBMITTED
    assert application.structure_type == "terrace"
    assert application.site.geom_type == "Point"
    assert application.season_to == date(2031, 9, 30)
    assert application.precheck and application.precheck_level
    assert application.documents.get().content_type == "application/pdf"
    assert len(stored_files(media)) == 1
    page = client.get(answer["Location"])
    assert application.number in page.content.decode()


def test_a_footprint_drawn_as_corners_is_stored_as_a_polygon(pokrovsk: Any) -> None:
    client, _user = resident_client()
    site = corners(near(40), near(46), near(46, 5), near(40, 5))
    answer = client.post("/permits/apply/maf/", form_of(Kind.MAF, site=site))
    assert answer.status_code == 302
    assert Application.objects.get().site.geom_type == "Polygon"


# (case, kind, changes to the whole form, the field named, words of the reason)
BAD_FORMS: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("no hromada", Kind.TERRACE, {"municipality": "atlantis"}, "municipality", "hromada"),
    ("neither person nor business", Kind.TERRACE, {"applicant_kind": None}, "applicant_kind",
     "required"),
    ("a business without its name", Kind.TERRACE, {"organisation_name": ""},
     "organisation_name", "required"),
    ("a business without ЄДРПОУ", Kind.TERRACE, {"edrpou": ""}, "edrpou", "required"),
    ("ЄДРПОУ of 7 digits", Kind.TERRACE, {"edrpou": "4123456"}, "edrpou", "8 digits"),
    ("ЄДРПОУ with letters", Kind.MAF, {"edrpou": "4123456A"}, "edrpou", "8 digits"),
    ("no contact name", Kind.TERRACE, {"applicant_name": ""}, "applicant_name", "required"),
    ("a terminal escape in the name", Kind.TERRACE, {"applicant_name": "Олена\x1b[2J"},
     "applicant_name", "control character"),
    ("not an e-mail", Kind.TERRACE, {"applicant_email": "olena at cafe"}, "applicant_email",
     "valid email"),
    ("a phone of words", Kind.TERRACE, {"applicant_phone": "call me"}, "applicant_phone",
     "digits"),
    ("no site", Kind.TERRACE, {"site": ""}, "site", "required"),
    ("a latitude of 1000", Kind.TERRACE, {"site": "1000, 37.17"}, "site", "Line 1"),
    ("two corners", Kind.MAF, {"site": corners(near(0), near(10))}, "site", "three corners"),
    ("a bow-tie footprint", Kind.MAF,
     {"site": corners(near(0), near(10, 10), near(10), near(0, 10))}, "site", "not a valid"),
    ("an advertising footprint", Kind.ADVERTISING,
     {"site": corners(near(0), near(10), near(10, 10))}, "site", "is a point"),
    ("no address", Kind.TERRACE, {"address": ""}, "address", "required"),
    ("no area", Kind.TERRACE, {"area_m2": ""}, "area_m2", "required"),
    ("a negative area", Kind.MAF, {"area_m2": "-3"}, "area_m2", "greater than or equal"),
    ("an area of words", Kind.MAF, {"area_m2": "big"}, "area_m2", "number"),
    ("an unknown specialisation", Kind.TERRACE, {"specialisation": "weapons"},
     "specialisation", "valid choice"),
    ("no specialisation", Kind.MAF, {"specialisation": ""}, "specialisation", "required"),
    ("a terrace as a МАФ type", Kind.MAF, {"structure_type": "terrace"}, "structure_type",
     "valid choice"),
    ("no type of structure", Kind.ADVERTISING, {"structure_type": ""}, "structure_type",
     "required"),
    ("no width", Kind.ADVERTISING, {"width_m": ""}, "width_m", "required"),
    ("no period start", Kind.MAF, {"requested_from": ""}, "requested_from", "required"),
    ("an end before the start", Kind.MAF, {"requested_to": "2031-04-01"}, "requested_to",
     "precede"),
    ("no season start", Kind.TERRACE, {"season_from": ""}, "season_from", "required"),
    ("a season ending before it starts", Kind.TERRACE, {"season_to": "2031-04-30"},
     "season_to", "precede"),
    ("a date that is none", Kind.TERRACE, {"season_from": "2031-02-30"}, "season_from",
     "valid date"),
    ("no documents", Kind.TERRACE, {"doc_site_scheme": None}, "documents", "site scheme"),
    ("a Word file", Kind.TERRACE,
     {"doc_site_scheme": ContentFile(b"PK\x03\x04word", name="scheme.docx")}, "documents",
     "scheme.docx: send a PDF, JPEG or PNG"),
    ("a PDF with a script", Kind.TERRACE,
     {"doc_site_scheme": pdf(body=b"<< /S /JavaScript /JS (app.alert(1)) >>\n")}, "documents",
     "scripts"),
    ("a PNG named .pdf", Kind.TERRACE, {"doc_site_scheme": png(name="scheme.pdf")},
     "documents", "really PNG"),
    ("an empty file", Kind.TERRACE, {"doc_site_scheme": ContentFile(b"", name="empty.pdf")},
     "doc_site_scheme", "empty"),
    ("eleven documents", Kind.TERRACE,
     {"doc_site_scheme": [pdf(name=f"{n}.pdf") for n in range(11)]}, "documents",
     "At most 10"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "kind", "changes", "field", "reason"), BAD_FORMS, ids=[c[0] for c in BAD_FORMS]
)
def test_bad_input_is_named_on_its_field_keeps_what_was_typed_and_stores_nothing(
    pokrovsk: Any, media: Path, case: str, kind: str, changes: dict[str, Any], field: str,
    reason: str,
) -> None:  # fmt: skip
    client, _user = resident_client()
    answer = client.post(f"/en/permits/apply/{kind}/", form_of(kind, **changes))
    assert answer.status_code == 400, case
    html = answer.content.decode()
    error = re.search(rf'<p class="field-error" id="error-{field}">(.*?)</p>', html, re.S)
    assert error is not None and reason in error.group(1).replace("&#x27;", "'"), (
        f"{case}: {field} should say {reason!r}: {error.group(1) if error else html[:3000]}"
    )
    assert 'id="form-errors"' in html  # the summary names it too
    # Nothing typed is lost (the files must be chosen again, and the page says so).
    assert "Олена" in html or field == "applicant_name"
    assert "вул. Центральна, 12" in html or field == "address"
    assert "choose the documents again" in html
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(media) == []


# -- the pre-check API ---------------------------------------------------------------------------


def precheck(client: Client, body: dict[str, Any], language: str = "en") -> Any:
    return client.post("/api/v1/permits/precheck/", json.dumps(body),
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)  # fmt: skip


def point(lon: float = CENTRE.x, lat: float = CENTRE.y) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


GOOD = {"kind": "terrace", "municipality": "pokrovsk", "site": point(), "area_m2": 24}
BAD_PRECHECKS: list[tuple[str, dict[str, Any], str, str]] = [
    ("no kind", {"kind": None}, "kind", "required"),
    ("an unknown kind", {"kind": "castle"}, "kind", "valid choice"),
    ("no hromada", {"municipality": None}, "municipality", "required"),
    ("an unknown hromada", {"municipality": "atlantis"}, "municipality", "atlantis"),
    ("no site", {"site": None}, "site", "required"),
    ("a site of text", {"site": "48.27, 37.17"}, "site", "GeoJSON Point or Polygon"),
    ("a line", {"site": {"type": "LineString", "coordinates": [[37.1, 48.2], [37.2, 48.3]]}},
     "site", "GeoJSON Point or Polygon"),
    ("a longitude of 200", {"site": point(200)}, "site", "[longitude, latitude]"),
    ("coordinates as text", {"site": {"type": "Point", "coordinates": "37,48"}}, "site",
     "[longitude, latitude]"),
    ("coordinates as booleans", {"site": {"type": "Point", "coordinates": [True, False]}},
     "site", "[longitude, latitude]"),
    ("a footprint with a hole", {"site": {"type": "Polygon", "coordinates": [
        [[37.17, 48.27], [37.18, 48.27], [37.18, 48.28], [37.17, 48.27]],
        [[37.171, 48.271], [37.172, 48.271], [37.172, 48.272], [37.171, 48.271]]]}},
     "site", "without holes"),
    ("two corners", {"site": {"type": "Polygon", "coordinates": [
        [[37.17, 48.27], [37.18, 48.27], [37.17, 48.27]]]}}, "site", "three corners"),
    ("a thousand corners", {"site": {"type": "Polygon", "coordinates": [
        [[37.17 + n / 1e5, 48.27 + (n % 2) / 1e5] for n in range(1000)]]}}, "site",
     "At most 100"),
    ("an advertising footprint", {"kind": "advertising", "site": {"type": "Polygon",
     "coordinates": [[[37.17, 48.27], [37.18, 48.27], [37.18, 48.28], [37.17, 48.27]]]}},
     "site", "is a point"),
    ("a negative area", {"area_m2": -1}, "area_m2", "greater than or equal"),
    ("an area of words", {"area_m2": "big"}, "area_m2", "valid number"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "changes", "field", "reason"), BAD_PRECHECKS, ids=[c[0] for c in BAD_PRECHECKS]
)
def test_the_precheck_api_names_the_bad_field_and_stores_nothing(
    client: Client, pokrovsk: Any, case: str, changes: dict[str, Any], field: str, reason: str
) -> None:
    body = {k: v for k, v in (GOOD | changes).items() if v is not None}
    answer = precheck(client, body)
    assert answer.status_code == 400, (case, answer.content[:300])
    named = " ".join(str(m) for m in answer.json()[field])
    assert reason in named, (case, named)
    assert not Application.objects.exists()


def test_the_precheck_warns_of_a_maf_12_m_away_in_the_readers_language(
    client: Client, pokrovsk: Any
) -> None:
    from tests.permits.test_precheck import kiosk_at

    settings = PermitSettings.for_(pokrovsk, Kind.TERRACE)
    settings.min_distance_m = 20  # the hromada's own rule (the default has none)
    settings.save()
    kiosk = kiosk_at(pokrovsk, near(12))
    answer = precheck(client, GOOD)
    assert answer.status_code == 200
    body = answer.json()
    assert body["level"] == "warning"
    close = next(f for f in body["findings"] if f["code"] == "too_close")
    assert close["level"] == "warning"
    assert close["details"]["number"] == kiosk.passport_number
    assert 11 <= float(close["details"]["distance"]) <= 13
    assert "m away; the minimum is 20 m" in close["message"]
    ukrainian = precheck(client, GOOD, "uk").json()
    assert (
        "мінімум" in next(f for f in ukrainian["findings"] if f["code"] == "too_close")["message"]
    )
    outside = precheck(client, GOOD | {"site": point(30.52, 50.45)}).json()
    assert outside == {"level": "blocker", "findings": [
        {"code": "outside_hromada", "level": "blocker", "message": outside["findings"][0][
            "message"], "details": {}}]}  # fmt: skip


# -- the tracking page ---------------------------------------------------------------------------


def test_the_tracking_page_shows_the_steps_the_precheck_and_the_history(
    pokrovsk: Any,
) -> None:
    _client, application = sent()
    page = Client().get(f"/en/permits/a/{application.tracking_code}/")  # anyone with the code
    assert page.status_code == 200
    text = page.content.decode()
    assert application.number in text and "Summer terrace" in text
    assert "Submitted, awaiting registration" in text
    assert application.due_at is not None
    assert re.search(r"Registration</strong> \(1 working day\):\s+in progress, due by", text)
    assert "The site is inside the hromada." in text  # findings, told from their codes
    assert "Withdraw" in text and "Report the installation" not in text
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_a_wrong_or_another_code_is_not_found(pokrovsk: Any) -> None:
    owner, application = sent()
    stranger, _user = resident_client("stranger@example.org")
    wrong = application.tracking_code[:-1] + ("A" if application.tracking_code[-1] != "A" else "B")
    for client in (owner, stranger, Client()):
        assert client.get(f"/permits/a/{wrong}/").status_code == 404
        assert client.post(f"/permits/a/{wrong}/withdraw/").status_code == 404
        assert client.post(f"/permits/a/{wrong}/installation/").status_code == 404
    # Another resident's list does not show it; the owner's does.
    assert application.number not in stranger.get("/permits/mine/").content.decode()
    assert application.number in owner.get("/permits/mine/").content.decode()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_a_persons_name_email_and_phone_appear_on_no_public_page(
    pokrovsk: Any, worker_arch: Any
) -> None:
    """A natural person applies for a МАФ; its tracking page, the procedures page, the
    granted structure in the public layer and the applicant's list never show their
    contacts (the list shows the account's own address, which is theirs)."""
    client, application = sent(
        Kind.MAF, applicant_kind="person", applicant_name=PERSON["name"],
        applicant_email=PERSON["email"], applicant_phone=PERSON["phone"],
    )  # fmt: skip
    assert application.applicant_name == PERSON["name"] and application.organisation_name == ""
    walk(application, worker_arch, "granted")
    code = application.tracking_code
    pages = [Client().get(path).content.decode()
             for path in (f"/permits/a/{code}/", f"/en/permits/a/{code}/", "/permits/",
                          f"/api/v1/layers/maf/?q={application.permit_number}")]  # fmt: skip
    pages.append(client.get("/permits/mine/").content.decode())
    for text in pages:
        for value in PERSON.values():
            assert value not in text
    assert application.permit_number in pages[0]


def test_my_applications_lists_only_the_accounts_own(pokrovsk: Any) -> None:
    owner, application = sent()
    _other, theirs = sent(Kind.MAF, email="kiosk.owner@example.org")
    listed = owner.get("/en/permits/mine/")
    assert listed.status_code == 200
    text = listed.content.decode()
    assert application.number in text and f"/permits/a/{application.tracking_code}/" in text
    assert theirs.number not in text and theirs.tracking_code not in text
    anonymous = Client().get("/permits/mine/")
    assert anonymous["Location"] == "/residents/sign-in/?next=%2Fpermits%2Fmine%2F"


def test_an_image_document_is_reencoded_without_its_location(pokrovsk: Any, media: Path) -> None:
    _client, application = sent(doc_site_scheme=None, doc_site_photo=png())
    document = application.documents.get()
    assert document.content_type == "image/jpeg"
    data = (media / str(document.file.name)).read_bytes()
    assert b"GPS" not in data and b"TestPhone" not in data
    assert BytesIO(data).read(3) == b"\xff\xd8\xff"
