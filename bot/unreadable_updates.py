"""Updates Telegram sends that python-telegram-bot cannot read: skipped, and logged without data.

When the library cannot parse one update of a getUpdates answer it logs the whole answer at
CRITICAL (user ids, usernames, private text) and raises, so the polling loop asks for the same
updates again, for ever: hundreds of calls and megabytes of personal data in the log within
seconds. Instead the answer is checked update by update before the library sees it, and an
update it cannot read is replaced by its bare `update_id`: the library confirms it like any
other (the offset moves past it), no handler acts on it, and the log gets one line with its
number and kind only.

Webhook mode: the library answers Telegram 400 for such an update (Telegram retries a few
times, then drops it); bot/logs.py keeps its contents out of the log there too.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)


def readable_updates(result: list[Any]) -> list[Any]:
    """The updates of a getUpdates answer, each one the library cannot read left bare."""
    out: list[Any] = []
    for raw in result:
        try:
            Update.de_json(raw, None)
        except Exception as error:  # any parsing failure: the library raises many kinds
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):  # Telegram numbers every update; left as is
                out.append(raw)
                continue
            kinds = sorted(k for k in raw if k != "update_id")
            # The number and the kind only: the contents and the error's text (which can
            # quote a value) stay out of the log.
            log.warning(
                "Skipped update %s (%s) from Telegram: this version cannot read it (%s).",
                update_id,
                ", ".join(kinds) or "empty",
                type(error).__name__,
            )
            raw = {"update_id": update_id}
        out.append(raw)
    return out


class UpdatesRequest(HTTPXRequest):
    """The getUpdates connection; PTB documents parse_json_payload as the place to customise."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        data = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result")
        if data.get("ok") and isinstance(result, list):
            data["result"] = readable_updates(result)
        return data
