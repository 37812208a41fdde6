"""The /meeting flow with hostile dates, titles and places, through the real bot.

A facilitator types `/meeting <when> | <what> | <where>` with dates as people type them and
nearly so (numbers out of range, years 1 to 10000, zones, words in other scripts) and hostile
titles and places; then the confirmation's buttons are pressed in any order, by the author or
by someone else, and the meeting may be saved, answered, listed, moved and cancelled. Besides
the checks every example gets (see world.py):

- the confirmation shows exactly what `parse_meeting_line` reads, or the reason it cannot;
- nothing is saved before Save, only the author's Save saves, and what is saved is what was
  confirmed (time, title, place, and the repeat chosen);
- moving with any typed time, and cancelling, change only that meeting.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.clock import now
from bot.domain.meeting_rules import MeetingLine
from bot.domain.recurrence import RECURRENCES
from bot.sandbox import FakeMessage
from bot.views import meetings as views
from bot.views.callbacks import Action, decode
from tests.property.oracles import check_meeting_command, zone_of_group
from tests.property.strategies import (
    date_like,
    fair_meeting_lines,
    hostile_text,
    meeting_lines,
)
from tests.property.world import World, running_world

CI = settings.get_profile("ci")
EXAMPLES = 250

# What happens on the confirmation: "save" / "change" by its author, "repeat" (with an index),
# "intruder" (a member presses Save), then what is done with a saved meeting.
steps = st.lists(
    st.one_of(
        st.sampled_from(("save", "change", "intruder")),
        st.tuples(st.just("repeat"), st.integers(0, len(RECURRENCES) - 1)),
    ),
    max_size=3,
)
steps = st.one_of(steps, steps.map(lambda chosen: [*chosen, "save"]), st.just(["save"]))
afterwards = st.sampled_from(("nothing", "rsvp", "list", "move", "cancel", "agenda"))
Drawn = tuple[str, str, list[str | tuple[str, int]], str, str]
meetings = st.tuples(
    st.sampled_from((" ", "\n")),
    st.one_of(fair_meeting_lines, fair_meeting_lines, meeting_lines),
    steps,
    afterwards,
    st.one_of(date_like(), hostile_text(max_size=6)),
)


def _stamp(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _button(message: FakeMessage, choice: int) -> str:
    for button in message.all_buttons():
        press = decode(button.data)
        if press is not None and press.action is Action.MEETING_CONFIRM and press.args[1] == choice:
            return str(button.data)
    raise AssertionError(f"no confirmation button {choice}")


class Meetings:
    def __init__(self, world: World) -> None:
        self.world = world

    async def act(self, drawn: Drawn) -> None:
        sep, line, presses, then, typed = drawn
        w = self.world
        fiona, group = w.circle.fiona, w.circle.group
        what = f"/meeting {line!r}"
        before = w.mark(rows=True)
        first = now()  # the bot reads the clock between these two
        await w.bot.say(fiona, group, f"/meeting{sep}{line}")
        moments = (first, now())
        await w.check(before, what)
        zone = zone_of_group(w, group.id)
        confirmed = (
            check_meeting_command(w, before, line.strip(), zone, moments, what)
            if line.strip()
            else None
        )
        changed = w.changed_tables(before)
        assert changed <= {"meeting_drafts"}, f"{what}: changed {changed} before Save"
        if confirmed is None:
            return
        confirmation = w.bot.last(group)
        recurrence = RECURRENCES[0]
        meetings_before = w.rows(["meetings"])["meetings"]
        saved = False
        for step in presses:
            before = w.mark()
            if isinstance(step, tuple):
                recurrence = RECURRENCES[step[1]]
                data = _button(confirmation, views.REPEAT_BASE + step[1])
                await w.bot.press(fiona, confirmation, data=data)
            elif step == "intruder":
                intruder = w.circle.everyone()[0]
                answer = await w.bot.press(intruder, confirmation, data=_button(confirmation, 0))
                assert answer is not None and answer.get("text") == views.STALE, what
            else:
                choice = views.SAVE if step == "save" else views.CHANGE
                await w.bot.press(fiona, confirmation, data=_button(confirmation, choice))
            await w.check(before, f"{what}: {step}")
            if step in {"save", "change"}:
                saved = step == "save"
                break
        new = [r for r in w.rows(["meetings"])["meetings"] if r not in meetings_before]
        assert len(new) == (1 if saved else 0), f"{what}: {len(new)} meetings saved"
        if saved:
            self.check_saved(int(new[0][0]), confirmed, recurrence.value, what)
            await self.afterwards(then, typed, what)

    def check_saved(
        self, meeting_id: int, confirmed: MeetingLine, recurrence: str, what: str
    ) -> None:
        w = self.world
        title, place, kind = w.db.execute(
            "SELECT title, place, recurrence FROM meetings WHERE id = ?", (meeting_id,)
        ).fetchone()
        assert (title, place, kind) == (confirmed.title, confirmed.place, recurrence), what
        first = w.db.execute(
            "SELECT MIN(starts_at) FROM meeting_occurrences WHERE meeting_id = ?", (meeting_id,)
        ).fetchone()[0]
        assert _stamp(first) == confirmed.starts_at, f"{what}: saved for {first}"

    async def afterwards(self, then: str, typed: str, what: str) -> None:
        w = self.world
        fiona, group = w.circle.fiona, w.circle.group
        before = w.mark(rows=True)
        meeting = w.bot.last(group)
        if then == "rsvp":
            for index, member in enumerate(w.circle.everyone()[:4]):
                label = ("Coming", "Maybe", "Can't come")[index % 3]
                buttons = [b for b in meeting.all_buttons() if b.data and label in b.text]
                if buttons:
                    await w.bot.press(member, meeting, data=buttons[0].data)
        elif then == "list":
            await w.bot.say(w.circle.everyone()[0], group, "/meetings")
        elif then == "move":
            await w.bot.say(fiona, group, f"/movemeeting 1 | {typed}")
            asked = w.bot.last(group)
            moves = [b.data for b in asked.all_buttons() if b.data and b.data.startswith("mm:")]
            if moves:
                await w.bot.press(fiona, asked, data=moves[-1])
        elif then == "cancel":
            await w.bot.say(fiona, group, "/cancelmeeting 1")
            asked = w.bot.last(group)
            cancels = [b.data for b in asked.all_buttons() if b.data and b.data.startswith("mx:")]
            if cancels:
                await w.bot.press(fiona, asked, data=cancels[-1])
        elif then == "agenda":
            await w.bot.say(w.circle.everyone()[1], group, f"/agenda {typed}")
        await w.check(before, f"{what}, then {then} {typed!r}")
        changed = w.changed_tables(before)
        allowed = {
            "nothing": set(),
            "list": set(),
            "rsvp": {"meeting_rsvps"},
            "agenda": {"meeting_agenda_items", "feedback_counters"},  # the sender's count
            "move": {"meetings", "meeting_occurrences", "meeting_reminders"},
            "cancel": {"meetings", "meeting_occurrences", "meeting_reminders"},
        }[then]
        assert changed <= allowed, f"{what}, then {then}: changed {changed}"


def test_hostile_meetings_are_confirmed_saved_and_changed_kindly(tmp_path: Path) -> None:
    with running_world(tmp_path / "equalsay.db") as (world, run):
        acting = Meetings(world)

        @settings(CI, max_examples=EXAMPLES)
        @given(drawn=meetings)
        def meeting(drawn: Drawn) -> None:
            run(lambda _: acting.act(drawn))

        meeting()
        assert world.examples >= EXAMPLES  # what __init__.py counts really ran
