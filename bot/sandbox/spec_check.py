"""Check every call against the published Bot API spec (JSON from telegram-bot-api).

A bot that sends a misspelt parameter to real Telegram gets it silently ignored; the sandbox
turns that into a recorded violation and a 400, so it cannot pass tests silently.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from bot.sandbox.models import UploadedFile

log = logging.getLogger("bot.sandbox")
_warned = False

_SCALARS = {"Integer", "String", "Boolean", "Float", "InputFile"}


def warn_no_spec(reason: str) -> None:
    """Log once per process: tests still run, but the spec check is off and must be noticed."""
    global _warned
    if not _warned:
        _warned = True
        log.warning(
            "SANDBOX SPEC CHECK DISABLED (%s): set TELEGRAM_BOT_API_SPEC to the Bot API JSON "
            "spec so every call is checked against it",
            reason,
        )


@cache
def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class SpecChecker:
    """Validates method names, parameter names, required parameters and value types."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.methods: dict[str, Any] = spec["methods"]
        self.types: dict[str, Any] = spec["types"]

    @classmethod
    def from_path(cls, path: Path) -> SpecChecker:
        return cls(_load(path.resolve()))

    def has_method(self, method: str) -> bool:
        return method in self.methods

    def field_types(self, method: str) -> dict[str, list[str]]:
        """Parameter name -> declared types, used by the HTTP transport to decode form values."""
        spec = self.methods.get(method)
        if spec is None:
            return {}
        return {f["name"]: list(f["types"]) for f in spec.get("fields", [])}

    def check(self, method: str, params: dict[str, Any]) -> list[str]:
        spec = self.methods.get(method)
        if spec is None:
            return [f"{method}: no such method in the Bot API"]
        return self._check_fields(method, spec.get("fields", []), params)

    def _check_fields(
        self, where: str, fields: list[dict[str, Any]], values: dict[str, Any]
    ) -> list[str]:
        problems: list[str] = []
        declared = {f["name"]: f for f in fields}
        for name in values:
            if name not in declared:
                problems.append(f"{where}: unknown parameter {name!r}")
        for name, fld in declared.items():
            if name not in values or values[name] is None:
                if fld.get("required"):
                    problems.append(f"{where}: missing required parameter {name!r}")
                continue
            problems.extend(self._check_union(f"{where}.{name}", fld["types"], values[name]))
        return problems

    def _check_union(self, where: str, types: list[str], value: Any) -> list[str]:
        attempts = [self._check_type(where, t, value) for t in types]
        for problems in attempts:
            if not problems:
                return []
        if len(attempts) == 1:
            return attempts[0]
        # Report the alternative that came closest when it failed only inside the value
        # (an InlineKeyboardMarkup with one bad button), else the plain mismatch.
        best = min(attempts, key=len)
        if all(p.startswith((f"{where}.", f"{where}[")) for p in best):
            return best
        return [f"{where}: {value!r:.80} is none of {' or '.join(types)}"]

    def _check_type(self, where: str, type_name: str, value: Any) -> list[str]:
        if type_name.startswith("Array of "):
            if not isinstance(value, list | tuple):
                return [f"{where}: expected {type_name}, got {type(value).__name__}"]
            inner = type_name.removeprefix("Array of ")
            problems: list[str] = []
            for index, item in enumerate(value):
                problems.extend(self._check_type(f"{where}[{index}]", inner, item))
            return problems
        if type_name in _SCALARS:
            return (
                []
                if _scalar_ok(type_name, value)
                else [f"{where}: expected {type_name}, got {type(value).__name__} {value!r:.80}"]
            )
        spec = self.types.get(type_name)
        if spec is None:
            return [f"{where}: spec has no type {type_name}"]
        if not isinstance(value, dict):
            return [f"{where}: expected {type_name} object, got {type(value).__name__}"]
        subtypes: list[str] = spec.get("subtypes") or []
        if subtypes:
            # An abstract type (BotCommandScope, ReactionType...): the value must fit one subtype.
            attempts = [self._check_type(where, sub, value) for sub in subtypes]
            if any(not a for a in attempts):
                return []
            best = min(attempts, key=len)
            return [f"{where}: fits no {type_name} subtype; closest: {'; '.join(best)}"]
        return self._check_fields(where, spec.get("fields", []), value)


def _scalar_ok(type_name: str, value: Any) -> bool:
    if type_name == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "Boolean":
        return isinstance(value, bool)
    if type_name == "String":
        return isinstance(value, str)
    return isinstance(value, UploadedFile)  # InputFile
