"""`python -m bench.disclosure [--max-people N] [--kinds ...]`: the rung every small group gets.

For every role mix up to 20 people (roles are interchangeable to the audit, so each mix is
listed once, largest role first) and every poll shape people use (single answer with 2, 3 or 4
options, multiple choice with 2, 3 or 4, a proposal, a 1-5 scale), it prints the rung the
ladder picks before anyone votes (`notice` where even the equal-weight decision fails and the
facilitator must choose between notice and protection), and the worst-case posterior an insider
(one voter, or two who pool their ballots) can reach under that rung. Then how long the audit
took, worst mix first, since it runs while a facilitator waits.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from bot.domain.disclosure_ladder import PollFacts, Rung, choose
from bot.domain.poll_rules import PollKind

SHAPES: dict[str, tuple[PollKind, int]] = {
    "single2": (PollKind.SINGLE, 2),
    "single3": (PollKind.SINGLE, 3),
    "single4": (PollKind.SINGLE, 4),
    "multi2": (PollKind.MULTIPLE, 2),
    "multi3": (PollKind.MULTIPLE, 3),
    "multi4": (PollKind.MULTIPLE, 4),
    "proposal": (PollKind.PROPOSAL, 4),
    "scale": (PollKind.SCALE, 5),
}

SHORT = {
    None: "notice",
    Rung.DECISION: "decision",
    Rung.DECISIONS: "decisions",
    Rung.DECISION_AND_COUNT: "dec+count",
    Rung.ROUNDED: "rounded",
    Rung.FULL: "full",
}


def mixes(max_people: int) -> Iterator[tuple[int, int, int]]:
    """Every mix of at least two people in at least two roles, largest role first."""
    for a in range(1, max_people + 1):
        for b in range(a + 1):
            for c in range(b + 1):
                if 2 <= a + b + c <= max_people and b > 0:
                    yield (a, b, c)


@dataclass(frozen=True)
class Cell:
    rung: Rung | None
    worst: float
    seconds: float


def cell(kind: PollKind, m: int, voters: tuple[int, int, int]) -> Cell:
    started = time.perf_counter()
    choice = choose(PollFacts(kind, m, voters))
    seconds = time.perf_counter() - started
    shown = choice.rung or Rung.DECISION  # with notice, the decision is what is published
    verdict = choice.verdict(shown)
    worst = verdict.report.worst if verdict and verdict.report else float("nan")
    return Cell(choice.rung, worst, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-people", type=int, default=20)
    parser.add_argument("--shapes", nargs="*", default=list(SHAPES), choices=list(SHAPES))
    args = parser.parse_args(argv)
    shapes = [(name, *SHAPES[name]) for name in args.shapes]

    header = f"{'mix (largest role first)':<26}" + "".join(f"{n:>20}" for n, _, _ in shapes)
    print(header)
    print("-" * len(header))
    timings: list[tuple[float, str, tuple[int, int, int]]] = []
    counts: dict[str, dict[str, int]] = {n: {} for n, _, _ in shapes}
    for voters in mixes(args.max_people):
        cells = []
        for name, kind, m in shapes:
            c = cell(kind, m, voters)
            timings.append((c.seconds, name, voters))
            label = SHORT[c.rung]
            counts[name][label] = counts[name].get(label, 0) + 1
            worst = "  -  " if c.worst != c.worst else f"{c.worst:.2f}"
            cells.append(f"{label:>13} {worst:>5}")
        mix = f"{voters[0]}/{voters[1]}/{voters[2]} ({sum(voters)})"
        print(f"{mix:<26}" + "".join(f"{x:>20}" for x in cells), flush=True)

    print()
    print("How many mixes get each rung (worst = highest posterior an insider can reach")
    print("under that rung, leaving out what a head count says anyway):")
    for name, by_rung in counts.items():
        parts = ", ".join(f"{k} {v}" for k, v in sorted(by_rung.items()))
        print(f"  {name:<9} {parts}")
    timings.sort(reverse=True)
    print()
    print("Slowest audits (seconds, before caching):")
    for seconds, name, voters in timings[:5]:
        print(f"  {seconds:7.2f}  {name:<9} {voters}")
    total = sum(t for t, _, _ in timings)
    print(f"  total {total:.1f} s over {len(timings)} audits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
