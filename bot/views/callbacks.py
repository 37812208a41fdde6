"""The one callback-data codec: `<action>:<n>:<n>...`, integers in base 36, at most 64 bytes.

Every button the bot sends is encoded here and decoded here; each action has one owner
handler (see handlers/__init__.py). Anything that does not decode cleanly, such as forged,
truncated or stale data, becomes None and gets a kind answer instead of an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_CALLBACK_BYTES = 64
_MAX_ARGS = 6
_NUMBER = re.compile(r"^[0-9a-z]{1,13}$")


class Action(StrEnum):
    ROLE = "r"  # r:<group>:<role index>        choose a role in a group
    ROLE_MENU = "rm"  # rm:<group>              show the role buttons for one group
    FORGET = "f"  # f:<1 erase | 0 keep>        confirm /forgetme
    VOTE = "v"  # v:<poll>:<option>              vote (or toggle, in multiple choice)
    WITHDRAW = "w"  # w:<poll>                   withdraw my vote
    SEE_RESULTS = "s"  # s:<poll>                results privately ("after voting" polls)
    CLOSE = "c"  # c:<poll>                      close now (facilitators)
    EXPORT = "x"  # x:<poll>                     CSV of the results by direct message
    POLL_SETTINGS = "ps"  # ps:<group>:<0|1>     who may create polls
    WIZARD = "pw"  # pw:<step>:<value>           the guided poll set-up in private


@dataclass(frozen=True, slots=True)
class Press:
    action: Action
    args: tuple[int, ...]


def _base36(number: int) -> str:
    if number < 0:
        raise ValueError("callback numbers are never negative")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def encode(action: Action, *args: int) -> str:
    data = ":".join([action.value, *(_base36(arg) for arg in args)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError("callback data over Telegram's 64 bytes")
    return data


def decode(data: str | None) -> Press | None:
    """The press this data encodes, or None if it is not one of ours."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    head, *rest = data.split(":")
    try:
        action = Action(head)
    except ValueError:
        return None
    if len(rest) > _MAX_ARGS or not all(_NUMBER.match(part) for part in rest):
        return None
    return Press(action, tuple(int(part, 36) for part in rest))


def pattern(action: Action) -> str:
    """The CallbackQueryHandler pattern that routes this action to its one owner."""
    return rf"^{re.escape(action.value)}(:|$)"
