"""Button presses with any callback data, by anyone, on any message, through the real bot.

Random strings and bytes up to Telegram's 64, well-formed codec payloads naming other chats'
polls, closed polls, meetings, groups and numbers that exist nowhere, and genuine buttons
pressed by the wrong people. After every press (see tests/property/world.py for the checks
every example gets):

- the press was answered, kindly, and the bot neither failed nor apologised;
- a refusal (stale, wrong chat, closed, join first, facilitators only...) changed nothing;
- ballots changed only by a vote or withdrawal of a person with a role in the poll's group,
  pressed on the poll's own chat while it was open, and only that person's ballot;
- polls and group settings changed only by a facilitator of that group, in that group;
- a group's message is rewritten only to refresh a poll or a meeting, unless a facilitator of
  that group pressed (private-chat buttons forged onto a poll used to replace it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.domain.keyed_hash import ballot_key, member_key
from bot.domain.roles import Role
from bot.sandbox import FakeChat, FakeUser
from bot.views import general
from bot.views import meetings as meeting_views
from bot.views import poll_acks as acks
from bot.views import poll_texts as texts
from bot.views.callbacks import MAX_CALLBACK_BYTES, MAX_NUMBER, Action, decode
from tests.e2e.meeting_helpers import plan_meeting
from tests.property.world import Mark, World, running_world

CI = settings.get_profile("ci")
EXAMPLES = 1300

# Answers that refuse a press: after one of these, nothing may have changed.
REFUSALS = {
    general.STALE_BUTTON,
    acks.poll_closed_ack(),
    acks.wrong_chat_ack(),
    acks.join_first_ack(),
    acks.join_to_vote_ack(),
    acks.facilitators_only_ack(),
    acks.no_vote_to_withdraw_ack(),
    acks.results_after_close_ack(),
    texts.poll_gone_ack(),
    texts.export_after_close_ack(),
    meeting_views.STALE,
    meeting_views.ONLY_FACILITATORS_SHORT,
}
POLL_NAMES = ("single", "multiple", "proposal", "scale", "closed", "elsewhere")
# Voters and the places their buttons are, most often; then everyone and everywhere else.
PEOPLE = (
    *("service_user", "carer", "staff") * 2,
    *("fiona", "newbie", "stranger", "other", "other_fiona"),
)
PLACES = (
    *("poll",) * 4,
    *("meeting", "settings", "group_nowhere", "private_last", "private_nowhere", "other_poll"),
)


def base36(number: int) -> str:
    """Like the codec's, but for any number: forged data may name ids past 32 bits."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _fit_64(text: str) -> str:
    """Cut to Telegram's 64 bytes of callback data, on a character boundary."""
    data = text.encode()[:MAX_CALLBACK_BYTES]
    return data.decode(errors="ignore")


@dataclass(frozen=True)
class Forged:
    """A codec payload whose numbers are resolved in the running world: ids of real things."""

    action: Action
    args: tuple[str | int, ...]  # a name ("poll:single", "group:mine", ...) or a number


names = st.sampled_from(
    (
        *(f"poll:{name}" for name in POLL_NAMES),
        "group:mine",
        "group:other",
        "occurrence",
        "meeting_start",
    )
)
numbers = st.one_of(
    st.integers(0, 12),
    st.sampled_from((MAX_NUMBER, MAX_NUMBER - 1, 36**6, 36**7 - 1)),
    st.integers(0, MAX_NUMBER),
)
# How many numbers each action's buttons carry (see bot/views/callbacks.py).
ARITY = {
    Action.ROLE: 2,
    Action.ROLE_MENU: 1,
    Action.LANGUAGE: 1,
    Action.GROUP_LANGUAGE: 2,
    Action.FORGET: 1,
    Action.VOTE: 2,
    Action.WITHDRAW: 1,
    Action.SEE_RESULTS: 1,
    Action.TURNOUT: 1,
    Action.CLOSE: 1,
    Action.CLOSE_CONFIRM: 2,
    Action.EXPORT: 1,
    Action.REOPEN: 1,
    Action.POLL_SETTINGS: 2,
    Action.WIZARD: 4,
    Action.MEETING_CONFIRM: 2,
    Action.RSVP: 2,
    Action.CALENDAR: 2,
    Action.REMIND_ME: 1,
    Action.MEETING_CANCEL: 2,
    Action.MEETING_MOVE: 3,
    Action.FEEDBACK_GROUP: 1,
    Action.FEEDBACK_SEND: 1,
    Action.FEEDBACK_CANCEL: 1,
    Action.FEEDBACK_TAG: 2,
    Action.FEEDBACK_DECIDE: 2,
    Action.FEEDBACK_SETTINGS: 3,
    Action.PIN: 1,
    Action.URGENT_SEEN: 1,
    Action.URGENT_MUTE: 3,
    Action.FEEDBACK_ALLOW_REPLIES: 2,
    Action.REPLY_START: 1,
    Action.REPLY_ANSWER: 1,
    Action.REPLY_STOP: 1,
    Action.REPLY_CANCEL: 1,
    Action.OUTCOME_PICK: 2,
    Action.OUTCOME_STATUS: 3,
    Action.OUTCOME_SKIP: 2,
    Action.OUTCOME_REVIEW: 3,
    Action.OUTCOME_MONTHLY: 2,
    Action.REPORT_GROUP: 1,
    Action.REPORT_PERIOD: 2,
    Action.INVOLVEMENT_SWITCH: 2,
    Action.INVOLVEMENT_EXPORT: 1,
    Action.INVOLVEMENT_GROUP: 1,
    Action.INVOLVEMENT_NAME: 2,
    Action.INVOLVEMENT_PAY: 2,
    Action.TOOK_PART: 1,
    Action.ATTENDANCE_MEETINGS: 1,
    Action.ATTENDANCE_PEOPLE: 1,
    Action.ATTENDANCE_MARK: 4,
}
assert set(ARITY) == set(Action)


@st.composite
def well_formed(draw: st.DrawFn) -> Forged:
    """Data our codec would make, naming real things: other chats' polls, closed ones..."""
    action = draw(st.sampled_from(list(Action)))
    first = draw(st.one_of(names, names, numbers))
    rest = draw(
        st.lists(
            st.one_of(st.integers(0, 12), st.just("meeting_start"), numbers),
            min_size=ARITY[action] - 1,
            max_size=ARITY[action] - 1,
        )
    )
    return Forged(action, (first, *rest))


forged = st.builds(
    Forged,
    st.sampled_from(list(Action)),
    st.lists(st.one_of(names, numbers), max_size=4).map(tuple),
)
raw_data = st.one_of(
    st.text(min_size=1, max_size=64).map(_fit_64),
    st.binary(min_size=1, max_size=64).map(lambda b: b.decode(errors="ignore")),
    st.builds(
        lambda action, tail: _fit_64(action.value + tail),
        st.sampled_from(list(Action)),
        st.text(max_size=40),
    ),
).filter(bool)
# Genuine buttons and well-formed forgeries most often: random data stops at the codec.
data_drawn = st.one_of(
    st.just("button"), st.just("button"), well_formed(), well_formed(), forged, raw_data
)
anything = st.tuples(
    st.sampled_from(PEOPLE),
    st.sampled_from(PLACES),
    st.sampled_from(POLL_NAMES),
    data_drawn,
    st.integers(0, 20),
)
# A member pressing a genuine button of a poll: the ballots and tallies the checks recount.
voting = st.tuples(
    st.sampled_from(("service_user", "carer", "staff")),
    st.just("poll"),
    st.sampled_from(POLL_NAMES),
    st.just("button"),
    st.integers(0, 20),
)
# A facilitator pressing the settings buttons, double taps included.
setting = st.tuples(
    st.just("fiona"),
    st.just("settings"),
    st.just("single"),
    st.just("button"),
    st.integers(0, 20),
)
presses = st.one_of(voting, anything, anything, setting)


class Presses:
    """Turns a drawn press into one in the world, acts, and checks what changed."""

    def __init__(self, world: World) -> None:
        self.world = world

    def person(self, who: str, index: int) -> FakeUser:
        w = self.world
        members = w.circle.members
        chosen = {
            "fiona": w.circle.fiona,
            "service_user": members[Role.SERVICE_USER][index % 3],
            "carer": members[Role.CARER][index % 3],
            "staff": members[Role.STAFF][index % 3],
            "newbie": w.newbie,
            "stranger": w.stranger,
            "other": w.other.everyone()[index % 3],
            "other_fiona": w.other.fiona,
        }
        return chosen[who]

    def number(self, arg: str | int) -> int:
        if isinstance(arg, int):
            return arg
        w = self.world
        kind, _, name = arg.partition(":")
        if kind == "poll":
            return w.polls[name].poll_id
        if kind == "group":
            chat = w.circle.group if name == "mine" else w.other.group
            found = w.db.execute("SELECT id FROM groups WHERE chat_id = ?", (chat.id,)).fetchone()
            return int(found[0])
        row = w.db.execute("SELECT id, starts_at FROM meeting_occurrences ORDER BY id DESC")
        occurrence = row.fetchone()
        if kind == "occurrence":
            return int(occurrence[0])
        return 30_000_000  # minutes since 1970: some time in 2027

    def data(self, drawn: Forged | str, where: str, poll: str, index: int) -> str:
        if isinstance(drawn, Forged):
            return ":".join([drawn.action.value, *(base36(self.number(a)) for a in drawn.args)])
        if drawn != "button":
            return drawn
        w = self.world
        controls = [b.data for m in w.controls for b in m.all_buttons() if b.data]
        if where == "settings":
            return controls[index % len(controls)]
        buttons = [b.data for b in w.polls[poll].message.all_buttons() if b.data]
        buttons += [b.data for b in w.meeting.all_buttons() if b.data]
        return [*buttons, *controls][index % (len(buttons) + len(controls))]

    def place(self, where: str, poll: str, user: FakeUser, index: int) -> tuple[FakeChat, int]:
        w = self.world
        if where == "poll":
            seed = w.polls[poll]
            return seed.chat, seed.message.message_id
        if where == "other_poll":
            seed = w.polls["elsewhere"]
            return seed.chat, seed.message.message_id
        if where == "meeting":
            return w.circle.group, w.meeting.message_id
        if where == "settings":
            return w.circle.group, w.controls[index % len(w.controls)].message_id
        if where == "group_nowhere":
            return w.circle.group, 999_999
        private = w.bot.private(user)
        if where == "private_last":
            mine = w.tg.messages(private)
            if mine:
                return private, mine[-1].message_id
        return private, 888_888

    async def act(self, drawn: tuple[str, str, str, Forged | str, int]) -> None:
        who, where, poll, data_drawn, index = drawn
        w = self.world
        user = self.person(who, index)
        chat, message_id = self.place(where, poll, user, index)
        data = self.data(data_drawn, where, poll, index)
        what = f"{who} pressed {data!r} on {where} ({poll})"
        before = w.mark(rows=True)
        answer = await w.bot.press_raw(user, chat, message_id, data)
        await w.check(before, what)
        assert answer is not None, f"{what}: not answered"
        event(f"answer: {str(answer.get('text'))[:40]}")
        self.check_changes(before, user, chat, data, answer.get("text"), what)
        await self.restore()

    def check_changes(
        self, before: Mark, user: FakeUser, chat: FakeChat, data: str, answer: object, what: str
    ) -> None:
        w = self.world
        changed = w.changed_tables(before)
        if answer in REFUSALS:
            assert not changed, f"{what}: refused with {answer!r} but changed {changed}"
        press = decode(data)
        if "ballots" in changed:
            assert press is not None, f"{what}: undecodable data changed ballots"
            assert press.action in {Action.VOTE, Action.WITHDRAW}, f"{what}: changed ballots"
            poll_id = press.args[0]
            after = w.ballot_rows()  # (poll, key, role, choices)
            old = [r for r in before.ballots if r[0] == poll_id]
            new = [r for r in after if r[0] == poll_id]
            poll = w.db.execute(
                "SELECT g.chat_id, g.id FROM polls p JOIN groups g ON g.id = p.group_id"
                " WHERE p.id = ?",
                (poll_id,),
            ).fetchone()
            assert poll is not None and poll[0] == chat.id, f"{what}: voted from another chat"
            status = [r for r in before.rows["polls"] if r[0] == poll_id]
            assert status and "open" in status[0], f"{what}: voted in a closed poll"
            key = member_key(w.settings.hash_key, poll[1], user.id)
            assert any(key in row for row in before.rows["memberships"]), (
                f"{what}: a vote from someone without a role in the group"
            )
            mine = ballot_key(w.settings.hash_key, poll_id, user.id)
            others_before = {r[1:] for r in old if r[1] != mine}
            others_after = {r[1:] for r in new if r[1] != mine}
            assert others_before == others_after, f"{what}: changed someone else's ballot"
            elsewhere = {r[0] for r in before.ballots} - {poll_id}
            assert [r for r in before.ballots if r[0] in elsewhere] == [
                r for r in after if r[0] in elsewhere
            ], f"{what}: changed a ballot in another poll"
        facilitators = {w.circle.group.id: w.circle.fiona, w.other.group.id: w.other.fiona}
        by_facilitator = facilitators.get(chat.id) == user
        for table in ("polls", "groups", "feedback_settings"):
            if table in changed:
                assert by_facilitator, f"{what}: {table} changed"
        # A group's messages are everyone's: a press rewrites one only to refresh a poll or a
        # meeting, or when a facilitator presses one of their own buttons there.
        refreshed = {
            int(m)
            for (m,) in w.db.execute(
                "SELECT message_id FROM polls WHERE message_id IS NOT NULL"
                " UNION SELECT message_id FROM meeting_occurrences WHERE message_id IS NOT NULL"
            )
        }
        for method, params in w.new_calls(before):
            if method.startswith("edit") and int(params.get("chat_id", 0)) < 0:
                message_id = int(params.get("message_id", 0))
                assert by_facilitator or message_id in refreshed, (
                    f"{what}: rewrote group message {message_id}: {params.get('text')!r}"
                )

    async def restore(self) -> None:
        """Keep the world interesting: replace what a press closed, cancelled or erased."""
        w = self.world
        for name, seed in list(w.polls.items()):
            if name == "closed":
                continue
            status = w.db.execute("SELECT status FROM polls WHERE id = ?", (seed.poll_id,))
            if status.fetchone()[0] != "open":
                circle = w.other if name == "elsewhere" else w.circle
                draft = w.draft_of(seed.poll_id)
                w.polls[name] = await w.add_poll(circle, draft)
        upcoming = w.db.execute(
            "SELECT COUNT(*) FROM meeting_occurrences WHERE status = 'scheduled'"
        ).fetchone()[0]
        if not upcoming:
            w.meeting = await plan_meeting(w.bot, w.circle, "next Tuesday 10:30 | Planning")
        await w.rejoin_everyone()


def test_any_press_is_answered_kindly_and_changes_only_what_it_may(tmp_path: Path) -> None:
    with running_world(tmp_path / "equalsay.db") as (world, run):
        acting = Presses(world)

        @settings(CI, max_examples=EXAMPLES)
        @given(drawn=presses)
        def press(drawn: tuple[str, str, str, Forged | str, int]) -> None:
            run(lambda _: acting.act(drawn))

        press()
        assert world.examples >= EXAMPLES  # what __init__.py counts really ran
