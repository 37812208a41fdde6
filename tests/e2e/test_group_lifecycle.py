"""Supergroup upgrades carry data; removal stops sends; re-adding resumes; topics are kept."""

from __future__ import annotations

from bot.harness import SandboxBot
from tests.e2e.poll_helpers import ask_members, close_by_button, results_posts


async def test_supergroup_upgrade_keeps_members_and_roles(bot: SandboxBot) -> None:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    group = bot.tg.create_group("Peer support", members=[sam], admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    await bot.follow_join(sam, bot.last(group))
    await bot.press(sam, bot.last(bot.private(sam)), text="Service user")

    supergroup = bot.tg.upgrade_to_supergroup(group)
    await bot.deliver()
    assert supergroup.id != group.id

    assert "Service users: fewer than 3" in await ask_members(bot, fiona, supergroup)
    await bot.say(sam, bot.private(sam), "/mydata")
    assert "Peer support: you are a service user" in bot.last_text(bot.private(sam))

    # The Join button posted in the new chat still signs the same group.
    await bot.say(sam, supergroup, "/join")
    await bot.follow_join(sam, bot.last(supergroup))
    assert "Your role here now: service user" in bot.last_text(bot.private(sam))


async def test_removed_bot_sends_nothing_there_and_resumes_when_added_back(
    bot: SandboxBot,
) -> None:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    group = bot.tg.create_group("Peer support", members=[sam], admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    welcome = bot.last(group)

    bot.tg.remove_bot_from_group(group, by=fiona)
    await bot.deliver()
    calls_before = len(bot.tg.calls)
    # The old Join link no longer enrols anyone while the bot is out of the group.
    await bot.follow_join(sam, welcome)
    assert "could not use that join link" in bot.last_text(bot.private(sam))
    group_calls = [
        (method, params)
        for method, params in bot.tg.calls[calls_before:]
        if params.get("chat_id") == group.id
    ]
    assert group_calls == []

    await bot.add_to_group(group, by=fiona)
    assert "Press <b>Join</b>" in (bot.last(group).html or "")
    await bot.follow_join(sam, bot.last(group))
    await bot.press(sam, bot.last(bot.private(sam)), text="Carer")
    assert "as a carer" in bot.last_text(bot.private(sam))


async def test_forum_replies_stay_in_the_topic(bot: SandboxBot) -> None:
    fiona = bot.tg.create_user("Fiona")
    forum = bot.tg.create_group("Trust forum", admins=[fiona], supergroup=True, forum=True)
    await bot.add_to_group(forum, by=fiona)
    topic = bot.tg.create_topic(forum, "Decisions")
    await bot.say(fiona, forum, "/join", thread_id=topic)
    assert "In all: 0" in await ask_members(bot, fiona, forum, thread_id=topic)
    replies = bot.tg.messages(forum, thread_id=topic)
    assert len(replies) == 2
    assert all(message.thread_id == topic for message in replies)
    assert "Join" in (replies[0].text or "") and "private chat" in (replies[1].text or "")


async def test_html_in_a_group_title_is_shown_as_text(bot: SandboxBot) -> None:
    fiona = bot.tg.create_user("Fiona")
    group = bot.tg.create_group('Carers <& Staff> "Forum"', admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    assert 'Carers <& Staff> "Forum"' in bot.last_text(group)


async def test_open_polls_are_posted_again_after_a_supergroup_upgrade(bot: SandboxBot) -> None:
    from tests.e2e.poll_helpers import joined_circle, post_poll, vote

    circle = await joined_circle(bot)
    await post_poll(bot, circle, "Meet monthly? | Yes | No")
    supergroup = bot.tg.upgrade_to_supergroup(circle.group)
    await bot.deliver()
    again = bot.last(supergroup)
    assert "Meet monthly?" in (again.text or "")
    sam = next(iter(circle.everyone()))
    assert "You chose: Yes" in await vote(bot, sam, again, "Yes")
    await close_by_button(bot, circle.fiona, again)
    assert results_posts(bot.tg, supergroup)
