"""What `/poll` and `/meeting` must have done, worked out from the pure rules the bot uses."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.meeting_rules import MeetingInputError, MeetingLine, parse_meeting_line
from bot.domain.meeting_setup import MeetingSetup
from bot.domain.poll_rules import PollDraft, PollInputError, parse_poll_line
from bot.views import meetings as meeting_views
from bot.views import poll_texts
from tests.property.world import Mark, World


def new_poll_ids(world: World, before: Mark) -> list[int]:
    old = {row[0] for row in before.rows["polls"]}
    return sorted(int(row[0]) for row in world.rows(["polls"])["polls"] if row[0] not in old)


def check_poll_command(
    world: World, before: Mark, line: str, *, facilitator: bool, what: str
) -> int | None:
    """`/poll <line>` made exactly `parse_poll_line(line)`, or nothing and said what to fix.

    Returns the new poll's id, if one was made.
    """
    new = new_poll_ids(world, before)
    expected: PollDraft | None = None
    problem = ""
    try:
        expected = parse_poll_line(line)
    except PollInputError as error:
        problem = error.message
    if facilitator and expected is None:
        refusal = poll_texts.input_problem(problem)
        assert refusal in world.sent_texts(before), f"{what}: not told {problem!r}"
    if not facilitator or expected is None:
        assert not new, f"{what}: a poll was made"
        return None
    assert len(new) == 1, f"{what}: {len(new)} polls made"
    question, options = world.db.execute(
        "SELECT question, options FROM polls WHERE id = ?", (new[0],)
    ).fetchone()
    assert question == expected.question, f"{what}: question {question!r}"
    assert tuple(json.loads(options)) == expected.options, f"{what}: options {options}"
    return new[0]


def expected_meeting(
    line: str, zone: str, moments: tuple[datetime, ...]
) -> list[MeetingLine | MeetingInputError]:
    """What the meeting line reads as, at each moment the bot may have read the clock."""
    found: list[MeetingLine | MeetingInputError] = []
    for moment in moments:
        try:
            found.append(parse_meeting_line(line, zone, moment))
        except MeetingInputError as error:
            found.append(error)
    return found


def check_meeting_command(
    world: World, before: Mark, line: str, zone: str, moments: tuple[datetime, ...], what: str
) -> MeetingLine | None:
    """`/meeting <line>` confirmed exactly what `parse_meeting_line` reads, or said what to fix.

    Returns the meeting line the bot confirmed, if it did.
    """
    texts = world.sent_texts(before)
    for outcome in expected_meeting(line, zone, moments):
        if isinstance(outcome, MeetingInputError):
            if meeting_views.problem(outcome) in texts:
                return None
        elif meeting_views.confirm_text(MeetingSetup.from_line(outcome), zone) in texts:
            return outcome
    raise AssertionError(f"{what}: answered {texts!r}")


def zone_of_group(world: World, chat_id: int) -> str:
    found = world.db.execute("SELECT timezone FROM groups WHERE chat_id = ?", (chat_id,))
    return str(found.fetchone()[0])
