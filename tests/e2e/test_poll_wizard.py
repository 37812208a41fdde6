"""The guided poll set-up: /newpoll in a group, step by step in private, posted in the group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.domain.join_link import sign_join
from bot.domain.keyed_hash import person_key
from bot.domain.start_payloads import sign_new_poll
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser
from bot.views.callbacks import Action, encode
from storage.models import Poll, PollDraft

SETUP_BUTTON = "Set up the poll in private"


def labels(message: FakeMessage) -> list[str]:
    return [button.text for button in message.all_buttons()]


async def group_with_facilitator(
    bot: SandboxBot, *, forum: bool = False
) -> tuple[FakeUser, FakeUser, FakeChat]:
    fiona, sam = bot.tg.create_user("Fiona"), bot.tg.create_user("Sam")
    group = bot.tg.create_group(
        "Recovery co-production", members=[sam], admins=[fiona], forum=forum
    )
    await bot.add_to_group(group, by=fiona)
    return fiona, sam, group


def setup_payload(bot: SandboxBot, message: FakeMessage) -> str:
    """The payload of the invitation's URL button, which opens this bot's private chat."""
    url = next(b.url for b in message.all_buttons() if b.text == SETUP_BUTTON)
    assert url is not None
    prefix = f"https://t.me/{bot.tg.bot_username}?start="
    assert url.startswith(prefix), url
    return url.removeprefix(prefix)


async def open_wizard(
    bot: SandboxBot, user: FakeUser, group: FakeChat, *, thread_id: int | None = None
) -> FakeChat:
    """/newpoll in the group, then follow its button into the private chat."""
    await bot.say(user, group, "/newpoll", thread_id=thread_id)
    invite = bot.tg.last_message(group, thread_id=thread_id)
    assert SETUP_BUTTON in labels(invite)
    await bot.start(user, setup_payload(bot, invite))
    dm = bot.private(user)
    assert "What kind of poll" in bot.last_text(dm)
    return dm


async def stored_draft(bot: SandboxBot, user: FakeUser) -> PollDraft | None:
    async with bot.uow() as uow:
        draft = await uow.poll_drafts.by_owner(person_key(bot.settings.hash_key, user.id))
        if draft is not None:
            uow.session.expunge(draft)  # readable after the unit of work rolls back
        return draft


async def draft_snapshot(bot: SandboxBot, user: FakeUser) -> tuple[str, dict[str, object]]:
    draft = await stored_draft(bot, user)
    assert draft is not None
    return draft.step, dict(draft.data)


async def poll_count(bot: SandboxBot) -> int:
    async with bot.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Poll)) or 0)


async def only_poll(bot: SandboxBot) -> Poll:
    async with bot.uow() as uow:
        polls = list(await uow.session.scalars(select(Poll)))
        uow.session.expunge_all()  # readable after the unit of work rolls back
    assert len(polls) == 1
    return polls[0]


async def test_multiple_choice_poll_from_start_to_group(bot: SandboxBot) -> None:
    fiona, _, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    before = len(bot.tg.messages(group))

    await bot.press(fiona, bot.last(dm), text="Multiple choice")
    assert "type your question" in bot.last_text(dm)
    await bot.say(fiona, dm, "Which days suit you for the <b>next</b> meeting?")
    assert "type the options" in bot.last_text(dm).lower()

    await bot.say(fiona, dm, "Monday")
    assert "Done" not in labels(bot.last(dm))  # not until there are two
    assert "Undo last" in labels(bot.last(dm))
    await bot.say(fiona, dm, "Tuesday\n\nWednesday evening")
    options_message = bot.last(dm)
    assert "3. Wednesday evening" in (options_message.text or "")
    await bot.press(fiona, options_message, text="Done")

    assert "How many can each person choose?" in bot.last_text(dm)
    assert labels(bot.last(dm)) == ["1", "2", "3", "Cancel"]
    await bot.press(fiona, bot.last(dm), text="2")

    deadline_message = bot.last(dm)
    assert labels(deadline_message)[:5] == [
        "No deadline (an organiser closes it)",
        "Tomorrow at 17:00",
        "In 3 days",
        "In a week",
        "Type a date and time",
    ]
    await bot.press(fiona, deadline_message, text="Type a date and time")
    await bot.say(fiona, dm, "tomorrow 14:00")
    confirm = bot.last(dm)
    london = ZoneInfo("Europe/London")
    tomorrow = (datetime.now(UTC).astimezone(london) + timedelta(days=1)).date()
    assert f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B %Y} at 14:00, London time" in (
        confirm.text or ""
    )
    await bot.press(fiona, confirm, text="Yes")

    # No results step: results come when the poll closes, always (issue 12).
    preview = bot.last(dm)
    text = preview.text or ""
    for part in (
        "Which days suit you for the <b>next</b> meeting?",  # shown as typed, not as HTML
        "1. Monday",
        "2. Tuesday",
        "3. Wednesday evening",
        "Multiple choice",
        "up to 2",
        "London time",
        "Results: when the poll closes, I will show",
    ):
        assert part in text, part
    assert labels(preview) == ["Post", "Start again", "Cancel"]
    post_data = preview.all_buttons()[0].data
    assert post_data is not None
    await bot.press(fiona, preview, text="Post")

    assert "Your poll is now in" in bot.last_text(dm)
    posted = bot.tg.messages(group)[before:]
    assert len(posted) == 1
    poll_message = posted[0]
    assert "Which days suit you for the <b>next</b> meeting?" in (poll_message.text or "")
    buttons = labels(poll_message)
    for option in ("Monday", "Tuesday", "Wednesday evening"):
        assert sum(option in label for label in buttons) == 1, (option, buttons)

    poll = await only_poll(bot)
    assert (poll.kind, poll.max_choices, poll.visibility) == ("multiple", 2, "after_close")
    assert poll.options == ["Monday", "Tuesday", "Wednesday evening"]
    assert poll.deadline is not None
    assert poll.deadline.astimezone(london).date() == tomorrow
    assert poll.deadline.astimezone(london).hour == 14
    assert poll.message_id == poll_message.message_id
    assert await stored_draft(bot, fiona) is None  # the draft is gone once posted

    # The old preview's Post button cannot post a second poll.
    answer = await bot.press_raw(fiona, dm, preview.message_id, post_data)
    assert answer is not None and "no longer in use" in answer["text"]
    assert await poll_count(bot) == 1


async def test_proposal_poll_skips_options_and_goes_in_the_topic(bot: SandboxBot) -> None:
    fiona, _, forum = await group_with_facilitator(bot, forum=True)
    topic = bot.tg.create_topic(forum, "Decisions")
    dm = await open_wizard(bot, fiona, forum, thread_id=topic)
    assert bot.tg.last_message(forum).thread_id == topic  # the invitation stays in the topic

    await bot.press(fiona, bot.last(dm), text="Proposal")
    assert "type your proposal" in bot.last_text(dm)
    await bot.say(fiona, dm, "We move the meeting to Thursdays")
    assert "When should the poll close?" in bot.last_text(dm)
    await bot.press(fiona, bot.last(dm), text="No deadline (an organiser closes it)")
    preview = bot.last_text(dm)
    for part in ("Agree", "Unsure", "Disagree", "Block", "Proposal", "No deadline"):
        assert part in preview, part
    before = len(bot.tg.messages(forum, thread_id=topic))
    await bot.press(fiona, bot.last(dm), text="Post")

    in_topic = bot.tg.messages(forum, thread_id=topic)[before:]
    assert len(in_topic) == 1
    assert "We move the meeting to Thursdays" in (in_topic[0].text or "")
    for option in ("Agree", "Unsure", "Disagree", "Block"):
        assert any(option in label for label in labels(in_topic[0])), option
    poll = await only_poll(bot)
    assert (poll.kind, poll.deadline, poll.visibility, poll.thread_id) == (
        "proposal",
        None,
        "after_close",
        topic,
    )


async def test_scale_with_a_preset_deadline(bot_on: SandboxBot) -> None:
    bot = bot_on  # once on SQLite and once on PostgreSQL
    fiona, _, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    await bot.press(fiona, bot.last(dm), text="Scale 1 to 5")
    await bot.say(fiona, dm, "How useful was today's session?")
    await bot.press(fiona, bot.last(dm), text="Tomorrow at 17:00")
    assert "at 17:00, London time" in bot.last_text(dm)
    await bot.press(fiona, bot.last(dm), text="Post")
    poll = await only_poll(bot)
    assert poll.kind == "scale" and poll.options == ["1", "2", "3", "4", "5"]
    assert poll.deadline is not None
    assert poll.deadline.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == "17:00"


async def test_someone_not_allowed_is_refused(bot: SandboxBot) -> None:
    fiona, sam, group = await group_with_facilitator(bot)
    await bot.say(sam, group, "/newpoll")
    assert "only the group's organisers" in bot.last_text(group)
    assert not bot.last(group).all_buttons()

    # Even with Fiona's link, Sam cannot begin: the right is checked again in private.
    await bot.say(fiona, group, "/newpoll")
    await bot.start(sam, setup_payload(bot, bot.last(group)))
    assert "cannot make polls" in bot.last_text(bot.private(sam))
    assert await stored_draft(bot, sam) is None


async def test_everyone_may_when_the_facilitators_allow_it(bot: SandboxBot) -> None:
    fiona, sam, group = await group_with_facilitator(bot)
    await bot.say(fiona, group, "/pollsettings")
    await bot.press(fiona, bot.last(group), text="Everyone")
    dm = await open_wizard(bot, sam, group)
    assert "New poll for" in bot.last_text(dm)

    # But a forwarded link does not let an outsider in.
    outsider = bot.tg.create_user("Olly")
    await bot.say(sam, group, "/newpoll")
    await bot.start(outsider, setup_payload(bot, bot.last(group)))
    assert "cannot make polls" in bot.last_text(bot.private(outsider))


async def test_newpoll_in_private_points_to_the_group(bot: SandboxBot) -> None:
    fiona = bot.tg.create_user("Fiona")
    await bot.say(fiona, bot.private(fiona), "/newpoll")
    assert "in the group" in bot.last_text(bot.private(fiona))


async def test_bad_input_at_each_typed_step_changes_nothing(bot: SandboxBot) -> None:
    fiona, _, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    await bot.press(fiona, bot.last(dm), text="Single choice")

    async def refused(text: str, expected: str) -> None:
        before = await draft_snapshot(bot, fiona)
        await bot.say(fiona, dm, text)
        assert expected in bot.last_text(dm), bot.last_text(dm)
        assert await draft_snapshot(bot, fiona) == before

    await refused("   \n  ", "question is empty")
    await refused("Why? " * 80, "characters or fewer")
    await bot.say(fiona, dm, "Where shall we meet?")

    await bot.say(fiona, dm, "The library")
    assert "Done" not in labels(bot.last(dm))
    # A forged Done with one option is refused too, and moves nothing on.
    draft = await stored_draft(bot, fiona)
    assert draft is not None
    done = encode(Action.WIZARD, draft.id, 2, 2, 0)  # step OPTIONS, button DONE
    answer = await bot.press_raw(fiona, dm, bot.last(dm).message_id, done)
    assert answer is not None and "at least 2 options" in answer["text"]
    assert (await draft_snapshot(bot, fiona))[0] == "options"

    await refused("the LIBRARY", "already an option")
    await refused("Café\nCafé", "already an option")
    await refused("x" * 101, "characters or fewer")
    await bot.say(fiona, dm, "The café")
    await refused("\n".join(f"Place {n}" for n in range(9)), "at most 10 options")
    await bot.press(fiona, bot.last(dm), text="Undo last")
    assert "The café" not in bot.last_text(dm)
    await bot.say(fiona, dm, "The park")
    await bot.press(fiona, bot.last(dm), text="Done")

    await bot.press(fiona, bot.last(dm), text="Type a date and time")
    await refused("yesterday 2pm", "already passed")
    await refused("banana", "could not read")
    await refused("Friday", "add a time")
    # A bare hour that could be morning or evening is asked about, in the person's own words.
    await refused("Tomorrow at 10", "“Tomorrow at 10am” or “Tomorrow at 10pm”")
    await bot.say(fiona, dm, "tomorrow 9am")
    assert "Is that right?" in bot.last_text(dm)
    await bot.press(fiona, bot.last(dm), text="Change")
    assert "When should the poll close?" in bot.last_text(dm)
    await bot.press(fiona, bot.last(dm), text="In a week")
    preview = bot.last_text(dm)
    assert "1. The library\n2. The park" in preview
    assert "Single choice" in preview


async def test_typed_text_is_not_taken_when_no_step_waits_for_it(bot: SandboxBot) -> None:
    fiona, _, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    before = await draft_snapshot(bot, fiona)
    await bot.say(fiona, dm, "hello?")
    assert "/help" in bot.last_text(dm)
    assert await draft_snapshot(bot, fiona) == before


async def test_cancel_and_start_again(bot: SandboxBot) -> None:
    fiona, _, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    await bot.press(fiona, bot.last(dm), text="Scale 1 to 5")
    await bot.say(fiona, dm, "How was it?")
    await bot.press(fiona, bot.last(dm), text="No deadline (an organiser closes it)")
    await bot.press(fiona, bot.last(dm), text="Start again")
    assert "What kind of poll" in bot.last_text(dm)
    await bot.press(fiona, bot.last(dm), text="Cancel")
    assert "Cancelled" in bot.last_text(dm)
    assert await stored_draft(bot, fiona) is None
    assert await poll_count(bot) == 0
    await bot.say(fiona, dm, "How was it?")  # no draft: just a pointer to /help
    assert "/help" in bot.last_text(dm)


async def test_a_new_newpoll_replaces_the_old_draft(bot: SandboxBot) -> None:
    fiona, _, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    old_menu = bot.last(dm)
    await open_wizard(bot, fiona, group)
    answer = await bot.press(fiona, old_menu, text="Proposal")
    assert answer is not None and "no longer in use" in answer["text"]
    async with bot.uow() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(PollDraft))
    assert count == 1
    assert (await draft_snapshot(bot, fiona))[0] == "kind"


@pytest.mark.parametrize(
    "payload",
    [
        "p1-0_AAAAAAAAAAAA",  # well formed, wrong signature
        "p1-0",
        "p" + "z" * 60,
        "pollplease",
    ],
)
async def test_forged_payload_changes_nothing(bot: SandboxBot, payload: str) -> None:
    fiona, _, _ = await group_with_facilitator(bot)
    await bot.start(fiona, payload)
    reply = bot.last(bot.private(fiona))
    assert "could not use that link" in (reply.text or "")
    assert not reply.all_buttons()
    assert await stored_draft(bot, fiona) is None


async def test_payloads_do_not_cross_purposes(bot: SandboxBot) -> None:
    fiona, _, _ = await group_with_facilitator(bot)
    secret = bot.settings.hash_key
    # A join payload's signature on a poll payload's shape, and the other way round.
    join_sig = sign_join(secret, 1).split("_", 1)[1]
    await bot.start(fiona, f"p1-0_{join_sig}")
    assert "could not use that link" in bot.last_text(bot.private(fiona))
    poll_sig = sign_new_poll(secret, 1, None).split("_", 1)[1]
    await bot.start(fiona, f"j1_{poll_sig}")
    assert "could not use that join link" in bot.last_text(bot.private(fiona))
    assert await stored_draft(bot, fiona) is None


async def test_forged_and_stale_wizard_buttons_change_nothing(bot: SandboxBot) -> None:
    fiona, sam, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    draft = await stored_draft(bot, fiona)
    assert draft is not None
    before = await draft_snapshot(bot, fiona)
    message_id = bot.last(dm).message_id
    forged = [
        "pw",
        "pw:zz",
        encode(Action.WIZARD, draft.id + 1, 0, 1, 0),  # another draft
        encode(Action.WIZARD, draft.id, 3, 4, 2),  # a step the draft is not at
        encode(Action.WIZARD, draft.id, 0, 1, 9),  # no ninth kind
        encode(Action.WIZARD, draft.id, 0, 99, 0),  # no such button
        encode(Action.WIZARD, draft.id, 0, 9, 0),  # Post, at the first step
        encode(Action.WIZARD, draft.id, 40, 1, 0),  # no such step
    ]
    for data in forged:
        answer = await bot.press_raw(fiona, dm, message_id, data)
        assert answer is not None and "no longer in use" in answer["text"], data
        assert await draft_snapshot(bot, fiona) == before, data

    # Someone else pressing Fiona's button data acts on nothing: they have no draft.
    sam_dm = bot.private(sam)
    await bot.start(sam)
    answer = await bot.press_raw(
        sam, sam_dm, bot.last(sam_dm).message_id, encode(Action.WIZARD, draft.id, 0, 0, 0)
    )
    assert answer is not None and "no longer in use" in answer["text"]
    assert await stored_draft(bot, fiona) is not None
    assert await poll_count(bot) == 0


async def test_the_draft_survives_a_restart(tg: FakeTelegram, settings: Settings) -> None:
    async with SandboxBot(tg, settings) as first:
        fiona, _, group = await group_with_facilitator(first)
        dm = await open_wizard(first, fiona, group)
        await first.press(fiona, first.last(dm), text="Single choice")
        await first.say(fiona, dm, "Shall we keep the Tuesday slot?")
        await first.say(fiona, dm, "Yes")
        await first.say(fiona, dm, "No")
    # The first process is gone; a new one on the same database carries on.
    async with SandboxBot(tg, settings) as second:
        assert (await draft_snapshot(second, fiona))[0] == "options"
        await second.say(fiona, dm, "Not sure")
        await second.press(fiona, second.last(dm), text="Done")
        await second.press(fiona, second.last(dm), text="In 3 days")
        assert "3. Not sure" in second.last_text(dm)
        await second.press(fiona, second.last(dm), text="Post")
        poll = await only_poll(second)
        assert poll.question == "Shall we keep the Tuesday slot?"
        assert poll.options == ["Yes", "No", "Not sure"]
        assert "Shall we keep the Tuesday slot?" in second.last_text(group)


async def test_an_old_draft_is_discarded(bot: SandboxBot) -> None:
    fiona, _, group = await group_with_facilitator(bot)
    dm = await open_wizard(bot, fiona, group)
    await bot.press(fiona, bot.last(dm), text="Single choice")
    async with bot.uow() as uow:
        draft = await uow.poll_drafts.by_owner(person_key(bot.settings.hash_key, fiona.id))
        assert draft is not None
        draft.updated_at = datetime.now(UTC) - timedelta(days=2)
        await uow.commit()
    await bot.say(fiona, dm, "A question nobody will see")
    assert "/help" in bot.last_text(dm)
    assert await stored_draft(bot, fiona) is None


async def test_the_group_help_and_menu_mention_newpoll(bot: SandboxBot) -> None:
    fiona, _, group = await group_with_facilitator(bot)
    await bot.say(fiona, group, "/help")
    assert "/newpoll" in bot.last_text(group)


async def test_mydata_shows_and_forgetme_erases_a_poll_being_set_up(bot: SandboxBot) -> None:
    """A half-made poll is stored about its author: /mydata says so and /forgetme erases it."""
    from tests.e2e.poll_helpers import joined_circle

    circle = await joined_circle(bot)
    await bot.say(circle.fiona, circle.group, "/newpoll")
    link = next(b.url for row in bot.last(circle.group).buttons for b in row if b.url)
    assert link is not None
    await bot.start(circle.fiona, link.split("?start=")[1])
    dm = bot.private(circle.fiona)
    await bot.say(circle.fiona, dm, "/mydata")
    assert "A poll you are setting up for Co-production" in bot.last_text(dm)
    await bot.say(circle.fiona, dm, "/forgetme")
    await bot.press(circle.fiona, bot.last(dm), text="Yes, erase my data")
    await bot.say(circle.fiona, dm, "/mydata")
    assert "setting up" not in bot.last_text(dm)
