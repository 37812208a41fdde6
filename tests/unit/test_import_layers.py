"""The layering ARCHITECTURE.md promises, read from the source's own imports (no import is run).

Handlers never import storage (services own that boundary), no two scheduling modules import
each other (at module level or inside a function), and there is one clock: nothing defines
its own `now()` beside bot/clock.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module this file imports, anywhere in it (functions and TYPE_CHECKING included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_handlers_never_import_storage() -> None:
    offenders = {
        _module_name(path): sorted(
            name for name in _imports(path) if name.split(".")[0] == "storage"
        )
        for path in _sources("handlers")
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_scheduling_modules_never_import_each_other_both_ways() -> None:
    modules = {_module_name(path): path for path in _sources("bot/scheduling")}
    edges = {
        (module, other)
        for module, path in modules.items()
        for other in modules
        if other != module and other in _imports(path)
    }
    both_ways = sorted((a, b) for a, b in edges if (b, a) in edges and a < b)
    assert both_ways == []


def test_feedback_posting_does_not_know_routing() -> None:
    jobs = _imports(ROOT / "bot/scheduling/feedback_jobs.py")
    assert "bot.scheduling.feedback_routing" not in jobs
    assert "bot.scheduling.feedback_sweep" not in jobs


def test_one_clock() -> None:
    defining = [
        _module_name(path)
        for folder in ("bot", "handlers", "storage")
        for path in _sources(folder)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name == "now"
        and node.col_offset == 0
    ]
    assert defining == ["bot.clock"]


def test_handlers_take_the_time_from_the_clock_not_from_scheduling() -> None:
    for path in _sources("handlers"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and "scheduling" in node.module:
                assert "now" not in {alias.name for alias in node.names}, _module_name(path)
