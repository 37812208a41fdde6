"""The involvement record's messages, buttons and CSV export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.involvement_time import TimeAndTravel, TravelTimeError
from bot.i18n import N_, _, ngettext
from bot.i18n.formats import date_words, short_day
from bot.services.involvement import Chosen, ExportRow, Profile
from bot.views.callbacks import Action, encode
from bot.views.poll_export import csv_bytes

FACILITATORS_ONLY = N_("Only the group's organisers can change or export this.")
SENT_PRIVATELY = N_("I have sent you the involvement record's settings privately.")
OPEN_PRIVATE_CHAT_FIRST = N_(
    "Please open a private chat with me first (press the button). Then type /involvement here "
    "again."
)
NO_GROUPS = N_(
    "None of your groups records involvement. If yours should, ask an organiser to type "
    "/involvement in the group."
)
SWITCHED_ON_GROUP = N_(
    "This group now keeps an involvement record, so people's time can be paid or thanked. "
    "Nobody is recorded unless they choose it. To be included, type /involvement in your "
    "private chat with me."
)
ASK_NAME = N_("Type the name to record. For payment, use the name payroll knows you by.")
BAD_NAME = N_("Please type a name of 1 to 80 characters.")
NOTHING_TO_EXPORT = N_("Nobody has recorded any involvement in this group yet.")
SAVED_SHORT = N_("Saved")
_EXAMPLE = N_("“120 minutes £4.50” or “2 hours”")  # bot/domain/involvement_time.EXAMPLE
_TIME_ERRORS = (
    N_("Please type a time between 1 minute and 24 hours."),
    N_("Please type travel expenses up to £1,000."),
)


def _privacy() -> str:
    return "\n".join(
        [
            _(
                "The record holds the name you give, the dates and meetings you took part in, "
                "and if you want payment. Never your role, votes, answers or feedback."
            ),
            _(
                "The group's organisers export it for payment claims. /mydata shows it. "
                "/forgetme erases it."
            ),
        ]
    )


def time_error(error: TravelTimeError) -> str:
    """The domain's refusal (bot/domain/involvement_time.py), in the reader's language."""
    said = str(error)
    if said in _TIME_ERRORS:
        return f"⚠️ {_(said)}"
    return "⚠️ " + _("Please type the time and travel like {example}.").format(example=_(_EXAMPLE))


def meeting_label(starts_at: datetime, zone: str, title: str) -> str:
    """A recent meeting on a button: "04 Dec Board preparation"."""
    return f"{short_day(starts_at, zone)} {title}"


def settings(title: str, on: bool, group_id: int) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join(
        [
            (
                _("<b>Involvement record for {group}</b>: on.")
                if on
                else _("<b>Involvement record for {group}</b>: off.")
            ).format(group=escape(title)),
            _(
                "When it is on, people who choose to can record the meetings they took part "
                "in, under a name they give. Then their time can be paid or thanked."
            ),
            _(
                "Nobody is recorded unless they choose it. People use /involvement in their "
                "private chat with me."
            ),
        ]
    )
    rows = [
        [
            InlineKeyboardButton(
                _("Switch off") if on else _("Switch on"),
                callback_data=encode(Action.INVOLVEMENT_SWITCH, group_id, int(not on)),
            )
        ],
        [
            InlineKeyboardButton(
                _("Export for payment (CSV)"),
                callback_data=encode(Action.INVOLVEMENT_EXPORT, group_id),
            )
        ],
    ]
    if on:
        mark = encode(Action.ATTENDANCE_MEETINGS, group_id)
        rows.insert(1, [InlineKeyboardButton(_("Mark who took part"), callback_data=mark)])
    return text, InlineKeyboardMarkup(rows)


_PART = 21  # a person's 63-bit row id travels as three numbers of 21 bits
_MASK = (1 << _PART) - 1


def person_id_of(parts: Sequence[int]) -> int:
    a, b, c = parts
    return (a << 2 * _PART) | (b << _PART) | c


def attendance_meetings(held: Sequence[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not held:
        return _(NO_RECENT_MEETINGS), None
    rows = [
        [InlineKeyboardButton(label[:60], callback_data=encode(Action.ATTENDANCE_PEOPLE, oid))]
        for oid, label in held
    ]
    return _("Which meeting?"), InlineKeyboardMarkup(rows)


NO_RECENT_MEETINGS = N_("No meetings were held in the last four weeks.")


def attendance_people(
    occurrence_id: int, chosen: Sequence[Chosen]
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not chosen:
        return _("Nobody in this group has chosen to have their involvement recorded yet."), None
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
        _("Press each person who took part. Only people who chose to be recorded are listed."),
        InlineKeyboardMarkup(rows),
    )


def pick_group(found: Sequence[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            InlineKeyboardButton(
                title or _("Your group"), callback_data=encode(Action.INVOLVEMENT_GROUP, gid)
            )
        ]
        for gid, title in found
    ]
    return _("Which group?"), InlineKeyboardMarkup(rows)


def ask_choice(title: str, group_id: int, telegram_name: str) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join(
        [
            _("<b>Record my involvement in {group}?</b>").format(group=escape(title)),
            _privacy(),
            "",
            _("Under which name?"),
        ]
    )
    rows = [
        [
            InlineKeyboardButton(
                _("Use “{name}”").format(name=telegram_name)[:60],
                callback_data=encode(Action.INVOLVEMENT_NAME, group_id, 0),
            )
        ],
        [
            InlineKeyboardButton(
                _("Type a name"), callback_data=encode(Action.INVOLVEMENT_NAME, group_id, 1)
            )
        ],
    ]
    return text, InlineKeyboardMarkup(rows)


def ask_payment(name: str, group_id: int) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join(
        [
            _("The name recorded will be <b>{name}</b>.").format(name=escape(name)),
            _(
                "Do you want to be paid for your time? Some people on benefits record their "
                "time without payment."
            ),
        ]
    )
    rows = [
        [
            InlineKeyboardButton(
                _("I want payment"), callback_data=encode(Action.INVOLVEMENT_PAY, group_id, 1)
            )
        ],
        [
            InlineKeyboardButton(
                _("Record my time, no payment"),
                callback_data=encode(Action.INVOLVEMENT_PAY, group_id, 0),
            )
        ],
    ]
    return text, InlineKeyboardMarkup(rows)


def _payment(wants: bool) -> str:
    return _("payment wanted") if wants else _("time recorded, no payment")


def meetings(
    title: str, me: Profile, held: Sequence[tuple[int, str]]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """`held`: (meeting date id, "4 Dec Board preparation") for recent meetings."""
    text = "\n".join(
        [
            _("<b>Your involvement in {group}</b>").format(group=escape(title)),
            _("Recorded as {name} ({payment}).").format(
                name=escape(me.name), payment=_payment(me.wants_payment)
            ),
            "",
        ]
    )
    if not held:
        return text + _(NO_RECENT_MEETINGS), None
    rows = [
        [
            InlineKeyboardButton(
                _("I took part: {meeting}").format(meeting=label)[:60],
                callback_data=encode(Action.TOOK_PART, occurrence_id),
            )
        ]
        for occurrence_id, label in held
    ]
    return text + _("Press each meeting you took part in."), InlineKeyboardMarkup(rows)


def ask_time() -> str:
    return _(
        "Recorded. If you want, type the time you gave and your travel costs, like {example}. "
        "Or leave it: the meeting is recorded either way."
    ).format(example=_(_EXAMPLE))


TIME_TOO_LATE = N_("That meeting's record has already been exported, so I could not change it.")


def time_saved(typed: TimeAndTravel) -> str:
    travel = None if typed.pence is None else f"£{typed.pence / 100:.2f}"
    if typed.minutes is not None and travel is not None:
        return _("Saved: {minutes} minutes and {money} travel.").format(
            minutes=typed.minutes, money=travel
        )
    if typed.minutes is not None:
        return _("Saved: {minutes} minutes.").format(minutes=typed.minutes)
    return _("Saved: {money} travel.").format(money=travel)


TOOK_PART_TEXT = {
    "recorded": N_("Recorded. Thank you for taking part."),
    "already": N_("That meeting was already recorded."),
    "not_chosen": N_("Please choose first how to be recorded: type /involvement."),
    "off": N_("This group does not record involvement any more."),
    "gone": N_("This button is no longer in use. Nothing was changed."),
}


MARKED_TEXT = {
    "recorded": N_("Marked."),
    "already": N_("Already marked."),
    "not_chosen": N_("That person no longer wants to be recorded."),
    "off": N_("This group does not record involvement any more."),
    "gone": N_("This button is no longer in use. Nothing was changed."),
}


def export_caption(title: str) -> str:
    return _("Involvement record for {group}, for payment claims.").format(group=title)


def export_csv(rows: Sequence[ExportRow]) -> bytes:
    header = [
        _("Name"),
        _("Date"),
        _("Meeting"),
        _("Minutes"),
        _("Travel expenses (GBP)"),
        _("Payment"),
    ]
    body = [
        [
            r.name,
            r.day.isoformat(),
            r.meeting,
            "" if r.minutes is None else r.minutes,
            "" if r.expenses_pence is None else f"{r.expenses_pence / 100:.2f}",
            _("Wanted") if r.wants_payment else _("Not wanted: record time only"),
        ]
        for r in rows
    ]
    return csv_bytes([header, *body])


def my_data_lines(
    chosen: Sequence[tuple[str, Profile]], entries: Sequence[tuple[str, date, str, bool]]
) -> list[str]:
    if not chosen and not entries:
        return []
    lines = ["", _("<b>Involvement record</b> (you chose it):")]
    for title, me in chosen:
        lines.append(
            "• "
            + _("{group}: as {name}, {payment}").format(
                group=escape(title), name=escape(me.name), payment=_payment(me.wants_payment)
            )
        )
    for title, day, meeting, exported in entries:
        entry = f"{date_words(day)} {escape(meeting)}"
        if exported:
            entry = _("{entry} (exported for payment)").format(entry=entry)
        lines.append(f"• {escape(title)}: {entry}")
    return lines


def forgotten_line(erased: int, exported: int) -> str:
    if not erased:
        return ""
    text = "\n\n" + ngettext(
        "I erased {count} involvement record entry.",
        "I erased {count} involvement record entries.",
        erased,
    ).format(count=erased)
    if exported:
        text += " " + ngettext(
            "{count} of them had already been sent to the organisers for payment. I cannot "
            "erase that copy. Ask an organiser if you want it deleted.",
            "{count} of them had already been sent to the organisers for payment. I cannot "
            "erase those copies. Ask an organiser if you want them deleted.",
            exported,
        ).format(count=exported)
    return text
