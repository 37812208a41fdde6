"""Meeting texts that list a growing agenda (and open polls) fit one Telegram message, as
valid HTML, whatever the items hold; `fit_message` shows as many items as fit and never cuts
inside a tag or an entity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.meeting_rules import AGENDA_MAX
from bot.domain.recurrence import Recurrence
from bot.sandbox.entities_html import parse_html
from bot.services.meetings import OccurrenceView, RsvpCounts
from bot.views.limits import MESSAGE_LIMIT, fit_message, visible_length
from bot.views.meetings import meeting_message, meetings_list, personal_reminder, reminder_text
from tests.property.strategies import hostile_text

CI = settings.get_profile("ci")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _view(agenda: list[str], *, title: str = "Forum", place: str = "Room 3") -> OccurrenceView:
    start = NOW + timedelta(days=1)
    return OccurrenceView(
        occurrence_id=1,
        meeting_id=1,
        group_id=1,
        chat_id=-1,
        group_active=True,
        thread_id=None,
        message_id=None,
        title=title,
        place=place,
        zone="Europe/London",
        starts_at=start,
        start_local=start.replace(tzinfo=None),
        recurrence=Recurrence.WEEKLY,
        cancelled=False,
        moved=False,
        agenda=tuple(agenda),
        counts=RsvpCounts(),
    )


def _valid_and_fits(text: str) -> str:
    """Telegram would take it: valid HTML line by line and whole, within the limit."""
    assert visible_length(text) <= MESSAGE_LIMIT, visible_length(text)
    for line in text.split("\n"):
        parse_html(line)
    return parse_html(text).text


def _numbered(count: int, char: str = "&") -> list[str]:
    """Items as long as allowed, made of a character HTML writes five times longer."""
    return [f"{n:02d} " + char * (AGENDA_MAX - 3) for n in range(count)]


def test_fourteen_items_of_300_characters_fit_the_meeting_message_and_the_reminders() -> None:
    view = _view(_numbered(14))
    for text in (
        meeting_message(view),
        reminder_text(view, ["Move to Thursdays?"], now=NOW),
        personal_reminder(view, now=NOW),
    ):
        shown = _valid_and_fits(text)
        assert "00 &&&" in shown  # the first items are there, as typed
        assert "more items: send /meetings in the group to see them all." in shown
    # Shortened only as much as needed: one more item would not fit.
    shown = _valid_and_fits(meeting_message(view))
    listed = sum(1 for n in range(14) if f"{n:02d} &&&" in shown)
    assert 10 <= listed < 14
    assert f"{14 - listed} more items" in shown


def test_a_short_agenda_is_shown_whole_and_unchanged() -> None:
    view = _view(["Transport", "Parking & access"])
    text = meeting_message(view)
    assert "• Parking &amp; access" in text and "more item" not in text
    assert reminder_text(view, [], now=NOW).count("•") == 2


def test_open_polls_are_shortened_too() -> None:
    polls = [f"Poll {n}? " + "<" * 290 for n in range(20)]
    text = reminder_text(_view(_numbered(3)), polls, now=NOW)
    shown = _valid_and_fits(text)
    assert "Poll 0? <<<" in shown and "more open polls: send /polls" in shown


def test_meetings_list_is_split_by_the_reply_not_cut() -> None:
    """/meetings shows every item: it is answered in as many messages as it takes."""
    from bot.views.limits import split_message

    text = meetings_list([_view(_numbered(20))])
    parts = split_message(text)
    assert len(parts) > 1
    shown = "\n".join(_valid_and_fits(part) for part in parts)
    for n in range(20):
        assert f"{n:02d} " + "&" * (AGENDA_MAX - 3) in shown


def test_fit_message_takes_the_most_items_that_fit() -> None:
    items = ["x" * 100] * 50

    def render(shown: int) -> str:
        more = len(items) - shown
        return "\n".join([*items[:shown], f"and {more} more" if more else ""])

    text = fit_message(render, len(items), limit=1000)
    assert visible_length(text) <= 1000
    assert text == render(9)  # 9 lines of 100 and the note fit; 10 would not


def test_fit_message_cuts_at_a_line_when_even_no_items_do_not_fit() -> None:
    text = fit_message(lambda _: "<b>head</b>\n" + "&amp;" * 300 + "\n<i>tail</i>", 0, limit=100)
    assert visible_length(text) <= 100
    parse_html(text)


@settings(CI, max_examples=150)
@given(
    agenda=st.lists(hostile_text(max_size=AGENDA_MAX), max_size=25),
    polls=st.lists(hostile_text(max_size=300), max_size=15),
    title=hostile_text(max_size=120),
    place=hostile_text(max_size=200),
)
def test_any_agenda_and_polls_make_valid_messages_that_fit(
    agenda: list[str], polls: list[str], title: str, place: str
) -> None:
    # As stored: clean_text leaves no line breaks in a title, a place or an item.
    view = _view(
        [" ".join(a.split()) or "x" for a in agenda],
        title=" ".join(title.split()) or "x",
        place=" ".join(place.split()),
    )
    for text in (
        meeting_message(view),
        reminder_text(view, polls, now=NOW),
        personal_reminder(view, now=NOW),
    ):
        _valid_and_fits(text)
    if not agenda:
        return
    shown = parse_html(meeting_message(view)).text
    assert escape(view.agenda[0]) in meeting_message(view) or "more item" in shown


def test_fit_message_renders_a_long_list_only_a_few_times() -> None:
    """The most that fit are found by halving: a 200-item agenda (the most AGENDA_PER_MEETING
    allows) is not rendered 200 times on every edit of the meeting message."""
    calls: list[int] = []
    items = ["&" * 300] * 200

    def render(shown: int) -> str:
        calls.append(shown)
        return "\n".join([*items[:shown], f"and {len(items) - shown} more"])

    text = fit_message(render, len(items))
    assert visible_length(text) <= MESSAGE_LIMIT
    assert text == render(13)  # 13 lines of 300 and the note fit; 14 would not
    assert len(calls) <= 12
