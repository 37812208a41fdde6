"""A crisis is never left unanswered (DESIGN section 3, promise 7), whatever the person was
doing when they wrote it: the crisis contacts come at once, and the message can still reach
the facilitators, flagged urgent, never the group."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage, FakeTelegram, FakeUser
from bot.services import feedback
from bot.services.feedback import SendStatus
from tests.conftest import make_settings
from tests.e2e.feedback_helpers import labels, posted, send_feedback, set_delivery, stored, write
from tests.e2e.poll_helpers import Circle, joined_circle

CRISIS = "I want to kill myself"
CONTACTS = "Samaritans: call 116 123"
NOT_UNDERSTOOD = "not sure what to do"


def since(bot: SandboxBot, user: FakeUser, before: int) -> list[FakeMessage]:
    return bot.tg.messages(bot.private(user))[before:]


def urgent_for(bot: SandboxBot, circle: Circle, words: str) -> list[FakeMessage]:
    return [
        m
        for m in bot.tg.messages(bot.private(circle.fiona))
        if "URGENT" in (m.text or "") and words in (m.text or "")
    ]


def group_says(bot: SandboxBot, circle: Circle, words: str) -> bool:
    return any(words in (m.text or "") for m in bot.tg.messages(circle.group))


async def test_an_overlong_crisis_message_gets_the_contacts_before_the_length_note(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.say(sam, bot.private(sam), "/feedback")
    before = len(bot.tg.messages(bot.private(sam)))
    await bot.say(sam, bot.private(sam), f"{CRISIS}. " + "x" * 2100)
    crisis, too_long = since(bot, sam, before)
    assert CONTACTS in (crisis.text or "")
    assert "a little long" in (too_long.text or "")
    # Shortened, it goes to the facilitators flagged.
    await bot.say(sam, bot.private(sam), CRISIS)
    await bot.press(sam, bot.last(bot.private(sam)), text="Send")
    assert urgent_for(bot, circle, CRISIS)


async def test_a_crisis_with_no_feedback_being_written_is_answered_and_can_be_passed_on(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    # No /feedback first (or the draft was lost in a restart): plain text in the private chat.
    before = len(bot.tg.messages(bot.private(sam)))
    await bot.say(sam, bot.private(sam), f"Honestly {CRISIS}")
    crisis, offer, preview = since(bot, sam, before)
    assert CONTACTS in (crisis.text or "")
    assert "organisers of Co-production" in (offer.text or "")
    assert "only to the group’s organisers" in (preview.text or "")
    assert not any(NOT_UNDERSTOOD in (m.text or "") for m in since(bot, sam, before))
    assert await stored(bot) == []  # nothing goes without Send
    await bot.press(sam, preview, text="Send")
    assert "will not be posted in the group" in bot.last_text(bot.private(sam))
    assert urgent_for(bot, circle, CRISIS)
    assert not group_says(bot, circle, CRISIS)
    (item,) = await stored(bot)
    assert item.urgent and item.status == "urgent"


async def test_a_crisis_from_someone_in_several_groups_goes_to_the_group_they_pick(
    bot: SandboxBot,
) -> None:
    first = await joined_circle(bot, title="Riverside")
    sam = first.members[Role.SERVICE_USER][0]
    gita = bot.tg.create_user("Gita", "gita_f")
    second = bot.tg.create_group("Hillside", members=[sam], admins=[gita])
    await bot.add_to_group(second, by=gita)
    await bot.follow_join(sam, bot.last(second))
    await bot.press(sam, bot.last(bot.private(sam)), text="Service user")
    await bot.start(gita)
    before = len(bot.tg.messages(bot.private(sam)))
    await bot.say(sam, bot.private(sam), CRISIS)
    crisis, choice = since(bot, sam, before)
    assert CONTACTS in (crisis.text or "")
    assert set(labels(choice)) == {"Riverside", "Hillside"}
    await bot.press(sam, choice, text="Hillside")
    preview = bot.last(bot.private(sam))
    assert CRISIS in (preview.text or "") and "Send" in labels(preview)
    await bot.press(sam, preview, text="Send")
    assert [m for m in bot.tg.messages(bot.private(gita)) if CRISIS in (m.text or "")]
    assert not urgent_for(bot, first, CRISIS)


async def test_a_non_member_in_crisis_gets_the_contacts(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    outsider = bot.tg.create_user("Outsider")
    await bot.say(outsider, bot.private(outsider), CRISIS)
    assert CONTACTS in bot.last_text(bot.private(outsider))
    # A member whose role was erased while writing: their draft goes, the answer does not.
    sam = circle.members[Role.SERVICE_USER][0]
    await bot.say(sam, bot.private(sam), "/feedback")
    await bot.say(sam, bot.private(sam), "/forgetme")
    await bot.press(sam, bot.last(bot.private(sam)), text="Yes, erase my data")
    before = len(bot.tg.messages(bot.private(sam)))
    await bot.say(sam, bot.private(sam), CRISIS)
    crisis, refusal = since(bot, sam, before)
    assert CONTACTS in (crisis.text or "")
    assert "Only members" in (refusal.text or "")


async def test_media_with_a_crisis_caption_gets_the_contacts(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    chat = bot.private(sam)
    await bot.say(sam, chat, "/feedback")
    before = len(bot.tg.messages(chat))
    bot.tg.send_photo(sam, chat, caption=CRISIS)
    await bot.deliver()
    crisis, media = since(bot, sam, before)
    assert CONTACTS in (crisis.text or "") and "text only" in (media.text or "")
    # With nothing being written: a document with a crisis caption, which can be passed on.
    carer = circle.members[Role.CARER][0]
    before = len(bot.tg.messages(bot.private(carer)))
    bot.tg.send_document(carer, bot.private(carer), "note.txt", b"hello", caption=CRISIS)
    await bot.deliver()
    answers = since(bot, carer, before)
    assert answers and CONTACTS in (answers[0].text or "")
    await bot.press(carer, answers[-1], text="Send")
    assert urgent_for(bot, circle, CRISIS)
    assert not group_says(bot, circle, CRISIS)


async def test_a_crisis_is_taken_past_the_daily_limit_and_reaches_facilitators(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    await set_delivery(bot, circle, "Straight to the group")
    cara = circle.members[Role.CARER][0]
    for n in range(5):
        assert "now in the group" in await send_feedback(bot, cara, f"Point {n}")
    await bot.say(cara, bot.private(cara), "/feedback")
    assert "as many as I can take" in bot.last_text(bot.private(cara))
    before = len(bot.tg.messages(bot.private(cara)))
    await bot.say(cara, bot.private(cara), CRISIS)
    assert CONTACTS in (since(bot, cara, before)[0].text or "")
    await bot.press(cara, bot.last(bot.private(cara)), text="Send")
    assert "marked urgent" in bot.last_text(bot.private(cara))
    assert urgent_for(bot, circle, CRISIS)
    assert not group_says(bot, circle, CRISIS)
    # An ordinary message is still refused.
    await bot.say(cara, bot.private(cara), "/feedback")
    assert "as many as I can take" in bot.last_text(bot.private(cara))


async def test_a_crisis_preview_sent_after_the_limit_filled_elsewhere_still_goes(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    cara = circle.members[Role.CARER][0]
    preview = await write(bot, cara, CRISIS)
    for n in range(5):
        async with bot.uow() as uow:
            (group,) = await feedback.member_groups(uow, bot.settings.hash_key, cara.id)
            sent = await feedback.send(
                uow,
                bot.settings.hash_key,
                group_id=group.id,
                user_id=cara.id,
                text=f"Elsewhere {n}",
                tag_role=False,
                now=datetime.now(UTC),
                min_cell=3,
                daily_limit=5,
                crisis_phrases=(),
            )
        assert sent.status is SendStatus.SENT
    await bot.press(cara, preview, text="Send")
    assert "marked urgent" in bot.last_text(bot.private(cara))
    assert urgent_for(bot, circle, CRISIS)
    assert posted(bot, circle) == []


@pytest.mark.parametrize("contacts", [("Lifeline: call 13 11 14", "Emergency: call 000")])
async def test_the_crisis_reply_gives_only_the_deployments_contacts(
    tg: FakeTelegram, sqlite_url: str, contacts: tuple[str, ...]
) -> None:
    settings = make_settings(tg, sqlite_url, crisis_contacts=contacts)
    async with SandboxBot(tg, settings) as bot:
        circle = await joined_circle(bot)
        sam = circle.members[Role.SERVICE_USER][0]
        await bot.say(sam, bot.private(sam), "/feedback")
        before = len(bot.tg.messages(bot.private(sam)))
        await bot.say(sam, bot.private(sam), CRISIS)
        reply = since(bot, sam, before)[0].text or ""
        assert "Lifeline: call 13 11 14" in reply and "Emergency: call 000" in reply
        assert "999" not in reply and "A&E" not in reply
