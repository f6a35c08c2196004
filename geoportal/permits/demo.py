"""Demo permit applications of Pokrovsk, one or more in every state of the procedure.

Each is filed through the intake and moved by the model methods at moments in the past
(procedure.timebase.acting_at), as the applicant, the officer (worker_arch) and the head
(head_arch) would have done, so its events, clocks, numbers and layer features are the
ones the procedure gives. Documents are drawn here. Loading is idempotent: nothing is
filed when the hromada already has demo applications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

from django.contrib.gis.geos import Point, Polygon
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from geoportal.accounts.models import User
from geoportal.municipalities.models import Municipality
from geoportal.municipalities.working_days import KYIV
from geoportal.permits.clocks import run_clocks
from geoportal.permits.intake import submit_application
from geoportal.permits.models import Application, ApprovalTask
from geoportal.permits.states import Kind
from geoportal.procedure.timebase import acting_at

MUNICIPALITY = "pokrovsk"
OFFICER, HEAD = "worker_arch", "head_arch"
BUSINESSES = [
    ("ТОВ «Кава на розі»", "31245768"),
    ("ТОВ «Свіжий хліб Покровськ»", "40123587"),
    ("ТОВ «Рекламні площі Донеччини»", "38765412"),
    ("ФОП Шевчук О. В.", ""),
]


class DemoPermitsError(ValueError):
    """Something the demo needs is not loaded."""


def _picture(label: str) -> ContentFile[bytes]:
    image = Image.new("RGB", (800, 600), "#dfe7ef")
    pen = ImageDraw.Draw(image)
    pen.rectangle([200, 180, 600, 420], outline="#1d4e89", width=6)
    pen.text((220, 440), label, fill="#1d4e89")
    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"{label}.jpg")


def _scheme(label: str) -> ContentFile[bytes]:
    body = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return ContentFile(body, name=f"{label}.pdf")


def _site(centre: Point, dx_m: float, dy_m: float, side_m: float | None) -> Any:
    x, y = centre.x + dx_m / 74_000, centre.y + dy_m / 111_000
    if side_m is None:
        return Point(x, y, srid=4326)
    dx, dy = side_m / 74_000, side_m / 111_000
    return Polygon(((x, y), (x + dx, y), (x + dx, y + dy), (x, y + dy), (x, y)), srid=4326)


# (kind, structure type, offset east/north in metres, footprint side or None for a point,
#  address, business index, days ago filed, steps)
DEMO: list[tuple[str, str, float, float, float | None, str, int, int, list[str]]] = [
    (Kind.MAF, "kiosk", -420, 260, 3, "вул. Захисників України, 12", 1, 1, []),
    (Kind.TERRACE, "", 160, -120, 8, "пл. Шибанкова, 3", 0, 9, ["register"]),
    (Kind.ADVERTISING, "billboard", 520, 380, None, "просп. Шевченка, 40", 2, 20,
     ["register", "request_approval", "record_approval", "check"]),
    (Kind.MAF, "pavilion", -260, -340, 5, "вул. Торгова, 8", 1, 30,
     ["register", "check", "grant"]),
    (Kind.TERRACE, "", 240, 90, 6, "вул. Центральна, 21", 0, 60,
     ["register", "check", "grant", "report_installation"]),
    (Kind.ADVERTISING, "city_light", 600, -220, None, "вул. Добропільська, 5", 2, 25,
     ["register", "refuse_priority"]),
    (Kind.MAF, "kiosk", -520, 80, 3, "вул. Шкільна, 2", 3, 15, ["register", "withdraw"]),
    (Kind.ADVERTISING, "billboard", 700, 520, None, "просп. Шевченка, 88", 2, 500,
     ["register", "check", "grant_short", "report_installation"]),
    (Kind.MAF, "kiosk", -120, 480, 3, "вул. Поштова, 14", 3, 200,
     ["register", "check", "grant", "report_installation", "annul"]),
    (Kind.MAF, "kiosk", -640, -120, 3, "вул. Вокзальна, 1", 1, 300,
     ["register", "check", "grant", "report_installation", "annul", "remove"]),
]  # fmt: skip


def _people() -> tuple[User, User]:
    people = {u.username: u for u in User.objects.filter(username__in=[OFFICER, HEAD])}
    missing = {OFFICER, HEAD} - set(people)
    if missing:
        raise DemoPermitsError(f"Demo accounts {sorted(missing)} are missing: run load_demo.")
    return people[OFFICER], people[HEAD]


def _steps(
    application: Application, officer: User, head: User, moment: datetime
) -> dict[str, Callable[[], Any]]:
    today = moment.astimezone(KYIV).date()
    return {
        "register": lambda: application.register(officer),
        "request_approval": lambda: application.request_approval(
            officer, "road_authority", "Служба автомобільних доріг у Донецькій області", 10
        ),
        "record_approval": lambda: application.record_approval(
            officer,
            ApprovalTask.objects.filter(application=application).latest("pk"),
            "approved",
            "Погоджено за умови відступу 3 м від бровки",
        ),
        "check": lambda: application.complete_check(
            officer, "Місце відповідає плану зонування; відстані дотримано."
        ),
        "grant": lambda: application.grant(
            head, text="Рішення про видачу за результатами перевірки."
        ),
        "grant_short": lambda: application.grant(
            head,
            valid_from=today,
            valid_to=today + timedelta(days=365),
            text="Дозвіл на один рік.",
        ),
        "refuse_priority": lambda: application.refuse(
            officer,
            "priority_of_another",
            "На це місце вже зареєстровано заяву іншого розповсюджувача з пріоритетом.",
        ),
        "withdraw": lambda: application.withdraw(application.tracking_code, "Обрали інше місце."),
        "report_installation": lambda: application.report_installation(
            application.tracking_code, _picture(f"installed-{application.number}")
        ),
        "annul": lambda: application.annul(
            head, "Рішення виконавчого комітету № 118: порушення умов розміщення."
        ),
        "remove": lambda: application.remove(officer, "Споруду демонтовано власником."),
    }


def load_demo_permits(log: Callable[[str], object] = print) -> int:
    """File the demo applications unless the hromada has them; return how many."""
    municipality = Municipality.objects.filter(slug=MUNICIPALITY).first()
    if municipality is None:
        raise DemoPermitsError(f"Hromada {MUNICIPALITY!r} is not loaded.")
    if Application.objects.filter(municipality=municipality, is_demo=True).exists():
        return 0
    officer, head = _people()
    start = datetime.now(KYIV).replace(hour=9, minute=0, second=0, microsecond=0)
    filed = 0
    for index, (kind, structure, dx, dy, side, address, who, days_ago, steps) in enumerate(DEMO):
        name, code = BUSINESSES[who]
        moment = start - timedelta(days=days_ago)
        documents = [("site_scheme", _scheme(f"scheme-{index + 1}"))]
        if kind == Kind.ADVERTISING:
            documents = [("mockup", _picture(f"mockup-{index + 1}")), *documents]
        with transaction.atomic():
            with acting_at(moment):
                application = submit_application(
                    municipality=municipality,
                    kind=kind,
                    applicant_kind="business",
                    applicant_name=name if not code else "Уповноважена особа",
                    applicant_email=f"permits{index + 1}@demo.example.org",
                    organisation_name=name,
                    edrpou=code,
                    site=_site(municipality.centre, dx, dy, side),
                    address=address,
                    structure_type=structure,
                    area_m2=None if kind == Kind.ADVERTISING else (side or 3) ** 2,
                    width_m=6 if kind == Kind.ADVERTISING else None,
                    height_m=3 if kind == Kind.ADVERTISING else None,
                    specialisation="food" if kind == Kind.TERRACE else "trade",
                    season_from=date(moment.year, 4, 1) if kind == Kind.TERRACE else None,
                    season_to=date(moment.year + 1, 10, 31) if kind == Kind.TERRACE else None,
                    description="Демонстраційна заява.",
                    documents=documents,
                    is_demo=True,
                )
            for step in steps:
                moment += timedelta(days=2, hours=3)
                with acting_at(moment):
                    application.refresh_from_db()
                    _steps(application, officer, head, moment)[step]()
        application.refresh_from_db()
        filed += 1
        log(f"[{filed}/{len(DEMO)}] {application.number} {application.get_state_display()}")
    log(f"Permit clocks: {run_clocks()}")
    return filed
