"""Joining with a private role, changing it, seeing and erasing it: end to end."""

from __future__ import annotations

import pytest

from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeUser
from tests.e2e.poll_helpers import ask_members


async def welcomed_group(
    bot: SandboxBot, *people: FakeUser, admin: FakeUser
) -> tuple[FakeChat, FakeMessage]:
    group = bot.tg.create_group("Recovery co-production", members=people, admins=[admin])
    await bot.add_to_group(group, by=admin)
    return group, bot.last(group)


async def test_full_membership_journey(bot: SandboxBot) -> None:
    fiona, cara = bot.tg.create_user("Fiona"), bot.tg.create_user("Cara")
    _, welcome = await welcomed_group(bot, cara, admin=fiona)
    assert "equal say" in (welcome.text or "").lower()
    assert "private" in (welcome.text or "")

    await bot.follow_join(cara, welcome)
    dm = bot.private(cara)
    offer = bot.last(dm)
    assert "your role is private" in (offer.text or "").lower()
    assert [b.text for row in offer.buttons for b in row] == ["Service user", "Carer", "Staff"]

    answer = await bot.press(cara, offer, text="Carer")
    assert answer is not None and "carer" in answer["text"].lower()
    assert "as a carer" in bot.last_text(dm)

    await bot.say(cara, dm, "/mydata")
    assert "Recovery co-production" in bot.last_text(dm)
    assert "carer" in bot.last_text(dm)

    await bot.say(cara, dm, "/role")
    await bot.press(cara, bot.last(dm), text="Staff")
    await bot.say(cara, dm, "/mydata")
    assert "you are <b>staff</b>" in (bot.last(dm).html or "")
    assert "carer" not in bot.last_text(dm).split("That is all")[0]

    await bot.say(cara, dm, "/forgetme")
    confirm = bot.last(dm)
    assert "stay" in (confirm.text or "")
    await bot.press(cara, confirm, text="Yes, erase my data")
    assert "erased your role and membership in 1 group" in bot.last_text(dm)
    assert "nobody can tell they were yours" in bot.last_text(dm)
    await bot.say(cara, dm, "/mydata")
    assert "Nothing" in bot.last_text(dm)


async def test_forget_can_be_called_off(bot: SandboxBot) -> None:
    fiona, cara = bot.tg.create_user("Fiona"), bot.tg.create_user("Cara")
    _, welcome = await welcomed_group(bot, cara, admin=fiona)
    await bot.follow_join(cara, welcome)
    await bot.press(cara, bot.last(bot.private(cara)), text="Carer")
    await bot.say(cara, bot.private(cara), "/forgetme")
    await bot.press(cara, bot.last(bot.private(cara)), text="No, keep it")
    await bot.say(cara, bot.private(cara), "/mydata")
    assert "carer" in bot.last_text(bot.private(cara))


async def test_role_per_group_when_in_several(bot: SandboxBot) -> None:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    _, welcome_a = await welcomed_group(bot, sam, admin=fiona)
    group_b = bot.tg.create_group("Carers' network", members=[sam], admins=[fiona])
    await bot.add_to_group(group_b, by=fiona)
    dm = bot.private(sam)
    await bot.follow_join(sam, welcome_a)
    await bot.press(sam, bot.last(dm), text="Service user")
    await bot.follow_join(sam, bot.last(group_b))
    await bot.press(sam, bot.last(dm), text="Carer")

    await bot.say(sam, dm, "/role")
    menu = bot.last(dm)
    assert "Carers' network" in (menu.text or "") and "Recovery co-production" in (menu.text or "")
    await bot.press(sam, menu, text="Carers' network")
    await bot.press(sam, bot.last(dm), text="Staff")
    await bot.say(sam, dm, "/mydata")
    text = bot.last_text(dm)
    assert "In Carers' network: you are staff" in text
    assert "In Recovery co-production: you are a service user" in text


@pytest.mark.parametrize("payload", ["j1_AAAAAAAAAAAA", "hello", "j1", "j" + "z" * 60])
async def test_forged_payload_enrols_nobody(bot: SandboxBot, payload: str) -> None:
    fiona, mallory = bot.tg.create_user("Fiona"), bot.tg.create_user("Mallory")
    group, _ = await welcomed_group(bot, mallory, admin=fiona)
    await bot.start(mallory, payload)
    reply = bot.last(bot.private(mallory))
    assert "could not use that join link" in (reply.text or "")
    assert not reply.buttons
    assert "In all: 0" in await ask_members(bot, fiona, group)


async def test_another_groups_payload_does_not_enrol_an_outsider(bot: SandboxBot) -> None:
    fiona, mallory = bot.tg.create_user("Fiona"), bot.tg.create_user("Mallory")
    _, welcome = await welcomed_group(bot, admin=fiona)  # Mallory is not in this group
    await bot.follow_join(mallory, welcome)
    assert "could not find you in that group" in bot.last_text(bot.private(mallory))
    # Nor can a forged role button for that group enrol her.
    from bot.views.callbacks import Action, encode

    dm = bot.private(mallory)
    answer = await bot.press_raw(mallory, dm, bot.last(dm).message_id, encode(Action.ROLE, 1, 1))
    assert answer is not None and "could not find you" in answer["text"]
    await bot.say(mallory, dm, "/mydata")
    assert "Nothing" in bot.last_text(dm)


async def test_members_counts_for_facilitators_and_refusal_for_others(bot: SandboxBot) -> None:
    fiona = bot.tg.create_user("Fiona")
    people = [bot.tg.create_user(name) for name in ("Sam", "Sue", "Sid", "Cara", "Stan")]
    group, welcome = await welcomed_group(bot, *people, admin=fiona)
    roles = ["Service user", "Service user", "Service user", "Carer", "Staff"]
    for person, role in zip(people, roles, strict=True):
        await bot.follow_join(person, welcome)
        await bot.press(person, bot.last(bot.private(person)), text=role)

    counts = await ask_members(bot, fiona, group)
    assert "Service users: 3" in counts
    # One carer and one staff member: "1" would all but name them, and so would the total.
    assert "Carers: fewer than 3" in counts and "Staff: fewer than 3" in counts
    assert "In all" not in counts and "5" not in counts
    for person in people:
        assert person.first_name not in counts
    # The group only learns that the answer went privately: no figure moves there.
    group_texts = " ".join(m.text or "" for m in bot.tg.messages(group))
    assert "Who has joined" not in group_texts and "Service users" not in group_texts

    await bot.say(people[0], group, "/members")
    assert "only the group's organisers" in bot.last_text(group)


async def test_members_for_a_facilitator_the_bot_cannot_reach_offers_the_private_chat(
    bot: SandboxBot,
) -> None:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    group, welcome = await welcomed_group(bot, sam, admin=fiona)
    await bot.follow_join(sam, welcome)
    await bot.press(sam, bot.last(bot.private(sam)), text="Carer")
    await bot.say(fiona, group, "/members")  # Fiona never opened a private chat with the bot
    answer = bot.last(group)
    assert "open one with me" in (answer.text or "")
    assert "Carer" not in (answer.text or "") and "Who has joined" not in (answer.text or "")
    (link,) = [b.url for row in answer.buttons for b in row]
    assert link is not None and link.startswith("https://t.me/")
    await bot.start(fiona)  # she presses it, then asks again
    assert "Carers: fewer than 3" in await ask_members(bot, fiona, group)


async def test_private_commands_in_a_group_point_to_the_private_chat(bot: SandboxBot) -> None:
    fiona = bot.tg.create_user("Fiona")
    group, _ = await welcomed_group(bot, admin=fiona)
    for command in ("/mydata", "/forgetme", "/role"):
        await bot.say(fiona, group, command)
        reply = bot.last(group)
        assert "private chat" in (reply.text or "")
        assert reply.buttons[0][0].url == f"https://t.me/{bot.tg.bot_username}"


async def test_stale_or_forged_buttons_get_a_kind_answer(bot: SandboxBot) -> None:
    sam = bot.tg.create_user("Sam")
    await bot.start(sam)
    dm = bot.private(sam)
    for data in ("r:zz", "nonsense", "f:7", "r:1:9"):
        answer = await bot.press_raw(sam, dm, bot.last(dm).message_id, data)
        assert answer is not None and "no longer in use" in answer["text"], data


async def test_mydata_lists_the_private_chat_and_forgetme_removes_it(bot: SandboxBot) -> None:
    fiona, cara = bot.tg.create_user("Fiona"), bot.tg.create_user("Cara")
    _, welcome = await welcomed_group(bot, cara, admin=fiona)
    await bot.follow_join(cara, welcome)
    await bot.press(cara, bot.last(bot.private(cara)), text="Carer")
    dm = bot.private(cara)
    await bot.say(cara, dm, "/mydata")
    assert "opened this private chat" in bot.last_text(dm)
    await bot.say(cara, dm, "/forgetme")
    await bot.press(cara, bot.last(dm), text="Yes, erase my data")
    async with bot.uow() as uow:
        from bot.domain.keyed_hash import person_key

        key = person_key(bot.settings.hash_key, cara.id)
        assert await uow.reachable.known([key]) == set()
