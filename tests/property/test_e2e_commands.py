"""Every command, with any argument, from anyone, in the group or in private, through the bot.

Arguments are hostile text (Unicode, right-to-left, emoji, control characters, HTML, pipes),
poll lines and dates; commands come bare, addressed to this bot or to another, after a space
or a newline. After each one (besides the checks every example gets, see world.py):

- a command addressed to this bot is answered, one addressed to another bot is ignored;
- `/poll` creates exactly the poll `parse_poll_line` makes of the same argument, only for a
  facilitator in the group, or nothing at all, and then says what to fix;
- `/meeting` confirms exactly the meeting `parse_meeting_line` reads, or says what to fix,
  and saves nothing yet;
- a command changes only the tables it owns, and a read-only one changes none.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.clock import now
from bot.sandbox import FakeChat, FakeUser
from bot.views import poll_texts
from bot.views.general import FACILITATOR_GROUP_COMMANDS, PRIVATE_COMMANDS
from tests.property.oracles import check_meeting_command, check_poll_command, zone_of_group
from tests.property.strategies import any_text, date_like, meeting_lines, poll_lines
from tests.property.world import World, running_world

CI = settings.get_profile("ci")
EXAMPLES = 1000

COMMANDS = sorted({name for name, _ in (*FACILITATOR_GROUP_COMMANDS, *PRIVATE_COMMANDS)})
# The tables a command may change; every other command changes nothing stored.
OWNS: dict[str, set[str]] = {
    "poll": {"polls"},
    "newpoll": {"poll_drafts"},
    "meeting": {"meeting_drafts"},
    # An item is counted for its sender (a keyed count); sent privately where feedback is
    # checked first, it waits for a facilitator as a feedback row (the group's feedback
    # settings made on first use), its copies to facilitators noted (sealed) so the first
    # decision can update them all.
    "agenda": {
        "meeting_agenda_items",
        "feedback_counters",
        "feedback",
        "feedback_settings",
        "feedback_copies",
    },
    "timezone": {"groups"},
    "reminders": {"meeting_reminders", "meeting_prefs"},
    # Plain text in private: feedback being written (in memory), a set-up step, a reason.
    "": {"poll_drafts", "meeting_drafts", "poll_reasons"},
}
PEOPLE = ("fiona", "fiona", "member", "member", "newbie", "other")

arguments = st.one_of(any_text(), poll_lines, meeting_lines, date_like(), st.just(""))
anything = st.tuples(
    st.sampled_from(PEOPLE),
    st.booleans(),  # in the group (else in private)
    # "" is plain text (in private); "nope" is a command this bot does not have.
    st.sampled_from((*COMMANDS, *COMMANDS, "", "", "", "", "nope")),
    st.sampled_from(("", "", "", "", "@equalsay_bot", "@EqualSay_Bot", "@other_bot")),
    st.sampled_from((" ", " ", "\n", "  ")),
    arguments,
)


class Commands:
    def __init__(self, world: World) -> None:
        self.world = world

    def person(self, who: str, in_group: bool) -> tuple[FakeUser, FakeChat]:
        w = self.world
        user = {
            "fiona": w.circle.fiona,
            "member": w.circle.everyone()[0],
            "newbie": w.newbie,
            "other": w.other.everyone()[0],
        }[who]
        if in_group and who != "other":
            return user, w.circle.group
        return user, w.bot.private(user)

    async def act(self, drawn: tuple[str, bool, str, str, str, str]) -> None:
        who, in_group, command, suffix, sep, argument = drawn
        w = self.world
        user, chat = self.person(who, in_group)
        group = chat.type != "private"
        text = f"/{command}{suffix}{sep}{argument}" if command else argument
        assume(text.strip())  # Telegram sends no empty messages
        what = f"{who} typed {text!r} in {chat.type}"
        before = w.mark(rows=True)
        moment = now()
        await w.bot.say(user, chat, text)
        after_moment = now()
        await w.check(before, what)
        sent = [m for m, _ in w.new_calls(before) if m.startswith("send")]
        if command:
            addressed: bool | None = suffix.lower() in {"", "@equalsay_bot"} and command != "nope"
        else:
            # Plain text: answered in private; in a group the bot (in privacy mode) never sees
            # it. Text that happens to start with "/" is some command: either may be right.
            addressed = None if text.startswith("/") else not group
        if addressed is False:
            assert not sent, f"{what}: answered what was not for this bot"
            assert not w.changed_tables(before), f"{what}: changed something"
            return
        if addressed:
            assert sent, f"{what}: no answer"
        line = text[len(f"/{command}{suffix}") :].strip() if command else ""
        changed = w.changed_tables(before)
        assert changed <= OWNS.get(command, set()), f"{what}: changed {changed}"
        if command == "poll":
            check_poll_command(w, before, line, facilitator=group and who == "fiona", what=what)
        if command == "meeting" and group and who == "fiona" and line:
            zone = zone_of_group(w, w.circle.group.id)
            check_meeting_command(w, before, line, zone, (moment, after_moment), what)


def test_any_command_with_any_argument_is_answered_kindly(tmp_path: Path) -> None:
    with running_world(tmp_path / "equalsay.db") as (world, run):
        acting = Commands(world)

        @settings(CI, max_examples=EXAMPLES)
        @given(drawn=anything)
        def command(drawn: tuple[str, bool, str, str, str, str]) -> None:
            run(lambda _: acting.act(drawn))

        command()
        assert world.examples >= EXAMPLES  # what __init__.py counts really ran


def test_the_example_line_is_shown_escaped() -> None:
    # The refusal the /poll check above expects is the escaped message and the example.
    assert escape("<") in poll_texts.input_problem("<")
