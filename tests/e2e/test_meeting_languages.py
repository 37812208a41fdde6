"""A whole meeting in Polish and in Arabic (issue 15), through the real Application.

A Polish (or Arabic) organiser plans a meeting with the guided set-up, typing the day in
their language and mistyping it once; members answer; /meetings lists it; it is reminded,
moved and cancelled; the calendar file is in the reader's words. Nobody meets an English word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from bot.scheduling.meeting_jobs import dispatch_due
from tests.e2e.poll_helpers import button, context_of
from tests.e2e.test_languages import all_words, english_in


@dataclass(frozen=True)
class Words:
    """What each step says in the language: a word or two that only the right text has."""

    code: str
    ask_when: str
    unreadable: str
    morning_or_evening: str
    evening_button: str
    change: str
    save: str
    saved: str
    coming: str
    maybe: str
    listed: str
    add_to_calendar: str
    file_name: str
    planned_with: str
    reminder: str
    move_this: str
    moved: str
    cancel_this: str
    cancelled: str


POLISH = Words(
    code="pl",
    ask_when="Kiedy jest spotkanie?",
    unreadable="nie rozumiem tej daty",
    morning_or_evening="10 rano czy wieczorem?",
    evening_button="22:00 wieczorem",
    change="Zmień",
    save="Zapisz",
    saved="Zapisano",
    coming="Przyjdę",
    maybe="Może",
    listed="Najbliższe spotkania",
    add_to_calendar="📆",
    file_name="spotkanie.ics",
    planned_with="Zaplanowane w Equal Say",
    reminder="Przypomnienie",
    move_this="Przenieś ten termin",
    moved="przeniesiono na",
    cancel_this="Odwołaj ten termin",
    cancelled="jest odwołane",
)
ARABIC = Words(
    code="ar",
    ask_when="متى الاجتماع؟",
    unreadable="لم أفهم هذا كتاريخ",
    morning_or_evening="الساعة 10 صباحا أم مساء؟",
    evening_button="22:00 مساء",
    change="تغيير",
    save="حفظ",
    saved="تم الحفظ",
    coming="سأحضر",
    maybe="ربما",
    listed="الاجتماعات القادمة",
    add_to_calendar="📆",
    file_name="اجتماع.ics",
    planned_with="خُطط له عبر Equal Say",
    reminder="تذكير",
    move_this="انقل هذا الموعد",
    moved="إلى",
    cancel_this="ألغِ هذا الموعد",
    cancelled="أُلغي",
)
LONDON = ZoneInfo("Europe/London")
# Typed by the organiser: a typo, a bare hour, then the day and time meant.
TYPED = {
    "pl": ("jutr o 15", "o 10", "jutro o 15", "jutro o 16"),
    "ar": ("غداا الساعه 3 مساء", "الساعة 10", "غدا الساعة 3 مساء", "غدا الساعة 4 مساء"),
}


def read(message: FakeMessage) -> str:
    """Every word of a message a person sees, checked for English on the way."""
    words = all_words(message)
    assert not english_in(words), words
    return words


@pytest.mark.parametrize("words", [POLISH, ARABIC], ids=["pl", "ar"])
async def test_a_meeting_is_planned_answered_moved_and_cancelled_in_the_language(
    bot: SandboxBot, words: Words
) -> None:
    tg = bot.tg
    organiser = tg.create_user("Organizator", language_code=words.code)
    ola = tg.create_user("Ola", language_code=words.code)
    ewa = tg.create_user("Ewa", language_code=words.code)
    group = tg.create_group("Wsparcie", members=[ola, ewa], admins=[organiser])
    await bot.add_to_group(group, by=organiser)
    welcome = tg.messages(group)[0]
    for member in (ola, ewa):
        await bot.follow_join(member, welcome)
        choice = bot.last(bot.private(member))
        await bot.press(member, choice, data=choice.buttons[0][0].data)

    # The guided set-up, from the group's link to the organiser's private chat.
    await bot.say(organiser, group, "/meeting")
    link = bot.last(group)
    read(link)
    url = next(b.url for row in link.buttons for b in row if b.url)
    assert url is not None
    await bot.start(organiser, url.split("?start=", 1)[1])
    private = bot.private(organiser)
    assert words.ask_when in read(bot.last(private))
    typo, bare_hour, meant, later = TYPED[words.code]
    await bot.say(organiser, private, typo)
    assert words.unreadable in read(bot.last(private))
    await bot.say(organiser, private, bare_hour)
    read(bot.last(private))  # what is it called?
    await bot.say(organiser, private, "Spotkanie grupy")
    read(bot.last(private))  # where?
    await bot.say(organiser, private, "Sala 3")
    which = bot.last(private)
    assert words.morning_or_evening in read(which)
    assert words.evening_button in all_words(which)
    await bot.press(organiser, which, data=button(which, words.change))
    assert words.ask_when in read(bot.last(private))
    await bot.say(organiser, private, meant)
    confirmation = bot.last(private)
    assert "15:00" in read(confirmation)
    answer = await bot.press(organiser, confirmation, data=button(confirmation, words.save))
    assert answer is not None and words.saved in str(answer.get("text"))
    assert words.saved in read(bot.last(private))

    # In the group, in the group's language; members answer.
    meeting = bot.last(group)
    assert "Spotkanie grupy" in read(meeting) and "15:00" in read(meeting)
    for member, label in ((ola, words.coming), (ewa, words.maybe)):
        answer = await bot.press(member, meeting, data=button(meeting, label))
        assert answer is not None and not english_in(str(answer.get("text"))), answer
    await bot.say(ola, group, "/meetings")
    listed = read(bot.last(group))
    assert words.listed in listed and "Spotkanie grupy" in listed

    # The calendar file, in Ola's private chat, in her words.
    await bot.press(ola, meeting, data=button(meeting, words.add_to_calendar))
    sent = bot.last(bot.private(ola))
    assert sent.document is not None and sent.document.filename == words.file_name
    assert not english_in(sent.caption or ""), sent.caption
    (event,) = Calendar.from_ical(sent.document.data).walk("VEVENT")
    description = str(event["description"])
    assert words.planned_with in description and not english_in(description), description
    assert event["description"].params["LANGUAGE"] == words.code

    # Moved, reminded an hour before, then cancelled: each in the language.
    await bot.say(organiser, group, f"/movemeeting 1 | {later}")
    ask = bot.last(group)
    assert "16:00" in read(ask)
    await bot.press(organiser, ask, data=button(ask, words.move_this))
    moved = read(bot.last(group))
    assert words.moved in moved and "16:00" in moved
    tomorrow = datetime.now(LONDON) + timedelta(days=1)
    starts_at = tomorrow.replace(hour=16, minute=0, second=0, microsecond=0)
    with time_machine.travel(starts_at.astimezone(UTC) - timedelta(minutes=59), tick=False):
        assert await dispatch_due(context_of(bot)) == 1
    reminder = read(bot.last(group))
    assert words.reminder in reminder and "Spotkanie grupy" in reminder
    await bot.say(organiser, group, "/cancelmeeting 1")
    ask = bot.last(group)
    read(ask)
    answer = await bot.press(organiser, ask, data=button(ask, words.cancel_this))
    assert answer is not None and not english_in(str(answer.get("text"))), answer
    assert words.cancelled in read(bot.last(group))
