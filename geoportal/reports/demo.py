"""Demo reports (data/demo/reports.json): filed and walked through the real actions.

Each report is filed through the intake and moved by the model methods at moments in
the past (timebase.acting_at), so its events, clocks and statistics are the ones the
procedure would give. Photos are drawn here with Pillow. Loading is idempotent: a
report whose key is there already is left as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from geoportal.accounts.models import User
from geoportal.municipalities.models import Department, Municipality
from geoportal.municipalities.working_days import KYIV
from geoportal.reports import timebase
from geoportal.reports.clocks import run_clocks
from geoportal.reports.intake import Submission, submit
from geoportal.reports.models import Report

KEY_PREFIX = "demo-report-"


class DemoReportsError(ValueError):
    """The demo file names something that is not loaded."""


def draw_photo(colour: str, label: str) -> ContentFile[bytes]:
    """A simple picture standing in for a resident's photo."""
    image = Image.new("RGB", (800, 600), colour)
    pen = ImageDraw.Draw(image)
    for step in range(0, 800, 40):
        pen.line([(step, 600), (step + 200, 0)], fill="#ffffff", width=2)
    pen.rectangle([40, 480, 760, 560], fill="#000000")
    pen.text((60, 505), label, fill="#ffffff")
    from io import BytesIO

    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"{label}.jpg")


class Walker:
    """Moves one demo report through its steps, each as the right person."""

    def __init__(self, municipality: Municipality, keys: dict[str, Report]) -> None:
        self.municipality = municipality
        self.keys = keys
        self.people = {u.username: u for u in User.objects.filter(is_staff=True)}

    def person(self, name: str) -> User:
        try:
            return self.people[name]
        except KeyError:
            raise DemoReportsError(f"Demo account {name!r} is missing: run load_demo.") from None

    def worker(self, report: Report) -> User:
        department = report.department
        member = department.memberships.filter(role="worker").first() if department else None
        member = member or (department.memberships.first() if department else None)
        if member is None:
            raise DemoReportsError(f"No demo worker in {department} for report {report.title!r}.")
        return member.user

    def head(self, report: Report) -> User:
        member = report.department.memberships.filter(role="head").first()  # type: ignore[union-attr]
        if member is None:
            raise DemoReportsError(f"No demo head in {report.department}.")
        return member.user

    def step(self, report: Report, action: str, args: dict[str, Any], now: datetime) -> None:
        moderator = self.person("moderator")
        calls: dict[str, Callable[[], Any]] = {
            "approve": lambda: report.approve(
                moderator,
                Department.objects.get(municipality=self.municipality, code=args["department"])
                if "department" in args
                else None,
            ),
            "reject": lambda: report.reject(moderator, args["ground"], args.get("comment", "")),
            "mark_duplicate": lambda: report.mark_duplicate(moderator, self.keys[args["original"]]),
            "out_of_competence": lambda: report.out_of_competence(
                moderator, args["competent_body"]
            ),
            "accept": lambda: report.accept(self.worker(report), args["needs_study"]),
            "return": lambda: report.return_to_moderator(self.worker(report), args["reason"]),
            "plan": lambda: report.plan(
                self.worker(report),
                (now + timedelta(days=args["days_ahead"])).date(),
                args["justification"],
            ),
            "resolve": lambda: report.resolve(
                self.head(report) if report.is_formal_appeal else self.worker(report),
                args["answer"],
            ),
            "not_resolve": lambda: report.not_resolve(
                self.head(report) if report.is_formal_appeal else self.worker(report),
                args["reason"],
            ),
            "extend": lambda: report.extend(
                self.head(report),
                _after(report.answer_due_at, args["days_after_due"]),
                args["reason"],
            ),
            "dispute": lambda: report.dispute(report.tracking_code, args["comment"]),
            "comment": lambda: report.comment(moderator, args["text"], args.get("public", False)),
        }
        if action not in calls:
            raise DemoReportsError(f"Unknown demo step {action!r}.")
        calls[action]()


def load_demo_reports(path: Path, log: Callable[[str], object] = print) -> int:
    """File the demo reports that are missing; return how many were filed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    municipality = Municipality.objects.filter(slug=data["municipality"]).first()
    if municipality is None:
        raise DemoReportsError(f"{path}: hromada {data['municipality']!r} is not loaded.")
    existing = {
        r.idempotency_key.removeprefix(KEY_PREFIX): r
        for r in Report.objects.filter(idempotency_key__startswith=KEY_PREFIX)
        if r.idempotency_key
    }
    walker = Walker(municipality, existing)
    today = datetime.now(KYIV).replace(hour=9, minute=0, second=0, microsecond=0)
    filed = 0
    entries = data["reports"]
    for number, entry in enumerate(entries, start=1):
        if entry["key"] in existing:
            continue
        with transaction.atomic():
            moment = today - timedelta(days=entry["days_ago"])
            with timebase.acting_at(moment):
                report, _created = submit(_submission(entry))
            for action, args, hours_later in entry["steps"]:
                moment += timedelta(hours=hours_later)
                with timebase.acting_at(moment):
                    walker.step(report, action, args, moment)
        walker.keys[entry["key"]] = report
        filed += 1
        log(f"[{number}/{len(entries)}] #{report.pk} {report.get_state_display()}: {report.title}")
    if filed:
        # The clocks would have run meanwhile: mark what is overdue now, escalate it.
        log(f"Clocks: {run_clocks()}")
    return filed


def _after(moment: datetime | None, days: int) -> datetime:
    if moment is None:
        raise DemoReportsError("A demo extension needs a report with an answer deadline.")
    return moment + timedelta(days=days)


def _submission(entry: dict[str, Any]) -> Submission:
    lat, lon = entry["at"]
    number = int(entry["key"])
    photos = [draw_photo(entry["photo"], f"demo-{entry['key']}")] if entry.get("photo") else []
    formal = bool(entry.get("formal_appeal"))
    return Submission(
        category=entry["category"],
        title=entry["title"],
        description=entry["description"],
        lat=lat,
        lon=lon,
        reporter_name="Олена Демченко" if formal else ("Мешканець" if number % 3 else ""),
        reporter_email=f"resident{number}@demo.example.org",
        reporter_postal_address="вул. Демонстраційна, 1, м. Покровськ" if formal else "",
        show_name=False,
        is_formal_appeal=formal,
        photos=photos,
        idempotency_key=KEY_PREFIX + entry["key"],
    )
