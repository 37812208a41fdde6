"""Polls made of hostile text, voted on and closed, through the real bot.

A facilitator types `/poll` with any question and options (Unicode, right-to-left, emoji,
control characters, HTML, very long, too many, empty, duplicated); members then press its
buttons and it may be closed, so the poll message, its edits, the button answers and the
results are all rendered from the hostile text. Besides the checks every example gets (see
world.py: kind messages Telegram accepts, tallies equal to a recount, one ballot per voter):

- exactly the poll `parse_poll_line` makes is stored, or nothing, and the reason is given;
- its message shows the question, and a button per option that votes for it;
- each member's ballot is what they last pressed (a model of the presses), and the results
  posted when it closes count every ballot.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.keyed_hash import ballot_key
from bot.domain.poll_rules import parse_poll_line
from bot.sandbox import FakeMessage
from bot.views.callbacks import Action, encode
from tests.property.oracles import check_poll_command
from tests.property.strategies import fair_poll_lines, poll_lines
from tests.property.world import World, running_world

CI = settings.get_profile("ci")
EXAMPLES = 200

Drawn = tuple[str, str, str, list[tuple[int, int]], bool]
polls = st.tuples(
    st.sampled_from(("", "@equalsay_bot")),
    st.sampled_from((" ", "\n")),
    st.one_of(fair_poll_lines, fair_poll_lines, poll_lines),
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 11)), max_size=6),  # (member, option)
    st.booleans(),  # close it
)


def _poll_message(world: World, poll_id: int) -> FakeMessage:
    message_id = world.db.execute("SELECT message_id FROM polls WHERE id = ?", (poll_id,))
    found = world.tg.find_message(world.circle.group.id, int(message_id.fetchone()[0]))
    assert found is not None
    return found


async def make_vote_close(world: World, drawn: Drawn) -> None:
    suffix, sep, line, votes, close = drawn
    w = world
    what = f"/poll {line!r}"
    before = w.mark(rows=True)
    await w.bot.say(w.circle.fiona, w.circle.group, f"/poll{suffix}{sep}{line}")
    await w.check(before, what)
    argument = line.strip()  # what follows the command, as the handler reads it
    poll_id = check_poll_command(w, before, argument, facilitator=True, what=what)
    if poll_id is None:
        return
    draft = parse_poll_line(argument)
    message = _poll_message(w, poll_id)
    assert message.text is not None and message.all_buttons(), f"{what}: no poll message"
    data = {b.data for b in message.all_buttons()}
    for index in range(len(draft.options)):
        assert encode(Action.VOTE, poll_id, index) in data, f"{what}: no button {index}"
    # Members vote; the last press of each is their ballot (single choice).
    everyone = w.circle.everyone()
    expected: dict[int, int] = {}
    before = w.mark()
    for member, option in votes:
        voter = everyone[member % len(everyone)]
        index = option % len(draft.options)
        answer = await w.bot.press(voter, message, data=encode(Action.VOTE, poll_id, index))
        assert answer is not None and answer.get("text"), f"{what}: vote not answered"
        expected[voter.id] = index
    await w.check(before, f"{what}: votes {votes}")
    secret = w.settings.hash_key
    stored = dict(
        w.db.execute("SELECT ballot_key, choices FROM ballots WHERE poll_id = ?", (poll_id,))
    )
    model = {ballot_key(secret, poll_id, user): 1 << index for user, index in expected.items()}
    assert stored == model, f"{what}: ballots {stored} but pressed {model}"
    if close:
        before = w.mark()
        # "Yes, close it now" (its question is the Close button's, tested in test_polls.py).
        yes = encode(Action.CLOSE_CONFIRM, poll_id, 1)
        await w.bot.press_raw(w.circle.fiona, w.circle.group, message.message_id, yes)
        await w.check(before, f"{what}: closed")
        status = w.db.execute("SELECT status FROM polls WHERE id = ?", (poll_id,)).fetchone()
        assert status[0] == "closed", f"{what}: not closed"
        results = [
            t
            for t in w.sent_texts(before)
            if any(line.startswith("<b>Results: ") for line in t.split("\n")[:2])
        ]
        assert results, f"{what}: no results posted"
        people = len(expected)
        assert any(
            ("Nobody voted" in t) if people == 0 else (f"{people} " in t) for t in results
        ), f"{what}: the results do not count {people} voters"


def test_hostile_polls_are_made_voted_and_closed_kindly(tmp_path: Path) -> None:
    with running_world(tmp_path / "equalsay.db") as (world, run):

        @settings(CI, max_examples=EXAMPLES)
        @given(drawn=polls)
        def poll(drawn: Drawn) -> None:
            run(lambda w: make_vote_close(w, drawn))

        poll()
        assert world.examples >= EXAMPLES  # what __init__.py counts really ran
