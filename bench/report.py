"""The table every benchmark adds its figures to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "FAIL"
    INFO = "info"  # reported, no target
    PENDING = "pending"  # the feature it measures does not exist yet


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    target: str
    measured: str
    ratio: str
    verdict: Verdict


def check(name: str, target: str, measured: str, ratio: float | None, ok: bool) -> Figure:
    """A figure with a target: pass or FAIL."""
    shown = "" if ratio is None else f"{ratio:.2f}"
    return Figure(name, target, measured, shown, Verdict.PASS if ok else Verdict.FAIL)


def info(name: str, measured: str, ratio: float | None = None) -> Figure:
    shown = "" if ratio is None else f"{ratio:.2f}"
    return Figure(name, "-", measured, shown, Verdict.INFO)


def pending(name: str, target: str, why: str) -> Figure:
    return Figure(name, target, why, "", Verdict.PENDING)


def render(figures: list[Figure]) -> str:
    """A plain-text table (also valid Markdown, for docs/PERFORMANCE.md)."""
    header = ("figure", "target", "measured", "ratio", "result")
    rows = [header] + [(f.name, f.target, f.measured, f.ratio, f.verdict.value) for f in figures]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def failed(figures: list[Figure]) -> list[Figure]:
    return [f for f in figures if f.verdict is Verdict.FAIL]
