"""One crisis gate for every word a person sends (issue 18, section 1; DESIGN section 3,
promise 7): command arguments, set-up steps, reasons, captions, edits and text in groups all
get the crisis contacts at once, and the words are never published or stored as anything but
feedback the person chose to send."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeUser
from bot.services import reachable
from storage.models import Base
from tests.e2e.feedback_helpers import labels, stored
from tests.e2e.meeting_helpers import plan_meeting
from tests.e2e.poll_helpers import button, close_by_button, joined_circle, post_poll, vote

CRISIS = "I want to kill myself, nobody would notice"
MARK = "nobody would notice"  # searched for wherever the words could have gone
CONTACTS = "Samaritans: call 116 123"
SMALL = {Role.SERVICE_USER: 1, Role.CARER: 1, Role.STAFF: 1}
LONDON = ZoneInfo("Europe/London")


def typed_date(days: int) -> str:
    local = (datetime.now(LONDON) + timedelta(days=days)).replace(hour=14, minute=0)
    return f"{local.day} {local:%b %Y} {local:%H:%M}"


def contacts_in(bot: SandboxBot, user: FakeUser) -> int:
    return sum(CONTACTS in (m.text or "") for m in bot.tg.messages(bot.private(user)))


def said(bot: SandboxBot, chat: FakeChat, words: str) -> list[FakeMessage]:
    return [m for m in bot.tg.messages(chat) if words in (m.text or "")]


async def stored_anywhere(bot: SandboxBot, words: str) -> list[str]:
    """Every table, every row: where the words were kept (none, unless sent as feedback)."""
    found = []
    async with bot.uow() as uow:
        for table in Base.metadata.sorted_tables:
            for row in await uow.session.execute(select(table)):
                if words in repr(tuple(row)):
                    found.append(table.name)
    return found


async def test_a_crisis_in_any_command_gets_the_contacts_and_is_never_published(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot, SMALL)
    await plan_meeting(bot, circle, f"{typed_date(5)} | Forum | Room 3")
    sam, fiona = circle.members[Role.SERVICE_USER][0], circle.fiona
    group, dm = circle.group, bot.private(sam)
    in_group = len(bot.tg.messages(group))
    attempts: list[tuple[FakeUser, FakeChat, str]] = [
        (sam, dm, f"/agenda {CRISIS}"),  # the report: added anonymously, no contacts
        (sam, group, f"/agenda {CRISIS}"),
        (sam, dm, f"/feedback {CRISIS}"),
        (sam, dm, f"/newpoll {CRISIS}"),
        (sam, group, f"/role {CRISIS}"),
        (fiona, group, f"/poll {CRISIS}? | Yes | No"),
        (fiona, group, f"/meeting {typed_date(6)} | {CRISIS}"),
        (fiona, group, f"/movemeeting 1 {CRISIS}"),
        (fiona, group, f"/timezone {CRISIS}"),
    ]
    for person, chat, line in attempts:
        before = contacts_in(bot, person)
        await bot.say(person, chat, line)
        assert contacts_in(bot, person) == before + 1, line
        assert len(bot.tg.messages(group)) == in_group, line  # nothing said in the group
    await bot.say(fiona, group, "/meetings")
    assert MARK not in bot.last_text(group)
    assert await stored_anywhere(bot, MARK) == []
    # It can still reach the facilitators, marked urgent, if Sam chooses: the latest offer.
    offer = bot.last(dm)
    assert MARK in (offer.text or "") and "Send" in labels(offer)
    await bot.press(sam, offer, text="Send")
    assert [m for m in said(bot, bot.private(fiona), MARK) if "URGENT" in (m.text or "")]
    assert not said(bot, group, MARK)
    (item,) = await stored(bot)
    assert item.urgent and await stored_anywhere(bot, MARK) == ["feedback"]


async def test_in_a_group_someone_the_bot_cannot_write_to_gets_a_note_naming_nobody(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot, SMALL)
    await plan_meeting(bot, circle, f"{typed_date(5)} | Forum | Room 3")
    quinn = bot.tg.create_user("Quinn")  # in the group; never opened a chat with the bot
    bot.tg.add_member(circle.group, quinn)
    await bot.deliver()
    await bot.say(quinn, circle.group, f"/agenda {CRISIS}")
    note = bot.last(circle.group)
    text = note.text or ""
    assert "help" in text and "Quinn" not in text and MARK not in text
    assert note.reply_to_message_id is None  # it does not point at the message either
    (link,) = [b.url for b in note.all_buttons()]
    assert link == f"https://t.me/{bot.tg.bot_username}?start=gethelp"
    await bot.start(quinn, "gethelp")
    assert CONTACTS in bot.last_text(bot.private(quinn))
    assert await stored_anywhere(bot, MARK) == []

    # Now reachable: the contacts go privately and the group sees nothing more.
    in_group = len(bot.tg.messages(circle.group))
    await bot.say(quinn, circle.group, f"/agenda {CRISIS}")
    assert contacts_in(bot, quinn) == 2
    assert len(bot.tg.messages(circle.group)) == in_group
    # A reply to the bot's message is meant for it too.
    bot.tg.block_bot(quinn)
    await bot.deliver()
    await bot.say(quinn, circle.group, CRISIS, reply_to=note)
    assert len(bot.tg.messages(circle.group)) == in_group + 1
    assert "Get help privately" in labels(bot.last(circle.group))
    # Talk among the group (seen with privacy mode off) gets no note in the group.
    bot.tg.privacy_mode = False
    await bot.say(quinn, circle.group, f"Someone said {CRISIS}")
    assert len(bot.tg.messages(circle.group)) == in_group + 1
    assert await stored_anywhere(bot, MARK) == []


async def test_set_up_steps_and_reasons_never_take_a_crisis(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, SMALL)
    fiona, dm = circle.fiona, bot.private(circle.fiona)
    # The poll set-up's question.
    await bot.say(fiona, circle.group, "/newpoll")
    invite = bot.last(circle.group)
    url = next(b.url for b in invite.all_buttons() if b.url)
    assert url is not None
    await bot.start(fiona, url.split("?start=", 1)[1])
    await bot.press(fiona, bot.last(dm), text="Proposal")
    before = contacts_in(bot, fiona)
    await bot.say(fiona, dm, CRISIS)
    assert contacts_in(bot, fiona) == before + 1
    assert await stored_anywhere(bot, MARK) == []
    # The set-up still waits for its question, and takes the next one.
    await bot.say(fiona, dm, "We meet on Thursdays")
    assert "When should the poll close?" in bot.last_text(dm)
    await bot.press(fiona, bot.last(dm), text="No deadline (an organiser closes it)")
    await bot.press(fiona, bot.last(dm), text="Post")
    poll = bot.last(circle.group)
    assert "We meet on Thursdays" in (poll.text or "")

    # A reason for blocking.
    cara = circle.members[Role.CARER][0]
    await vote(bot, cara, poll, "Block")
    assert "why" in bot.last_text(bot.private(cara))
    await bot.say(cara, bot.private(cara), CRISIS)
    assert contacts_in(bot, cara) == 1
    # The meeting set-up's title.
    await bot.say(fiona, circle.group, "/meeting")
    link = next(b.url for b in bot.last(circle.group).all_buttons() if b.url)
    assert link is not None
    await bot.start(fiona, link.split("?start=", 1)[1])
    await bot.say(fiona, dm, typed_date(4))
    await bot.say(fiona, dm, CRISIS)
    assert contacts_in(bot, fiona) == before + 2
    await bot.say(fiona, dm, "Peer support planning")
    assert "Where is it?" in bot.last_text(dm)
    assert await stored_anywhere(bot, MARK) == []
    await close_by_button(bot, fiona, poll)
    assert not said(bot, circle.group, MARK)


async def test_captions_and_edits_pass_the_gate_in_groups_and_in_private(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot, SMALL)
    sam = circle.members[Role.SERVICE_USER][0]
    fiona = circle.fiona
    in_group = len(bot.tg.messages(circle.group))
    bot.tg.privacy_mode = False  # the bot sees captions in the group
    bot.tg.send_photo(sam, circle.group, caption=CRISIS)
    await bot.deliver()
    assert contacts_in(bot, sam) == 1
    # A command edited to carry a crisis: answered, and the edit changes nothing.
    await bot.say(fiona, circle.group, "/poll Tea or coffee? | Tea | Coffee")
    mine = bot.tg.messages(circle.group, from_bot=False)[-1]
    bot.tg.edit_user_message(fiona, mine, f"/poll {CRISIS}? | Tea | Coffee")
    await bot.deliver()
    assert contacts_in(bot, fiona) == 1
    assert len(bot.tg.messages(circle.group)) == in_group + 1  # the poll, once
    # In private: an edited message, a document's caption.
    dm = bot.private(sam)
    await bot.say(sam, dm, "hello")
    bot.tg.edit_user_message(sam, bot.tg.messages(dm, from_bot=False)[-1], CRISIS)
    await bot.deliver()
    assert contacts_in(bot, sam) == 2
    bot.tg.send_document(sam, dm, "note.txt", b"hello", caption=CRISIS)
    await bot.deliver()
    assert contacts_in(bot, sam) == 3
    assert not said(bot, circle.group, MARK)
    assert await stored_anywhere(bot, MARK) == []


async def test_the_words_go_no_further_when_telegram_fails_or_sends_them_twice(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot, SMALL)
    fiona = circle.fiona
    in_group = len(bot.tg.messages(circle.group))
    # Telegram fails every send for a while: the contacts cannot go, and still no poll.
    bot.tg.faults.inject("sendMessage", "500", times=20)
    await bot.say(fiona, circle.group, f"/poll {CRISIS}? | Yes | No")
    bot.tg.faults.clear()
    assert len(bot.tg.messages(circle.group)) == in_group
    assert await stored_anywhere(bot, MARK) == []
    # Delivered twice (a webhook retry): answered once.
    raw: dict[str, Any] = bot.tg.send_text(fiona, circle.group, f"/agenda {CRISIS}")
    await bot.deliver()
    await bot.feed(raw)
    assert contacts_in(bot, fiona) == 1
    await bot.say(fiona, circle.group, "/poll Tea or coffee? | Tea | Coffee")
    assert "Tea or coffee?" in bot.last_text(circle.group)
    assert button(bot.last(circle.group), "Tea")


# "kill" with a Cyrillic "і" (U+0456): looks the same on a phone, and NFKC leaves it alone.
LOOK_ALIKE = "I want to k\u0456ll myself, nobody would notice"


async def test_look_alike_letters_do_not_get_a_crisis_past_the_gate(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, SMALL)
    await plan_meeting(bot, circle, f"{typed_date(5)} | Forum | Room 3")
    sam, fiona = circle.members[Role.SERVICE_USER][0], circle.fiona
    group, dm = circle.group, bot.private(sam)
    in_group = len(bot.tg.messages(group))
    for person, chat, line in [
        (sam, dm, f"/agenda {LOOK_ALIKE}"),
        (fiona, group, f"/poll {LOOK_ALIKE}? | Yes | No"),
        (sam, dm, LOOK_ALIKE.replace("myself", "mys\u0435lf")),  # and a Cyrillic е
    ]:
        before = contacts_in(bot, person)
        await bot.say(person, chat, line)
        assert contacts_in(bot, person) == before + 1, line
    assert len(bot.tg.messages(group)) == in_group
    assert await stored_anywhere(bot, MARK) == []
    # No false alarm: "skіll" with the same Cyrillic "і" is still "skill", and goes on the
    # agenda like any item.
    await bot.say(sam, dm, "/agenda The new sk\u0456ll: myself and others on the rota")
    assert contacts_in(bot, sam) == 2
    # Feedback is checked first here (the default), so a private item waits for Fiona.
    copy = bot.last(bot.private(fiona))
    await bot.press(fiona, copy, data=button(copy, "Add to the agenda"))
    await bot.say(fiona, group, "/meetings")
    assert "myself and others on the rota" in bot.last_text(group)


async def test_a_crisis_in_the_group_from_someone_the_bot_can_write_to_is_offered_privately(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot, SMALL)
    sam, fiona = circle.members[Role.SERVICE_USER][0], circle.fiona
    group, dm = circle.group, bot.private(sam)
    bot.tg.privacy_mode = False  # the bot sees the group's talk, as in a small group it may
    in_group = len(bot.tg.messages(group))
    await bot.say(sam, group, CRISIS)
    assert contacts_in(bot, sam) == 1
    assert len(bot.tg.messages(group)) == in_group  # nothing said in the group, no name
    # Privately: the offer to pass it on, marked urgent, for this group; nothing without Send.
    offer = bot.last(dm)
    assert MARK in (offer.text or "") and "urgent" in (offer.text or "")
    assert labels(offer)[:2] == ["Send", "Cancel"]
    assert await stored_anywhere(bot, MARK) == []
    await bot.press(sam, offer, text="Send")
    (urgent,) = said(bot, bot.private(fiona), MARK)
    assert "URGENT" in (urgent.text or "")
    assert not re.search(rf"\b{sam.first_name}\b", urgent.text or "")  # "Samaritans" aside
    assert len(bot.tg.messages(group)) == in_group
    (item,) = await stored(bot)
    assert item.urgent and item.status == "urgent"


async def test_later_set_up_steps_and_outcome_words_never_take_a_crisis(bot: SandboxBot) -> None:
    """The steps after the first: a poll's options, a meeting's place, and the words a
    facilitator types for "You said, we did" (why not possible, who will do it), which the
    group would read."""
    circle = await joined_circle(bot, SMALL)
    fiona, dm, group = circle.fiona, bot.private(circle.fiona), circle.group
    # The poll set-up's options.
    await bot.say(fiona, group, "/newpoll")
    url = next(b.url for b in bot.last(group).all_buttons() if b.url)
    assert url is not None
    await bot.start(fiona, url.split("?start=", 1)[1])
    await bot.press(fiona, bot.last(dm), text="Single choice")
    await bot.say(fiona, dm, "Which day suits you?")
    await bot.say(fiona, dm, "Monday")
    await bot.say(fiona, dm, CRISIS)
    assert contacts_in(bot, fiona) == 1
    await bot.say(fiona, dm, "Tuesday")
    options = bot.last(dm)
    assert "2. Tuesday" in (options.text or "") and MARK not in (options.text or "")
    await bot.press(fiona, options, text="Cancel")
    # The meeting set-up's place.
    await bot.say(fiona, group, "/meeting")
    link = next(b.url for b in bot.last(group).all_buttons() if b.url)
    assert link is not None
    await bot.start(fiona, link.split("?start=", 1)[1])
    await bot.say(fiona, dm, typed_date(4))
    await bot.say(fiona, dm, "Peer support planning")
    assert "Where is it?" in bot.last_text(dm)
    await bot.say(fiona, dm, CRISIS)
    assert contacts_in(bot, fiona) == 2
    assert "Where is it?" not in bot.last_text(dm)  # the step is not answered by it
    await bot.say(fiona, dm, "Room 3")
    assert "Room 3" in bot.last_text(dm) and MARK not in bot.last_text(dm)
    # An outcome's "why" and "who": both would be posted in the group.
    poll = await post_poll(bot, circle, "Move the meeting to Thursdays? | Yes | No")
    await close_by_button(bot, fiona, poll)
    await bot.say(fiona, group, "/outcome")
    listing = bot.last(dm)
    await bot.press(fiona, listing, text=labels(listing)[0])
    await bot.press(fiona, bot.last(dm), text="Not possible")
    await bot.say(fiona, dm, CRISIS)
    assert contacts_in(bot, fiona) == 3
    await bot.say(fiona, dm, "The room is booked on Thursdays")
    assert "Who will do it?" in bot.last_text(dm)
    await bot.say(fiona, dm, CRISIS)
    assert contacts_in(bot, fiona) == 4
    await bot.say(fiona, dm, "the room bookings team")
    await bot.press(fiona, bot.last(dm), text="No review date")
    (told,) = [m.text or "" for m in bot.tg.messages(group) if "You said, we did" in (m.text or "")]
    assert "The room is booked on Thursdays" in told and "the room bookings team" in told
    assert not said(bot, group, MARK)
    assert await stored_anywhere(bot, MARK) == []


async def test_when_the_private_answer_fails_the_group_still_gets_the_help_note(
    bot: SandboxBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database gone for a moment, or Telegram refusing the private message: help is
    still offered, in the group, naming nobody."""
    circle = await joined_circle(bot, SMALL)
    sam, group = circle.members[Role.SERVICE_USER][0], circle.group

    async def broken(*_: object, **__: object) -> object:
        raise ConnectionError("database unavailable")

    monkeypatch.setattr(reachable, "among", broken)
    await bot.say(sam, group, f"/agenda {CRISIS}")
    note = bot.last(group)
    assert "Get help privately" in labels(note) and MARK not in (note.text or "")
    monkeypatch.undo()
    # Telegram fails the private message every time it is tried: the group note instead.
    bot.tg.faults.inject("sendMessage", "500", times=20, chat_id=bot.private(sam).id)
    in_group = len(bot.tg.messages(group))
    await bot.say(sam, group, f"/agenda {CRISIS}")
    bot.tg.faults.clear()
    assert len(bot.tg.messages(group)) == in_group + 1
    assert "Get help privately" in labels(bot.last(group))
    assert await stored_anywhere(bot, MARK) == []
