"""What a load run found: locust's figures per kind of request, the answers' statuses, and
the reports the filers were told about set against those stored in the database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.perf.stats import percentile

TOTAL = "all requests"


@dataclass(frozen=True)
class Kind:
    """One kind of request over the run (times in ms)."""

    name: str
    requests: int
    failures: int
    per_second: float
    p50: float
    p95: float
    p99: float
    max: float


def _kind(name: str, times: Sequence[float], failures: int, span: float) -> Kind:
    rate = len(times) / span
    p50, p95, p99 = (percentile(times, share) for share in (0.50, 0.95, 0.99))
    return Kind(name, len(times), failures, rate, p50, p95, p99, max(times, default=0.0))


def summarise(requests: Mapping[str, Mapping[str, Any]], window: Sequence[float]) -> list[Kind]:
    """Each kind of request, then all of them, from the load generator's record: per name
    {"times": [ms, ...], "failures": n}; `window` is when the first request started and the
    last answer came (s), over which the rates are taken."""
    span = max(window[1] - window[0], 1e-9)
    kinds = [_kind(name, requests[name]["times"], requests[name]["failures"], span)
             for name in sorted(requests)]  # fmt: skip
    every = [time for record in requests.values() for time in record["times"]]
    return [*kinds, _kind(TOTAL, every, sum(kind.failures for kind in kinds), span)]


@dataclass
class Reconciliation:
    """The filers' answers against the stored reports, filing by filing (by key)."""

    created: int = 0  # filings answered 201
    replayed: int = 0  # filings first answered by a 200 replay (their 201 never arrived)
    unanswered: int = 0  # filings never answered 200 or 201
    stored: int = 0  # reports of the run in the database
    lost: list[str] = field(default_factory=list)  # answered, but not stored under that id
    duplicated: list[str] = field(default_factory=list)  # one filing stored more than once
    unconfirmed: list[str] = field(default_factory=list)  # stored, filer never told
    strangers: list[str] = field(default_factory=list)  # stored under a key never sent

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.unconfirmed or self.strangers)


def reconcile(
    filings: Mapping[str, Mapping[str, Any]], stored: Iterable[tuple[str, int, str]]
) -> Reconciliation:
    """`filings`: key → {"answers": [statuses in order], "id": the id answered or None};
    `stored`: (idempotency key, id, description) of each report of the run in the database.
    A filing's description carries its key (plan.filing_form), so a report stored twice for
    one filing shows even under another key."""
    found = Reconciliation()
    by_key: dict[str, list[int]] = {}
    by_tag: dict[str, int] = {}
    for key, report, description in stored:
        found.stored += 1
        by_key.setdefault(key, []).append(report)
        for tag in filings:
            if tag in description:
                by_tag[tag] = by_tag.get(tag, 0) + 1
    for key, outcome in filings.items():
        answers = list(outcome["answers"])
        if 201 in answers:
            found.created += 1
        elif 200 in answers:
            found.replayed += 1
        else:
            found.unanswered += 1
        told = outcome.get("id")
        kept = by_key.get(key, [])
        if told is not None and told not in kept:
            found.lost.append(key)
        if len(kept) > 1 or by_tag.get(key, 0) > 1:
            found.duplicated.append(key)
        if told is None and kept:
            found.unconfirmed.append(key)
    found.strangers = sorted(set(by_key) - set(filings))
    return found


def status_table(requests: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Markdown rows: each kind of request with the count of each status (0: no answer)."""
    counts = {name: {int(code): n for code, n in record["statuses"].items()}
              for name, record in requests.items()}  # fmt: skip
    codes = sorted({code for found in counts.values() for code in found})
    lines = [
        "| kind | " + " | ".join(str(code) if code else "no answer" for code in codes) + " |",
        "|---|" + "---|" * len(codes),
    ]
    for name in sorted(counts):
        lines.append(f"| {name} | " + " | ".join(str(counts[name].get(c, 0)) for c in codes) + " |")
    return lines


def answered(requests: Mapping[str, Mapping[str, Any]], low: int, high: int) -> int:
    """How many answers had a status in [low, high]; status 0 stands for no answer."""
    return sum(n for record in requests.values() for code, n in record["statuses"].items()
               if low <= int(code) <= high)  # fmt: skip


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def kinds_table(kinds: list[Kind]) -> list[str]:
    lines = [
        "| kind | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in kinds:
        name = f"**{kind.name}**" if kind.name == TOTAL else kind.name
        lines.append(
            f"| {name} | {kind.requests:,} | {kind.failures:,} | {kind.per_second:.1f} "
            f"| {_ms(kind.p50)} | {_ms(kind.p95)} | {_ms(kind.p99)} | {_ms(kind.max)} |"
        )
    return lines
