"""`python -m bench [--quick] [--no-postgres] [--votes-only]`: the benchmarks of issues 7, 17.

Exits 1 when a target is missed. Speed targets are ratios within this run or bounds far
from the measured figure: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from dataclasses import dataclass, replace

from bench import memory
from bench.databases import database, sqlite_database
from bench.meetings_hook import MEETINGS_READY, reminders_at_scale
from bench.report import Figure, check, failed, info, pending, render
from bench.tally_scaling import TallyTiming, tally_scaling
from bench.vote_path import MODES, VoteRun, run_votes

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Plan:
    voters: int
    rounds: int
    tally_sizes: tuple[int, ...]
    backends: tuple[str, ...]
    votes_only: bool = False


def _plan(quick: bool, postgres: bool) -> Plan:
    backends = ("sqlite", "postgres") if postgres else ("sqlite",)
    if quick:
        return Plan(voters=200, rounds=5, tally_sizes=(10_000, 100_000), backends=backends)
    return Plan(voters=1000, rounds=5, tally_sizes=(10_000, 100_000, 1_000_000), backends=backends)


def _label(backend: str) -> str:
    return "SQLite" if backend == "sqlite" else "PostgreSQL"


def vote_figures(backend: str, runs: dict[str, VoteRun]) -> list[Figure]:
    bare, ref = runs["bare"], runs["reference"]
    seq, conc = runs["sequential"], runs["concurrent"]
    db = _label(backend)
    real_ratio = seq.throughput / ref.throughput
    driver = "aiosqlite INSERT OR REPLACE" if backend == "sqlite" else "asyncpg upsert"
    figures = [
        info(
            f"1. {db}: bare floor ({driver} + commit, no SQLAlchemy), presses/s",
            f"{bare.throughput:.0f} (p50 {bare.latency(0.5) * 1000:.2f} ms)",
        ),
        info(
            f"1. {db}: reference / bare",
            f"{ref.throughput / bare.throughput:.2f}",
            ref.throughput / bare.throughput,
        ),
        check(
            f"1. {db}: real sequential / bare",
            ">= 0.3 (issue 17)",
            f"{seq.throughput / bare.throughput:.2f}",
            seq.throughput / bare.throughput / 0.3,
            seq.throughput >= 0.3 * bare.throughput,
        ),
        check(
            f"1. {db}: real concurrent / bare",
            ">= 1.0 (issue 17)",
            f"{conc.throughput / bare.throughput:.2f}",
            conc.throughput / bare.throughput,
            conc.throughput >= bare.throughput,
        ),
        info(f"1. {db}: reference (raw upsert + commit), presses/s", f"{ref.throughput:.0f}"),
        check(
            f"1. {db}: real vote path, sequential, presses/s",
            ">= 0.5 x reference" if backend == "sqlite" else "- (reported)",
            f"{seq.throughput:.0f}",
            real_ratio,
            real_ratio >= 0.5 or backend != "sqlite",
        ),
        check(
            f"1. {db}: real, concurrent updates, presses/s",
            ">= 1.0 x sequential",
            f"{conc.throughput:.0f} ({conc.throughput / ref.throughput:.2f} x ref)",
            conc.throughput / seq.throughput,
            conc.throughput >= seq.throughput,
        ),
        info(f"1. {db}: press-to-answer p50", f"{seq.latency(0.5) * 1000:.2f} ms"),
        check(
            f"1. {db}: press-to-answer p99",
            "< 5 ms (issue 17)",
            f"{seq.latency(0.99) * 1000:.2f} ms",
            seq.latency(0.99) * 1000 / 5,
            seq.latency(0.99) < 0.005,
        ),
    ]
    for run in (bare, seq, conc):  # the floor must be right too, or its speed means nothing
        exact = "" if run.final_choices_match is None else ", last press stands"
        ok = run.no_lost_or_duplicated and run.final_choices_match is not False
        figures.append(
            check(
                f"1. {db}: {run.mode}: ballots lost/duplicated",
                "none; recount = tally",
                f"{run.ballots} ballots, {run.distinct_keys} keys, "
                f"{run.voters_expected} voters{exact}",
                None,
                ok,
            )
        )
    return figures


def call_figures(backend: str, runs: dict[str, VoteRun]) -> list[Figure]:
    db = _label(backend)
    figures = []
    for run in (runs["sequential"], runs["concurrent"]):
        figures.append(
            check(
                f"2. {db}: {run.mode}: answers per press",
                "exactly 1",
                "1 each" if run.answered_once else "NOT one each",
                None,
                run.answered_once,
            )
        )
        figures.append(
            check(
                f"2. {db}: {run.mode}: {run.presses}-press burst, edits/min",
                "<= 20, final state shown",
                f"{run.max_edits_per_minute()} (of {len(run.edits)}), "
                + ("final shown" if run.final_state_shown else "final NOT shown"),
                run.max_edits_per_minute() / 20,
                run.max_edits_per_minute() <= 20 and bool(run.final_state_shown),
            )
        )
    return figures


def tally_figures(backend: str, timings: list[TallyTiming]) -> list[Figure]:
    db = _label(backend)
    by_size = {t.ballots: t for t in timings}
    figures = []
    for t in timings:
        counted = t.voters_counted == t.ballots
        if t.ballots == 100_000:
            figures.append(
                check(
                    f"3. {db}: tally of 100k ballots",
                    "< 100 ms",
                    f"{t.median_ms:.1f} ms",
                    t.median_ms / 100,
                    t.median_ms < 100 and counted,
                )
            )
        else:
            figures.append(
                info(f"3. {db}: tally of {t.ballots // 1000}k ballots", f"{t.median_ms:.1f} ms")
            )
    top = max(by_size)
    base = top // 10
    if base in by_size and base >= 10_000:
        ratio = by_size[top].median_ms / by_size[base].median_ms
        figures.append(
            check(
                f"3. {db}: tally {top // 1000}k / {base // 1000}k",
                "<= 12 (linear = 10)",
                f"{ratio:.1f}",
                ratio / 10,
                ratio <= 12,
            )
        )
    return figures


def memory_figures(groups: int) -> list[Figure]:
    result = memory.measure(groups, 10_000 if MEETINGS_READY else 0)
    rss = result["rss"] / MB
    figures = [
        check(
            f"5. RSS of a running bot, {result['groups']} groups",
            "< 150 MB",
            f"{rss:.0f} MB ({result['jobs']} jobs)",
            rss / 150,
            rss < 150,
        )
    ]
    if not MEETINGS_READY:
        figures.append(
            pending(
                "5. ... and 10,000 meetings",
                "< 150 MB",
                "HOOK bench/meetings_hook.py: needs meetings",
            )
        )
    return figures


REPEATS = 2


def _better(kept: VoteRun | None, new: VoteRun) -> VoteRun:
    """The faster run, unless either was wrong: a wrong run is kept so that it fails."""
    if kept is None:
        return new
    for run in (kept, new):
        if (
            not run.no_lost_or_duplicated
            or run.final_choices_match is False
            or run.final_state_shown is False
            or run.max_edits_per_minute() > 20
        ):
            return run
    return new if new.throughput > kept.throughput else kept


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def run(plan: Plan) -> list[Figure]:
    figures: list[Figure] = []
    calls: list[Figure] = []
    tallies: list[Figure] = []
    for backend in plan.backends:
        runs: dict[str, VoteRun] = {}
        # Alternated and best of REPEATS: other work on a shared machine slows one run, not
        # the figure; every run must still be correct (best-of picks only the speed).
        for attempt in range(REPEATS):
            for mode in MODES:
                _say(
                    f"vote path: {backend}, {mode}, {plan.voters * plan.rounds} presses "
                    f"({attempt + 1}/{REPEATS}) ..."
                )
                async with database(backend) as url:
                    run = await run_votes(
                        backend, url, mode, voters=plan.voters, rounds=plan.rounds
                    )
                runs[mode] = _better(runs.get(mode), run)
        figures += vote_figures(backend, runs)
        calls += call_figures(backend, runs)
    if plan.votes_only:
        return figures + calls
    for backend in plan.backends:
        _say(f"tally: {backend}, {', '.join(str(s) for s in plan.tally_sizes)} ballots ...")
        async with database(backend) as url:
            tallies += tally_figures(backend, await tally_scaling(backend, url, plan.tally_sizes))
    figures += calls + tallies
    _say("reminders: 10,000 meetings, 1,000 due in one minute (about 1.5 minutes) ...")
    async with sqlite_database() as url:
        figures += await reminders_at_scale(url)
    _say("memory: a bot holding 1,000 groups, in a child process ...")
    figures += memory_figures(1000)
    return figures


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo
                    if line.startswith("model name")
                ),
                model,
            )
    except OSError:
        pass
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{os.cpu_count()} CPUs ({model}), {total:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller smoke run")
    parser.add_argument(
        "--no-postgres", action="store_true", help="SQLite only (no PostgreSQL on 127.0.0.1)"
    )
    parser.add_argument(
        "--votes-only", action="store_true", help="the vote path only (points 1 and 2)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    plan = replace(_plan(args.quick, postgres=not args.no_postgres), votes_only=args.votes_only)
    figures = asyncio.run(run(plan))
    print(f"Equal Say benchmarks{' (quick)' if args.quick else ''} on {machine()}")
    print(render(figures))
    missed = failed(figures)
    print(f"{len(figures)} figures, {len(missed)} missed, in {time.perf_counter() - started:.0f} s")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
