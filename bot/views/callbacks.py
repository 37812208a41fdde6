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
# As _base36 writes them: no leading zero, and matched whole (`$` would let "1\n" through), so
# each press has exactly one spelling.
_NUMBER = re.compile(r"0|[1-9a-z][0-9a-z]{0,6}")
# Ids are 32-bit integers in PostgreSQL: anything larger is forged and must not reach SQL.
MAX_NUMBER = 2**31 - 1


class Action(StrEnum):
    ROLE = "r"  # r:<group>:<role index>        choose a role in a group
    ROLE_MENU = "rm"  # rm:<group>              show the role buttons for one group
    FORGET = "f"  # f:<1 erase | 0 keep>        confirm /forgetme
    VOTE = "v"  # v:<poll>:<option>              vote (or toggle, in multiple choice)
    WITHDRAW = "w"  # w:<poll>                   withdraw my vote
    SEE_RESULTS = "s"  # s:<poll>                a closed poll's results privately (old buttons)
    TURNOUT = "t"  # t:<poll>                    which roles have voted, privately (facilitators)
    CLOSE = "c"  # c:<poll>                      close: asks first (facilitators)
    CLOSE_CONFIRM = "cc"  # cc:<poll>:<1 yes | 0 no>  the answer to "Close this poll now?"
    EXPORT = "x"  # x:<poll>                     CSV of the results by direct message
    REOPEN = "ro"  # ro:<poll>                   reopen a poll closed by mistake (facilitators)
    POLL_SETTINGS = "ps"  # ps:<group>:<0|1|2|3>  who may create polls (0 1); small roles (2 3)
    WIZARD = "pw"  # pw:<step>:<value>           the guided poll set-up in private
    # Meetings (handlers/meetings.py, handlers/meeting_rsvp.py)
    MEETING_CONFIRM = "mc"  # mc:<draft>:<choice>  Save 0, Change 1, repeat 10 + index
    RSVP = "mr"  # mr:<occurrence>:<answer>         Coming 0, Maybe 1, Can't come 2
    CALENDAR = "mi"  # mi:<occurrence>:<0|1>        .ics of this date (0) or the series (1)
    REMIND_ME = "mo"  # mo:<occurrence>             a personal reminder by direct message
    MEETING_CANCEL = "mx"  # mx:<occurrence>:<0 keep | 1 this date | 2 the series>
    MEETING_MOVE = "mm"  # mm:<occurrence>:<0|1|2>:<new start, minutes since 1970>
    # Anonymous feedback. The private ones carry a serial of the draft held in memory, so a
    # press on an older preview never sends a newer text.
    FEEDBACK_GROUP = "fg"  # fg:<group>           write feedback for this group
    FEEDBACK_SEND = "fs"  # fs:<serial>           send the previewed feedback
    FEEDBACK_CANCEL = "fc"  # fc:<serial>         drop the draft
    FEEDBACK_TAG = "ft"  # ft:<serial>:<1|0>      show my role with it, or not
    FEEDBACK_DECIDE = "fd"  # fd:<item>:<1|0>     publish or reject (facilitators, privately)
    URGENT_SEEN = "fu"  # fu:<item>               "I've seen this" on an urgent item
    URGENT_MUTE = "fq"  # fq:<item>:<hi>:<lo>     mute its sender's urgent items (blinded key)
    FEEDBACK_ALLOW_REPLIES = "fa"  # fa:<serial>:<1|0>  let facilitators reply privately, or not
    REPLY_START = "fr"  # fr:<item>               a facilitator replies privately
    REPLY_ANSWER = "fn"  # fn:<item>              the writer answers
    REPLY_STOP = "fx"  # fx:<item>                the writer stops replies
    REPLY_CANCEL = "fk"  # fk:<item>              drop the reply or answer being written
    # "You said, we did" (handlers/outcomes.py); <kind>: 0 feedback item, 1 poll
    OUTCOME_PICK = "op"  # op:<kind>:<id>          record an outcome for this
    OUTCOME_STATUS = "ot"  # ot:<kind>:<id>:<status>  agreed, planned, done, not possible
    OUTCOME_SKIP = "ok"  # ok:<kind>:<id>          no owner
    OUTCOME_REVIEW = "ov"  # ov:<kind>:<id>:<days>  review date (0: none), and save
    OUTCOME_MONTHLY = "oy"  # oy:<group>:<1|0>      the monthly digest on or off
    FEEDBACK_SETTINGS = "fm"  # fm:<group>:<delivery>:<hour>  how feedback reaches a group
    PIN = "wp"  # wp:<group>                     pin the newcomers' welcome (facilitators)
    # The board report (handlers/reports.py), facilitators only, in private
    REPORT_GROUP = "rg"  # rg:<group>                a report for this group: choose the period
    REPORT_PERIOD = "rq"  # rq:<group>:<choice>      last month 0, quarter 1, 12 months 2, dates 3
    # The opt-in involvement record (handlers/involvement.py), in private
    INVOLVEMENT_SWITCH = "is"  # is:<group>:<1 on | 0 off>  facilitators
    INVOLVEMENT_EXPORT = "ie"  # ie:<group>           the CSV for payment claims (facilitators)
    INVOLVEMENT_GROUP = "ig"  # ig:<group>            my involvement in this group
    INVOLVEMENT_NAME = "in"  # in:<group>:<0 my Telegram name | 1 type one>
    INVOLVEMENT_PAY = "ip"  # ip:<group>:<1 payment | 0 record my time only>
    TOOK_PART = "it"  # it:<occurrence>               I took part in this meeting
    # Facilitators mark attendance from the list of people who chose to be recorded
    ATTENDANCE_MEETINGS = "im"  # im:<group>           the recent meetings to mark
    ATTENDANCE_PEOPLE = "iw"  # iw:<occurrence>         who chose to be recorded, to mark
    ATTENDANCE_MARK = "ia"  # ia:<occurrence>:<a>:<b>:<c>  mark one (their row id, 21 bits each)
    # Languages (handlers/languages.py); <index> into bot.i18n.SUPPORTED
    LANGUAGE = "lg"  # lg:<index>                    my language (private)
    GROUP_LANGUAGE = "gl"  # gl:<group>:<index>       the group's language (facilitators)


@dataclass(frozen=True, slots=True)
class Press:
    action: Action
    args: tuple[int, ...]


def _base36(number: int) -> str:
    if not 0 <= number <= MAX_NUMBER:
        raise ValueError("callback numbers are never negative, nor past 32 bits")
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
    if len(rest) > _MAX_ARGS or not all(_NUMBER.fullmatch(part) for part in rest):
        return None
    numbers = tuple(int(part, 36) for part in rest)
    if any(number > MAX_NUMBER for number in numbers):
        return None
    return Press(action, numbers)


def pattern(action: Action) -> str:
    """The CallbackQueryHandler pattern that routes this action to its one owner."""
    return rf"^{re.escape(action.value)}(:|$)"
