"""Texts and buttons for meetings. Plain words, HTML-escaped user text, counts never names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.meeting_rules import Rsvp
from bot.domain.meeting_setup import MeetingSetup, SetupStep
from bot.domain.problems import ProblemError
from bot.domain.recurrence import (
    ORDINALS,
    RECURRENCES,
    Recurrence,
    ordinal_day,
    week_of_month,
)
from bot.domain.roles import Role
from bot.domain.when import EXAMPLES, zone_label, zone_of
from bot.i18n import DEFAULT_LANGUAGE, N_, _, current_language, ngettext
from bot.i18n.formats import repeat_words, span_words, when_words
from bot.services.meeting_rsvps import RsvpStatus
from bot.services.meetings import OccurrenceView, RsvpCounts
from bot.views.callbacks import Action, encode
from bot.views.limits import fit_message
from bot.views.problems import problem_words
from bot.views.role_words import capitalised as words_capitalised

SAVE, CHANGE, MORNING, EVENING, REPEAT_BASE = 0, 1, 2, 3, 10
# "No service users have said they are coming": one sentence per role, so each language
# can bend the word as its grammar needs.
_NOBODY_COMING = {
    Role.SERVICE_USER: N_("No service users have said they are coming yet."),
    Role.CARER: N_("No carers have said they are coming yet."),
    Role.STAFF: N_("No staff have said they are coming yet."),
}

MEETING_IN_GROUP_ONLY = N_("Please use /meeting in the group the meeting is for.")
ONLY_FACILITATORS = N_("Sorry, only the group's organisers can do that.")
ONLY_FACILITATORS_SHORT = N_("Only the group's organisers can do that.")
ONLY_CREATOR = N_("Only the person who typed this meeting can save or change it.")
STALE = N_("This button is no longer in use. Nothing was changed.")
NOT_IN_GROUP = N_(
    "Only people in this group can answer here, so nothing was changed. "
    "If you have just joined, please try again in a minute."
)
NOTHING_PLANNED = N_("No meetings are planned in this group yet.")
NOT_SAVED_TYPE_AGAIN = N_(
    "Not saved. Type /meeting again with the right details, for example:\n"
    "/meeting next Tuesday 2pm | Working group | Room 3"
)
SET_UP_LABEL = N_("Set up the meeting in private")
BAD_LINK = N_("Sorry, I could not use that link. Please type /meeting in your group again.")
SAVE_LABEL, CHANGE_LABEL = N_("✅ Save"), N_("✏️ Change")
AGENDA_HOW = N_(
    "Add an item to the next meeting's agenda like this:\n/agenda Transport to the venue\n"
    "You can also send it to me in private, and nobody will know it was you."
)
PRIVATE_AGENDA_GROUP = N_(
    "Which group's next meeting is this for? I could not tell. Please use /agenda in the "
    "group, or follow the “Add to the agenda privately” link there."
)
TIMEZONE_HOW = N_("Please name a time zone, for example: /timezone Europe/London")
REMINDERS_HOW = N_(
    "Choose when I remind the group before each meeting, for example:\n/reminders 1 day, 1 hour"
)
CALENDAR_CAPTION = N_(
    "Open this file to add the meeting to your calendar. If you added it before, it updates "
    "that copy."
)
CALENDAR_CANCEL_CAPTION = N_("Open this file to take the cancelled meeting out of your calendar.")
OPEN_PRIVATE_CHAT = N_("Please open a private chat with me first, then press again.")
MOVE_HOW = N_("Please write it like this: /movemeeting 1 | next Wednesday 3pm")
KEPT = N_("Kept")
KEPT_NOTHING_CHANGED = N_("Kept. Nothing was changed.")
CANCELLED, MOVED, SAVED = N_("Cancelled"), N_("Moved"), N_("Saved")
OVER = N_("This meeting is over or cancelled.")
USE_GROUP_BUTTON = N_("Please use the button on the meeting's message in its group.")
ANSWER_FIRST = N_("Please press Coming or Maybe first.")
CALENDAR_SENT = N_("I sent you the calendar file in our private chat.")
WILL_REMIND = N_("Done: I will remind you in our private chat.")


def _when(moment: datetime, zone: str) -> str:
    return when_words(moment, zone)


# The answer buttons' words (bot/domain/meeting_rules.py keeps them in English).
_RSVP_WORDS = {
    Rsvp.COMING: N_("Coming"),
    Rsvp.MAYBE: N_("Maybe"),
    Rsvp.NOT_COMING: N_("Can't come"),
}


def rsvp_ack(status: RsvpStatus, choice: Rsvp) -> str:
    """The answer to an RSVP press, seen by the presser only."""
    answer = _(_RSVP_WORDS[choice])
    acks = {
        RsvpStatus.RECORDED: _("Thanks: {answer}. You can change it any time."),
        RsvpStatus.CHANGED: _("Changed to: {answer}."),
        RsvpStatus.UNCHANGED: _("You already said: {answer}."),
        RsvpStatus.OVER: _("This meeting is over or cancelled."),
        RsvpStatus.WRONG_CHAT: _("Please answer in the meeting's own group."),
    }
    return acks.get(status, _(STALE)).format(answer=answer)


def repeat_label(recurrence: Recurrence, start_local: datetime) -> str:
    if current_language() != DEFAULT_LANGUAGE:
        return {
            Recurrence.NONE: _("Just once"),
            Recurrence.WEEKLY: _("Every week"),
            Recurrence.FORTNIGHTLY: _("Every 2 weeks"),
        }.get(recurrence) or words_capitalised(repeat_words(recurrence, start_local))
    labels = {
        Recurrence.NONE: "Just once",
        Recurrence.WEEKLY: "Every week",
        Recurrence.FORTNIGHTLY: "Every 2 weeks",
        Recurrence.MONTHLY_DATE: f"Monthly on the {ordinal_day(start_local.day)}",
        Recurrence.MONTHLY_WEEKDAY: (
            f"Monthly, {ORDINALS[week_of_month(start_local.day)]} {start_local:%A}"
        ),
    }
    return labels[recurrence]


def _clock(moment: datetime, zone: str) -> str:
    return f"{moment.astimezone(zone_of(zone)):%H:%M}"


def _half_of_day(moment: datetime, zone: str, other: datetime) -> str:
    """'Fri 10:00 in the morning'; the day is named only when the two readings differ in it."""
    local, other_local = moment.astimezone(zone_of(zone)), other.astimezone(zone_of(zone))
    clock = f"{local:%H:%M}"
    if local.date() != other_local.date():
        clock = f"{_short_day(local)} {clock}"
    if local.hour < 12:
        return _("{clock} in the morning").format(clock=clock)
    return _("{clock} in the evening").format(clock=clock)


def _short_day(local: datetime) -> str:
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return f"{local:%a}"
    return format_date(local, "EEE", locale=language)


def confirm_text(state: MeetingSetup, zone: str) -> str:
    assert state.starts_at is not None
    if state.or_else is not None:
        morning, evening = state.starts_at, state.or_else
        hour = f"{morning.astimezone(zone_of(zone)):%-I:%M}".removesuffix(":00")
        lines = [
            f"<b>{escape(state.title)}</b>",
            "",
            _("<b>{hour} in the morning or in the evening?</b>").format(hour=hour),
            _("Morning: {moment}").format(moment=escape(_when(morning, zone))),
            _("Evening: {moment}").format(moment=escape(_when(evening, zone))),
            "",
            _("Press the one you mean, or <b>Change</b> to type it again."),
        ]
        return "\n".join(lines)
    local = state.starts_at.astimezone(zone_of(zone)).replace(tzinfo=None)
    lines = [
        _("Please check the meeting before I save it:"),
        "",
        f"<b>{escape(state.title)}</b>",
        _("When: {moment}").format(moment=escape(_when(state.starts_at, zone))),
    ]
    if state.place:
        lines.append(_("Where: {place}").format(place=escape(state.place)))
    lines.append(_("Repeats: {how}").format(how=escape(repeat_words(state.recurrence, local))))
    lines += ["", _("Press <b>Save</b> if this is right, or <b>Change</b> to fix it.")]
    return "\n".join(lines)


def confirm_keyboard(draft_id: int, state: MeetingSetup, zone: str) -> InlineKeyboardMarkup:
    assert state.starts_at is not None
    if state.or_else is not None:
        # No Save until the person says which of the two they meant.
        morning, evening = state.starts_at, state.or_else
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _half_of_day(when, zone, other),
                        callback_data=encode(Action.MEETING_CONFIRM, draft_id, choice),
                    )
                ]
                for when, other, choice in (
                    (morning, evening, MORNING),
                    (evening, morning, EVENING),
                )
            ]
            + [
                [
                    InlineKeyboardButton(
                        CHANGE_LABEL, callback_data=encode(Action.MEETING_CONFIRM, draft_id, CHANGE)
                    )
                ]
            ]
        )
    local = state.starts_at.astimezone(zone_of(zone)).replace(tzinfo=None)

    def repeat(recurrence: Recurrence) -> InlineKeyboardButton:
        label = repeat_label(recurrence, local)
        if recurrence is state.recurrence:
            label = f"✓ {label}"
        choice = REPEAT_BASE + RECURRENCES.index(recurrence)
        return InlineKeyboardButton(
            label, callback_data=encode(Action.MEETING_CONFIRM, draft_id, choice)
        )

    r = RECURRENCES
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    SAVE_LABEL, callback_data=encode(Action.MEETING_CONFIRM, draft_id, SAVE)
                ),
                InlineKeyboardButton(
                    CHANGE_LABEL, callback_data=encode(Action.MEETING_CONFIRM, draft_id, CHANGE)
                ),
            ],
            [repeat(r[0]), repeat(r[1]), repeat(r[2])],
            [repeat(r[3]), repeat(r[4])],
        ]
    )


def setup_question(step: SetupStep, zone: str, error: ProblemError | None = None) -> str:
    questions = {
        SetupStep.WHEN: lambda: _(
            "When is the meeting? Type a day and time, like {examples}. "
            "I will read it as {place} time."
        ).format(examples=_(EXAMPLES), place=escape(zone_label(zone))),
        SetupStep.TITLE: lambda: _(
            "What is the meeting called? For example: Discharge working group"
        ),
        SetupStep.PLACE: lambda: _(
            "Where is it? Type a room and address, or a video link. Type - if you would rather "
            "not say."
        ),
    }
    text = questions[step]() if step in questions else ""
    return text if error is None else f"{problem(error)}\n\n{text}"


def set_up_in_private() -> str:
    return _(
        "Let's plan a meeting. Press the button and I will guide you, step by step, in private."
    )


def set_up_keyboard(url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(SET_UP_LABEL, url=url)]])


def problem(error: ProblemError) -> str:
    """Something typed that cannot be used, in the reader's language."""
    return f"⚠️ {escape(problem_words(error))}"


def saved_text(group_title: str) -> str:
    return _("Saved. The meeting is now posted in <b>{group}</b>.").format(
        group=escape(group_title)
    )


def answer_totals(c: RsvpCounts) -> str:
    """The answers to one date, totals only (never by role): the meeting message and the report."""
    return _("Coming: {coming} · Maybe: {maybe} · Can't come: {not_coming}").format(
        coming=c.coming, maybe=c.maybe, not_coming=c.not_coming
    )


def _counts(view: OccurrenceView) -> str:
    return answer_totals(view.counts)


def _agenda(items: Sequence[str], shown: int | None = None) -> list[str]:
    """The agenda's lines; with `shown`, only that many items and a line for the rest."""
    if not items:
        return []
    shown = len(items) if shown is None else shown
    lines = ["", _("<b>Agenda</b>"), *(f"• {escape(item)}" for item in items[:shown])]
    left = len(items) - shown
    if left <= 0:
        return lines
    more = ngettext(
        "… and {count} more item: send /meetings in the group to see them all.",
        "… and {count} more items: send /meetings in the group to see them all.",
        left,
    )
    return [*lines, more.format(count=left)]


def _more_polls(left: int) -> list[str]:
    if left <= 0:
        return []
    more = ngettext(
        "… and {count} more open poll: send /polls in the group to see them all.",
        "… and {count} more open polls: send /polls in the group to see them all.",
        left,
    )
    return [more.format(count=left)]


def _details(view: OccurrenceView) -> list[str]:
    lines = [_("When: {moment}").format(moment=escape(_when(view.starts_at, view.zone)))]
    if view.repeats:
        how = repeat_words(view.recurrence, view.start_local)
        lines.append(_("Repeats: {how}").format(how=escape(how)))
    if view.place:
        lines.append(_("Where: {place}").format(place=escape(view.place)))
    return lines


def meeting_message(view: OccurrenceView) -> str:
    """The date's message, which is edited as answers come: one message, so a long agenda
    is shortened (all of it is in /meetings)."""
    return fit_message(partial(_meeting_message, view), len(view.agenda))


def _meeting_message(view: OccurrenceView, shown: int) -> str:
    if view.cancelled:
        return "\n".join(
            [
                f"❌ <s>{escape(view.title)}</s>",
                _("Cancelled: {moment}").format(moment=escape(_when(view.starts_at, view.zone))),
            ]
        )
    head = f"📅 <b>{escape(view.title)}</b>" + (" " + _("(moved)") if view.moved else "")
    return "\n".join(
        [
            head,
            *_details(view),
            *_agenda(view.agenda, shown),
            "",
            _counts(view),
            _("Let us know if you can come. Nobody sees who answered what."),
        ]
    )


def meeting_keyboard(view: OccurrenceView) -> InlineKeyboardMarkup | None:
    if view.cancelled:
        # Only a way to take it out of the calendars it was added to.
        remove = [
            InlineKeyboardButton(
                _("📆 Remove from my calendar"),
                callback_data=encode(Action.CALENDAR, view.occurrence_id, 0),
            )
        ]
        if view.repeats and view.series_cancelled:
            remove.append(
                InlineKeyboardButton(
                    _("📆 Remove the series"),
                    callback_data=encode(Action.CALENDAR, view.occurrence_id, 1),
                )
            )
        return InlineKeyboardMarkup([remove])
    occurrence = view.occurrence_id
    rsvp = [
        InlineKeyboardButton(
            _(_RSVP_WORDS[answer]), callback_data=encode(Action.RSVP, occurrence, answer)
        )
        for answer in Rsvp
    ]
    if view.repeats:
        calendar = [
            InlineKeyboardButton(
                _("📆 Add this date"), callback_data=encode(Action.CALENDAR, occurrence, 0)
            ),
            InlineKeyboardButton(
                _("📆 Add the series"), callback_data=encode(Action.CALENDAR, occurrence, 1)
            ),
        ]
    else:
        calendar = [
            InlineKeyboardButton(
                _("📆 Add to calendar"), callback_data=encode(Action.CALENDAR, occurrence, 0)
            )
        ]
    remind = [
        InlineKeyboardButton(
            _("🔔 Remind me privately"), callback_data=encode(Action.REMIND_ME, occurrence)
        )
    ]
    return InlineKeyboardMarkup([rsvp, calendar, remind])


def _starts_in(view: OccurrenceView, now: datetime) -> str:
    minutes = max(1, round((view.starts_at - now).total_seconds() / 60))
    if 20 * 60 <= minutes <= 28 * 60:
        return _("tomorrow")
    if minutes < 120:
        return _("in {span}").format(span=span_words(minutes))
    if minutes < 48 * 60:
        return _("in {span}").format(span=span_words(round(minutes / 60) * 60))
    return _("in {span}").format(span=span_words(round(minutes / (24 * 60)) * 24 * 60))


def reminder_text(view: OccurrenceView, open_polls: Sequence[str], *, now: datetime) -> str:
    """The group's reminder, one message: its buttons are the meeting's, and it becomes the
    message edited as answers come. Long lists are shortened (/meetings and /polls have all)."""

    def render(shown: int) -> str:
        lines = [
            _("⏰ Reminder: <b>{title}</b> is {when}.").format(
                title=escape(view.title), when=_starts_in(view, now)
            ),
            *_details(view),
            *_agenda(view.agenda, min(shown, len(view.agenda))),
        ]
        if open_polls:
            lines += ["", _("<b>Open polls</b> (vote before the meeting)")]
            lines += [f"• {escape(question)}" for question in open_polls[:shown]]
            lines += _more_polls(len(open_polls) - shown)
        lines += ["", _counts(view)]
        return "\n".join(lines)

    return fit_message(render, max(len(view.agenda), len(open_polls)))


def personal_reminder(view: OccurrenceView, *, now: datetime) -> str:
    def render(shown: int) -> str:
        head = _("🔔 <b>{title}</b> is {when}.").format(
            title=escape(view.title), when=_starts_in(view, now)
        )
        lines = [head, *_details(view)]
        lines += [*_agenda(view.agenda, shown), "", _("You asked me to remind you. See you there!")]
        return "\n".join(lines)

    return fit_message(render, len(view.agenda))


def role_gap_warning(view: OccurrenceView, missing: Sequence[Role]) -> str:
    """To facilitators, privately: which roles have nobody coming yet (counts only)."""
    return "\n".join(
        [
            _("Heads up about {meeting}:").format(meeting=_meeting_words(view)),
            *(_(_NOBODY_COMING[role]) for role in missing),
            _("Each role counts the same. You may want to check in with the group."),
        ]
    )


def meetings_list(views: Sequence[OccurrenceView]) -> str:
    if not views:
        return _(NOTHING_PLANNED) + " " + _("Organisers can plan one with /meeting.")
    lines = [_("<b>Upcoming meetings</b>")]
    for number, view in enumerate(views, start=1):
        lines += ["", f"{number}. <b>{escape(view.title)}</b>", *_details(view)]
        lines += [f"   • {escape(item)}" for item in view.agenda]
        lines.append(_counts(view))
    lines += [
        "",
        _("Organisers: /cancelmeeting 1 cancels the first one."),
        _("/movemeeting 1 | next Wednesday 3pm moves it."),
    ]
    return "\n".join(lines)


def ask_cancel(view: OccurrenceView) -> tuple[str, InlineKeyboardMarkup]:
    text = _("Cancel {meeting}?").format(meeting=_meeting_words(view))
    rows = [
        [
            InlineKeyboardButton(
                _("Cancel this date"),
                callback_data=encode(Action.MEETING_CANCEL, view.occurrence_id, 1),
            )
        ]
    ]
    if view.repeats:
        rows.append(
            [
                InlineKeyboardButton(
                    _("Cancel the whole series"),
                    callback_data=encode(Action.MEETING_CANCEL, view.occurrence_id, 2),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                _("Keep it"), callback_data=encode(Action.MEETING_CANCEL, view.occurrence_id, 0)
            )
        ]
    )
    return text, InlineKeyboardMarkup(rows)


def ask_move(view: OccurrenceView, new_start: datetime) -> tuple[str, InlineKeyboardMarkup]:
    minutes = int(new_start.timestamp() // 60)
    text = _("Move <b>{title}</b> from {old} to <b>{new}</b>?").format(
        title=escape(view.title),
        old=escape(_when(view.starts_at, view.zone)),
        new=escape(_when(new_start, view.zone)),
    )

    def button(label: str, scope: int) -> list[InlineKeyboardButton]:
        data = encode(Action.MEETING_MOVE, view.occurrence_id, scope, minutes)
        return [InlineKeyboardButton(label, callback_data=data)]

    rows = [button(_("Move this date"), 1)]
    if view.repeats:
        rows.append(button(_("Move the series from this date on"), 2))
    rows.append(button(_("Keep it as it is"), 0))
    return text, InlineKeyboardMarkup(rows)


def cancelled_notice(view: OccurrenceView, *, whole_series: bool) -> str:
    if whole_series:
        head = _("❌ All future dates of <b>{title}</b> are cancelled.")
    else:
        head = _("❌ <b>{title}</b> on {moment} is cancelled.")
    words = head.format(title=escape(view.title), moment=escape(_when(view.starts_at, view.zone)))
    return words + " " + _("There will be no reminders for it.")


def moved_notice(view: OccurrenceView, *, whole_series: bool) -> str:
    if whole_series:
        head = _(
            "🔁 <b>{title}</b> and the dates after it have moved. The next one is <b>{moment}</b>."
        )
    else:
        head = _("🔁 <b>{title}</b> has moved to <b>{moment}</b>.")
    words = head.format(title=escape(view.title), moment=escape(_when(view.starts_at, view.zone)))
    return "\n".join(
        [
            words,
            _("Reminders will follow the new time. Please check your answer still stands."),
            _("If it is in your calendar, press 📆 again: the new file updates it."),
        ]
    )


def agenda_added(view: OccurrenceView) -> str:
    return _("Added to the agenda of {meeting}.").format(meeting=_meeting_words(view))


def timezone_set(zone: str) -> str:
    return _(
        "Done. New meetings here will use {place} time ({zone}). "
        "Meetings already planned keep their times."
    ).format(place=escape(zone_label(zone)), zone=escape(zone))


def timezone_now(zone: str) -> str:
    return _(TIMEZONE_HOW) + "\n" + _("(Now: {zone})").format(zone=escape(zone))


def unknown_timezone(text: str) -> str:
    return _(
        "Sorry, I do not know the time zone “{zone}”. Please use a name like "
        "Europe/London, Europe/Dublin or America/New_York."
    ).format(zone=escape(text[:60]))


def reminders_set(offsets: Sequence[int]) -> str:
    words = _(", ").join(span_words(m) for m in offsets)
    return _("Done. I will remind the group this long before each meeting: {spans}.").format(
        spans=escape(words)
    )


def reminder_opted_in(view: OccurrenceView) -> str:
    return _(
        "I will remind you here before {meeting}. If you change your answer to Can't come, "
        "I will not."
    ).format(meeting=_meeting_words(view))


NO_GROUP_WITH_MEETINGS = N_(
    "None of your groups has a meeting planned, so there is no agenda to add to yet. "
    "(You need to have joined the group with /join first.)"
)


def which_group(titles: Sequence[str]) -> str:
    lines = [_("You are in more than one group with a meeting planned. Which one is it for?")]
    lines += [f"{n}. {escape(title)}" for n, title in enumerate(titles, start=1)]
    lines += ["", _("Send it again with the number first, for example: /agenda 1 Transport")]
    return "\n".join(lines)


def _meeting_words(view: OccurrenceView) -> str:
    return f"<b>{escape(view.title)}</b> ({escape(_when(view.starts_at, view.zone))})"


def agenda_full(view: OccurrenceView) -> str:
    return "\n".join(
        [
            _("Sorry, the agenda of {meeting} is full. Nothing was added.").format(
                meeting=_meeting_words(view)
            ),
            _("You could ask an organiser, or send it again for the next meeting."),
        ]
    )


def agenda_share_used(view: OccurrenceView, per_person: int, *, private: bool) -> str:
    if private:
        used = ngettext(
            "Sorry, you have already sent {count} item for {meeting}. That is as many as one "
            "person can send.",
            "Sorry, you have already sent {count} items for {meeting}. That is as many as one "
            "person can send.",
            per_person,
        )
    else:
        used = ngettext(
            "Sorry, you have already added {count} item for {meeting}. That is as many as one "
            "person can add here.",
            "Sorry, you have already added {count} items for {meeting}. That is as many as one "
            "person can add here.",
            per_person,
        )
    return "\n".join(
        [
            used.format(count=per_person, meeting=_meeting_words(view)),
            _("Nothing was added. You could raise it at the meeting, or with an organiser."),
        ]
    )


def agenda_waiting(view: OccurrenceView) -> str:
    return "\n".join(
        [
            _(
                "Thank you. In this group, an organiser checks items sent in private first, "
                "as with feedback."
            ),
            _("If they agree, it goes on the agenda of {meeting}.").format(
                meeting=_meeting_words(view)
            ),
            _("Nobody will know it came from you, not even them."),
        ]
    )


def agenda_added_privately(view: OccurrenceView) -> str:
    return (
        agenda_added(view)
        + "\n"
        + _("Nobody will see that it came from you. It will be listed in the reminders.")
    )
