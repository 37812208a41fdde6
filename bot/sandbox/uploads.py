"""Turning a transport's parameters and file parts into the python values methods expect."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bot.sandbox.models import UploadedFile
from bot.sandbox.spec_check import SpecChecker

# Without the spec the HTTP transport cannot know which form fields are strings; these are the
# string parameters of the methods the sandbox implements (so "42" as a text stays "42").
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "action",
        "language_code",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
        "document",
        "photo",
        "thumbnail",
    }
)
_INTEGER_RE = re.compile(r"-?\d+")


def attach_files(params: dict[str, Any], files: Mapping[str, UploadedFile]) -> dict[str, Any]:
    """Put uploaded parts into the parameters: ``attach://name`` references are replaced by the
    file, and a part named like a parameter (PTB's plain upload) becomes that parameter."""
    out = dict(params)
    for part, upload in files.items():
        reference = f"attach://{part}"
        referenced = [key for key, value in out.items() if value == reference]
        for key in referenced:
            out[key] = upload
        if not referenced:
            out[part] = upload
    return out


def decode_form_value(spec: SpecChecker | None, method: str, name: str, raw: str) -> Any:
    """Undo PTB's form encoding: non-string values arrive as JSON text, strings as themselves."""
    types = spec.field_types(method).get(name) if spec is not None else None
    if types is None:
        if name in _STRING_PARAMS:
            return raw
        if name == "chat_id":
            return int(raw) if _INTEGER_RE.fullmatch(raw) else raw
        return _json_or_raw(raw)
    if "String" in types:
        # "Integer or String" (chat_id): a number is the integer form.
        return int(raw) if "Integer" in types and _INTEGER_RE.fullmatch(raw) else raw
    return _json_or_raw(raw)


def _json_or_raw(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw
