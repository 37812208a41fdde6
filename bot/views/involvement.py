"""The involvement record's messages, buttons and CSV export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.involvement_time import EXAMPLE, TimeAndTravel
from bot.services.involvement import Chosen, ExportRow, Profile
from bot.views.callbacks import Action, encode
from bot.views.poll_export import csv_bytes

FACILITATORS_ONLY = "Only the group's facilitators can change or export this."
SENT_PRIVATELY = "I have sent you the involvement record's settings privately."
OPEN_PRIVATE_CHAT_FIRST = (
    "Please open a private chat with me first (press the button), then type /involvement here "
    "again."
)
NO_GROUPS = (
    "None of your groups records involvement. If yours should, ask a facilitator to type "
    "/involvement in the group."
)
SWITCHED_ON_GROUP = (
    "This group now keeps an involvement record, so people's time can be paid or recognised. "
    "Nobody is recorded unless they choose it: to be included, type /involvement in your "
    "private chat with me."
)
ASK_NAME = "Type the name to record (for payment, the name payroll knows you by)."
BAD_NAME = "Please type a name of 1 to 80 characters."
NOTHING_TO_EXPORT = "Nobody has recorded any involvement in this group yet."
_PRIVACY = (
    "The record holds the name you give, the dates and meetings you took part in, and "
    "whether you want payment. Never your role, votes, answers or feedback. The group's "
    "facilitators export it for payment claims. /mydata shows it; /forgetme erases it."
)


def settings(title: str, on: bool, group_id: int) -> tuple[str, InlineKeyboardMarkup]:
    state = "on" if on else "off"
    text = (
        f"<b>Involvement record for {escape(title)}</b>: {state}.\n"
        "When it is on, people who choose to can record which meetings they took part in, "
        "under a name they give, so their time can be paid or recognised. Nobody is recorded "
        "unless they choose it. People use /involvement in their private chat with me."
    )
    rows = [
        [
            InlineKeyboardButton(
                "Switch off" if on else "Switch on",
                callback_data=encode(Action.INVOLVEMENT_SWITCH, group_id, int(not on)),
            )
        ],
        [
            InlineKeyboardButton(
                "Export for payment (CSV)",
                callback_data=encode(Action.INVOLVEMENT_EXPORT, group_id),
            )
        ],
    ]
    if on:
        mark = encode(Action.ATTENDANCE_MEETINGS, group_id)
        rows.insert(1, [InlineKeyboardButton("Mark who took part", callback_data=mark)])
    return text, InlineKeyboardMarkup(rows)


_PART = 21  # a person's 63-bit row id travels as three numbers of 21 bits
_MASK = (1 << _PART) - 1


def person_id_of(parts: Sequence[int]) -> int:
    a, b, c = parts
    return (a << 2 * _PART) | (b << _PART) | c


def attendance_meetings(held: Sequence[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not held:
        return "No meetings were held in the last four weeks.", None
    rows = [
        [InlineKeyboardButton(label[:60], callback_data=encode(Action.ATTENDANCE_PEOPLE, oid))]
        for oid, label in held
    ]
    return "Which meeting?", InlineKeyboardMarkup(rows)


def attendance_people(
    occurrence_id: int, chosen: Sequence[Chosen]
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not chosen:
        return "Nobody in this group has chosen to have their involvement recorded yet.", None
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if c.marked else "") + c.name[:50],
                callback_data=encode(
                    Action.ATTENDANCE_MARK,
                    occurrence_id,
                    c.person_id >> 2 * _PART,
                    (c.person_id >> _PART) & _MASK,
                    c.person_id & _MASK,
                ),
            )
        ]
        for c in chosen
    ]
    return (
        "Press each person who took part (only people who chose to be recorded are listed).",
        InlineKeyboardMarkup(rows),
    )


def pick_group(found: Sequence[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            InlineKeyboardButton(
                title or "Your group", callback_data=encode(Action.INVOLVEMENT_GROUP, gid)
            )
        ]
        for gid, title in found
    ]
    return "Which group?", InlineKeyboardMarkup(rows)


def ask_choice(title: str, group_id: int, telegram_name: str) -> tuple[str, InlineKeyboardMarkup]:
    text = f"<b>Record my involvement in {escape(title)}?</b>\n{_PRIVACY}\n\nUnder which name?"
    rows = [
        [
            InlineKeyboardButton(
                f"Use “{telegram_name}”"[:60],
                callback_data=encode(Action.INVOLVEMENT_NAME, group_id, 0),
            )
        ],
        [
            InlineKeyboardButton(
                "Type a name", callback_data=encode(Action.INVOLVEMENT_NAME, group_id, 1)
            )
        ],
    ]
    return text, InlineKeyboardMarkup(rows)


def ask_payment(name: str, group_id: int) -> tuple[str, InlineKeyboardMarkup]:
    text = (
        f"The name recorded will be <b>{escape(name)}</b>.\nDo you want to be paid for your "
        "time? (Some people on benefits record their time without payment.)"
    )
    rows = [
        [
            InlineKeyboardButton(
                "I want payment", callback_data=encode(Action.INVOLVEMENT_PAY, group_id, 1)
            )
        ],
        [
            InlineKeyboardButton(
                "Record my time, no payment",
                callback_data=encode(Action.INVOLVEMENT_PAY, group_id, 0),
            )
        ],
    ]
    return text, InlineKeyboardMarkup(rows)


def _payment(wants: bool) -> str:
    return "payment wanted" if wants else "time recorded, no payment"


def meetings(
    title: str, me: Profile, held: Sequence[tuple[int, str]]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """`held`: (meeting date id, "4 Dec Board preparation") for recent meetings."""
    text = (
        f"<b>Your involvement in {escape(title)}</b>\n"
        f"Recorded as {escape(me.name)} ({_payment(me.wants_payment)}).\n"
    )
    if not held:
        return text + "No meetings were held in the last four weeks.", None
    rows = [
        [
            InlineKeyboardButton(
                f"I took part: {label}"[:60],
                callback_data=encode(Action.TOOK_PART, occurrence_id),
            )
        ]
        for occurrence_id, label in held
    ]
    return text + "Press each meeting you took part in.", InlineKeyboardMarkup(rows)


ASK_TIME = (
    "Recorded. If you want, type the time you gave and your travel expenses, like "
    f"{EXAMPLE}. Or leave it: the meeting is recorded either way."
)
TIME_TOO_LATE = "That meeting's record has already been exported, so I could not change it."


def time_saved(typed: TimeAndTravel) -> str:
    parts = []
    if typed.minutes is not None:
        parts.append(f"{typed.minutes} minutes")
    if typed.pence is not None:
        parts.append(f"£{typed.pence / 100:.2f} travel")
    return "Saved: " + " and ".join(parts) + "."


TOOK_PART_TEXT = {
    "recorded": "Recorded. Thank you for taking part.",
    "already": "That meeting was already recorded.",
    "not_chosen": "Please choose first how to be recorded: type /involvement.",
    "off": "This group does not record involvement any more.",
    "gone": "This button is no longer in use. Nothing was changed.",
}


MARKED_TEXT = {
    "recorded": "Marked.",
    "already": "Already marked.",
    "not_chosen": "That person no longer wants to be recorded.",
    "off": "This group does not record involvement any more.",
    "gone": "This button is no longer in use. Nothing was changed.",
}


def export_csv(rows: Sequence[ExportRow]) -> bytes:
    header = ["Name", "Date", "Meeting", "Minutes", "Travel expenses (GBP)", "Payment"]
    body = [
        [
            r.name,
            r.day.isoformat(),
            r.meeting,
            "" if r.minutes is None else r.minutes,
            "" if r.expenses_pence is None else f"{r.expenses_pence / 100:.2f}",
            "Wanted" if r.wants_payment else "Not wanted: record time only",
        ]
        for r in rows
    ]
    return csv_bytes([header, *body])


def my_data_lines(
    chosen: Sequence[tuple[str, Profile]], entries: Sequence[tuple[str, date, str, bool]]
) -> list[str]:
    if not chosen and not entries:
        return []
    lines = ["", "<b>Involvement record</b> (you chose it):"]
    for title, me in chosen:
        lines.append(f"• {escape(title)}: as {escape(me.name)}, {_payment(me.wants_payment)}")
    for title, day, meeting, exported in entries:
        note = " (exported for payment)" if exported else ""
        lines.append(f"• {escape(title)}: {day:%d %b %Y} {escape(meeting)}{note}")
    return lines


def forgotten_line(erased: int, exported: int) -> str:
    if not erased:
        return ""
    text = f"\n\nI erased {erased} involvement record {'entry' if erased == 1 else 'entries'}."
    if exported:
        text += (
            f" {exported} of them had already been exported to the facilitators for payment: "
            "I cannot erase that copy. Ask a facilitator if you want it deleted."
        )
    return text
