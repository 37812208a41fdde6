"""Every organiser's copy of a moderated item follows the first decision (issue 17, section 1).

With two organisers, the one who did not press used to keep live Publish / Reject buttons on
an item already dealt with, and learned so only by pressing. Now the first Publish or Reject
rewrites every other copy, in its reader's language: the buttons go, and it says what
happened, never who did it. A copy Telegram cannot edit (deleted, say) keeps its buttons, and
a press on it is told the item was dealt with.
"""

from __future__ import annotations

from sqlalchemy import func, select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeUser
from storage.models import FeedbackCopy
from tests.e2e.feedback_helpers import labels, posted, send_feedback
from tests.e2e.poll_helpers import Circle, joined_circle

PUBLISH = "Publish in the group"


async def with_second_organiser(bot: SandboxBot, language: str = "en") -> tuple[Circle, FakeUser]:
    circle = await joined_circle(bot)
    nadia = bot.tg.create_user("Nadia", "nadia_f", language_code=language)
    bot.tg.add_member(circle.group, nadia)
    circle.group.statuses[nadia.id] = "administrator"
    await bot.start(nadia)
    return circle, nadia


def now_reads(bot: SandboxBot, message: FakeMessage) -> FakeMessage:
    found = bot.tg.find_message(message.chat_id, message.message_id)
    assert found is not None
    return found


async def copies_kept(bot: SandboxBot) -> int:
    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(FeedbackCopy)) or 0)


async def test_publishing_rewrites_the_other_organisers_copy_without_buttons(
    bot: SandboxBot,
) -> None:
    circle, nadia = await with_second_organiser(bot)
    await send_feedback(bot, circle.members[Role.CARER][0], "More tea please")
    for_fiona = bot.last(bot.private(circle.fiona))
    for_nadia = bot.last(bot.private(nadia))
    assert PUBLISH in labels(for_nadia)
    assert await copies_kept(bot) == 2  # where the copies went, sealed

    await bot.press(circle.fiona, for_fiona, text=PUBLISH)
    assert len(posted(bot, circle)) == 1
    theirs = now_reads(bot, for_nadia)
    assert "Another organiser dealt with this." in (theirs.text or "")
    assert "Published in" in (theirs.text or "") and "#1" in (theirs.text or "")
    assert "More tea please" in (theirs.text or "")  # the item itself stays readable
    assert PUBLISH not in labels(theirs) and "Reject" not in labels(theirs)
    assert "Fiona" not in (theirs.text or "")  # what happened, never who
    mine = now_reads(bot, for_fiona)
    assert "Another organiser" not in (mine.text or "") and "Published in" in (mine.text or "")
    assert await copies_kept(bot) == 0  # forgotten once used


async def test_rejecting_tells_the_others_in_their_own_language(bot: SandboxBot) -> None:
    circle, nadia = await with_second_organiser(bot, language="pl")
    await send_feedback(bot, circle.members[Role.STAFF][0], "Please reject me")
    for_fiona = bot.last(bot.private(circle.fiona))
    for_nadia = bot.last(bot.private(nadia))
    await bot.press(circle.fiona, for_fiona, text="Reject")
    theirs = now_reads(bot, for_nadia)
    assert "Inny organizator" in (theirs.text or "")
    assert "Another organiser" not in (theirs.text or "") and "Rejected" not in (theirs.text or "")
    assert labels(theirs) == []
    assert "Rejected" in (now_reads(bot, for_fiona).text or "")
    assert posted(bot, circle) == []


async def test_a_copy_that_cannot_be_edited_keeps_its_buttons_and_a_press_is_told_kindly(
    bot: SandboxBot,
) -> None:
    circle, nadia = await with_second_organiser(bot)
    await send_feedback(bot, circle.members[Role.CARER][0], "More tea please")
    for_fiona = bot.last(bot.private(circle.fiona))
    for_nadia = bot.last(bot.private(nadia))
    bot.tg.faults.inject("editMessageText", "500", chat_id=nadia.id)
    await bot.press(circle.fiona, for_fiona, text=PUBLISH)
    assert "Published in" in (now_reads(bot, for_fiona).text or "")  # the presser's still works
    assert PUBLISH in labels(now_reads(bot, for_nadia))
    answer = await bot.press(nadia, for_nadia, text=PUBLISH)
    assert answer is not None and answer["text"] == "Already published."
    assert len(posted(bot, circle)) == 1
