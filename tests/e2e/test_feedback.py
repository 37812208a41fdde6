"""Anonymous feedback end to end: moderated, direct, role tags, several groups."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeMessage
from tests.e2e.feedback_helpers import (
    follow_feedback_link,
    labels,
    posted,
    send_feedback,
    set_delivery,
    stored,
    write,
)
from tests.e2e.poll_helpers import Circle, button, joined_circle


async def test_moderated_feedback_appears_only_once_a_facilitator_publishes(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    chat = bot.private(sam)
    await bot.say(sam, chat, "/feedback")
    prompt = bot.last_text(chat)
    assert "organisers read it first" in prompt
    assert "Nobody can tell it came from you" in prompt
    assert "Samaritans" in prompt and "116 123" in prompt  # where to get urgent help
    await bot.say(sam, chat, "The meeting room is too cold & noisy <b>really</b>")
    preview = bot.last(chat)
    assert "too cold &amp; noisy" in (preview.html or "") or "too cold & noisy" in (
        preview.text or ""
    )
    assert {"Send", "Cancel"} <= set(labels(preview))
    await bot.press(sam, preview, text="Send")
    assert "Sent" in bot.last_text(chat)
    assert posted(bot, circle) == []  # not before a facilitator decides

    to_fiona = bot.last(bot.private(circle.fiona))
    assert "New anonymous feedback" in (to_fiona.text or "")
    assert "too cold & noisy" in (to_fiona.text or "")
    answer = await bot.press(circle.fiona, to_fiona, text="Publish in the group")
    assert answer is not None and answer["text"] == "Published"
    (post,) = posted(bot, circle)
    assert post.startswith("Anonymous feedback #1\n")
    assert "too cold & noisy <b>really</b>" in post  # escaped, shown as typed
    for person in [sam, circle.fiona]:
        assert str(person.id) not in post and person.first_name not in post
    assert "Published" in bot.last_text(bot.private(circle.fiona))

    # A rejected item never appears, and leaves no gap in the numbering.
    await send_feedback(bot, sam, "Please reject me")
    await bot.press(circle.fiona, bot.last(bot.private(circle.fiona)), text="Reject")
    await send_feedback(bot, sam, "Second published")
    await bot.press(circle.fiona, bot.last(bot.private(circle.fiona)), text="Publish in the group")
    texts = posted(bot, circle)
    assert len(texts) == 2 and texts[1].startswith("Anonymous feedback #2\n")
    assert not any("Please reject me" in (m.text or "") for m in bot.tg.messages(circle.group))
    assert [item.status for item in await stored(bot)] == ["published", "rejected", "published"]


async def test_a_second_facilitator_cannot_decide_again(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    nadia = bot.tg.create_user("Nadia", "nadia_f")
    bot.tg.add_member(circle.group, nadia)
    circle.group.statuses[nadia.id] = "administrator"
    await bot.start(nadia)
    await send_feedback(bot, circle.members[Role.CARER][0], "More tea please")
    for_fiona = bot.last(bot.private(circle.fiona))
    for_nadia = bot.last(bot.private(nadia))
    assert "More tea please" in (for_nadia.text or "")
    publish = button(for_nadia, "Publish in the group")
    await bot.press(circle.fiona, for_fiona, text="Reject")
    # Nadia's copy lost its buttons; a press on it from before (a slow phone) is refused.
    answer = await bot.press_raw(nadia, bot.private(nadia), for_nadia.message_id, publish)
    assert answer is not None and "already dealt with" in str(answer["text"])
    assert posted(bot, circle) == []
    # A member cannot publish by forging the facilitators' button.
    sam = circle.members[Role.SERVICE_USER][0]
    await send_feedback(bot, sam, "Forged publish attempt")
    item_id = (await stored(bot))[-1].id
    forged = await bot.press_raw(sam, bot.private(sam), 1, f"fd:{item_id}:1")
    # Answered as for an item that does not exist: no hint that this one does.
    assert forged is not None and "no longer in use" in str(forged["text"])
    assert posted(bot, circle) == []


async def test_direct_delivery_posts_at_once(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    member = circle.members[Role.STAFF][0]
    refused = await bot.press(member, await _settings(bot, circle), text="Straight to the group")
    assert refused is not None and "organisers" in str(refused["text"])
    await set_delivery(bot, circle, "Straight to the group")
    assert "✓ Straight to the group" in labels(bot.last(circle.group))
    told = await send_feedback(bot, member, "Thanks for the new rota")
    assert "now in the group" in told
    assert posted(bot, circle) == ["Anonymous feedback #1\n\nThanks for the new rota"]


async def _settings(bot: SandboxBot, circle: Circle) -> FakeMessage:
    await bot.say(circle.fiona, circle.group, "/feedbacksettings")
    return bot.last(circle.group)


async def test_role_tag_is_offered_only_where_k_members_hold_the_role(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, {Role.SERVICE_USER: 3, Role.CARER: 2, Role.STAFF: 3})
    await set_delivery(bot, circle, "Straight to the group")
    carer = circle.members[Role.CARER][0]
    preview = await write(bot, carer, "Carers need more notice")
    assert not any("Say I am" in label for label in labels(preview))
    # A forged tag press (the right serial, a tag nobody offered) does not tag a role below k.
    serial = button(preview, "Send").split(":")[1]
    await bot.press_raw(carer, bot.private(carer), preview.message_id, f"ft:{serial}:1")
    forged = bot.last(bot.private(carer))
    assert "from a carer" not in (forged.text or "")
    await bot.press(carer, forged, text="Send")
    assert posted(bot, circle) == ["Anonymous feedback #1\n\nCarers need more notice"]

    sam = circle.members[Role.SERVICE_USER][0]
    preview = await write(bot, sam, "Please keep the evening slot")
    assert "Say I am a service user" in labels(preview)
    await bot.press(sam, preview, text="Say I am a service user")
    tagged = bot.last(bot.private(sam))
    assert "(from a service user)" in (tagged.text or "")
    await bot.press(sam, tagged, text="Send")
    assert posted(bot, circle)[1].startswith("Anonymous feedback #2 (from a service user)")
    assert (await stored(bot))[1].role_tag == "service_user"


async def test_the_group_button_and_choosing_among_groups(bot: SandboxBot) -> None:
    first = await joined_circle(bot, title="Riverside")
    sam = first.members[Role.SERVICE_USER][0]
    welcome = next(m for m in bot.tg.messages(first.group) if "Join" in labels(m))
    assert "Give feedback anonymously" in labels(welcome)
    await follow_feedback_link(bot, sam, welcome)
    assert "Anonymous feedback for Riverside" in bot.last_text(bot.private(sam))

    fiona2 = bot.tg.create_user("Gita", "gita_f")
    second = bot.tg.create_group("Hillside", members=[sam], admins=[fiona2])
    await bot.add_to_group(second, by=fiona2)
    await bot.follow_join(sam, bot.last(second))
    await bot.press(sam, bot.last(bot.private(sam)), text="Service user")
    await bot.say(sam, bot.private(sam), "/feedback")
    choice = bot.last(bot.private(sam))
    assert "Which group" in (choice.text or "")
    assert set(labels(choice)) == {"Riverside", "Hillside"}
    await bot.press(sam, choice, text="Hillside")
    assert "Anonymous feedback for Hillside" in bot.last_text(bot.private(sam))

    # /feedback in a group points to the private chat with that group's link.
    await bot.say(sam, first.group, "/feedback")
    assert "Give feedback anonymously" in labels(bot.last(first.group))


async def test_cancel_and_an_old_preview_send_nothing(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    sam = circle.members[Role.SERVICE_USER][0]
    old = await write(bot, sam, "First version")
    await bot.say(sam, bot.private(sam), "Second version")
    newer = bot.last(bot.private(sam))
    answer = await bot.press(sam, old, text="Send")
    assert answer is not None and "no longer in use" in str(answer["text"])
    await bot.press(sam, newer, text="Cancel")
    assert "Nothing was sent" in bot.last_text(bot.private(sam))
    assert await stored(bot) == []
    # With nothing being written, text in private is not taken as feedback.
    await bot.say(sam, bot.private(sam), "Just chatting")
    assert await stored(bot) == []
