"""Forged Publish / Reject presses (issue 13, point 7).

`fd:<id>:<0|1>` names a feedback item by its global id. A press on an item that is not the
presser's to decide (a digest or direct item that never went to moderation, an urgent one,
another group's, or any item for someone who facilitates nothing) must read exactly like a
press on an id that does not exist: no text, no role tag, no hint that the item, or feedback
in other groups, exists.
"""

from __future__ import annotations

from typing import Any

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeUser
from bot.views.callbacks import Action, encode
from tests.e2e.feedback_helpers import send_feedback, set_delivery, stored
from tests.e2e.poll_helpers import Circle, joined_circle


async def _forge(bot: SandboxBot, user: FakeUser, item: int, publish: int) -> tuple[Any, int]:
    """Press forged data on the latest message of the user's private chat; what they were
    answered, and how many messages their chat had changed (sent or edited) by it."""
    chat = bot.private(user)
    before = [(m.message_id, m.text, m.edit_count) for m in bot.tg.messages(chat)]
    answer = await bot.press_raw(
        user, chat, bot.last(chat).message_id, encode(Action.FEEDBACK_DECIDE, item, publish)
    )
    after = [(m.message_id, m.text, m.edit_count) for m in bot.tg.messages(chat)]
    return answer, len(set(after) - set(before))


async def _circle(bot: SandboxBot, title: str) -> Circle:
    return await joined_circle(bot, title=title)


async def test_forged_decisions_on_items_not_yours_to_decide_reveal_nothing(
    bot: SandboxBot,
) -> None:
    here = await _circle(bot, "Here")
    there = await _circle(bot, "There")
    # Here: once a day, so an item waits for the digest and never went to moderation.
    await set_delivery(bot, here, "Once a day")
    sam = here.members[Role.STAFF][0]  # four staff: a role tag is allowed
    chat = bot.private(sam)
    await bot.say(sam, chat, "/feedback")
    await bot.say(sam, chat, "The digest secret nobody has read yet")
    await bot.press(sam, bot.last(chat), text="Say I am staff")
    await bot.press(sam, bot.last(chat), text="Send")
    # There: moderated (the default); its item waits for There's facilitator.
    await send_feedback(bot, there.members[Role.CARER][0], "Another group's pending words")
    # Straight to the group, then urgent: neither is for anyone to publish or reject.
    await set_delivery(bot, there, "Straight to the group")
    await send_feedback(bot, there.members[Role.CARER][1], "Posted at once")
    await send_feedback(bot, there.members[Role.CARER][2], "Some days I want to die")
    queued, pending, direct, urgent = await stored(bot)
    assert (queued.status, pending.status, direct.status, urgent.status) == (
        "queued",
        "pending",
        "published",
        "urgent",
    )
    assert queued.role_tag == "staff"

    missing = max(i.id for i in (queued, pending, direct, urgent)) + 1000
    nothing, changed = await _forge(bot, here.fiona, missing, 1)
    assert nothing is not None and changed == 0
    for presser, item in (
        (here.fiona, queued),  # her own group's digest item, the moment it arrives
        (here.fiona, pending),  # another group's item: she facilitates Here only
        (here.fiona, direct),
        (here.fiona, urgent),
        (there.fiona, queued),
        (there.fiona, direct),  # her group's, but posted without moderation
        (there.fiona, urgent),  # urgent items carry "I've seen this", not Publish
        (there.members[Role.CARER][0], pending),  # the writer: a member, not a facilitator
    ):
        for publish in (1, 0):
            answer, changed = await _forge(bot, presser, item.id, publish)
            assert answer == nothing, (presser.first_name, item.status, publish, answer)
            assert changed == 0, (presser.first_name, item.status, publish)
    # Here's facilitator was never shown any item's words, nor its role tag.
    seen = " ".join(m.text or "" for m in bot.tg.messages(bot.private(here.fiona)))
    for words in ("digest secret", "pending words", "Posted at once", "want to die", "from staff"):
        assert words not in seen
    # Nothing moved: the digest item still waits, the pending one still waits for There.
    assert [i.status for i in await stored(bot)] == ["queued", "pending", "published", "urgent"]

    # There's facilitator deciding her own group's moderated item is what the button is for.
    copy = next(
        m
        for m in reversed(bot.tg.messages(bot.private(there.fiona)))
        if "pending words" in (m.text or "")
    )
    await bot.press(there.fiona, copy, text="Publish in the group")
    assert [i.status for i in await stored(bot)][1] == "published"
    # A second press (a double tap) still shows her what she decided, as before.
    again = encode(Action.FEEDBACK_DECIDE, pending.id, 1)
    answer = await bot.press_raw(there.fiona, bot.private(there.fiona), copy.message_id, again)
    assert answer is not None and "Already published" in str(answer["text"])
