"""Equal say in small groups (issue 12), through the real Application against the sandbox:
the issue's group of 5 service users, 2 carers and 6 staff."""

from __future__ import annotations

import re

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.views.callbacks import Action, decode, encode
from tests.e2e.audit_helpers import settle
from tests.e2e.poll_helpers import (
    Circle,
    button,
    close_by_button,
    joined_circle,
    post_poll,
    results_posts,
    shown,
    vote,
)
from tests.e2e.test_poll_wizard import open_wizard

ISSUE_GROUP = {Role.SERVICE_USER: 5, Role.CARER: 2, Role.STAFF: 6}


def _results(bot: SandboxBot, circle: Circle) -> list[str]:
    return [shown(m) for m in results_posts(bot.tg, circle.group)]


def _without_total(text: str) -> str:
    return re.sub(r"\d+ (people|person) (have|has) voted so far|Nobody has voted yet", "N", text)


async def test_the_issue_group_is_told_before_voting_and_ends_with_a_decision(
    bot: SandboxBot,
) -> None:
    circle = await joined_circle(bot, ISSUE_GROUP)
    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    text = poll.text or ""
    assert "the result could sometimes let people work out how carers voted" in text
    assert "I will show only what equal weight decides" in text

    carer = circle.members[Role.CARER][0]
    # The carer's first press repeats the notice, privately, as an alert.
    first = await bot.press(carer, poll, data=button(poll, "Monthly"))
    assert first is not None and first["show_alert"]
    assert "You chose: Monthly" in first["text"] and "carers" in first["text"]
    again = await vote(bot, carer, poll, "Weekly")  # a change is not told again
    assert "Please note" not in again
    staff_answer = await bot.press(circle.members[Role.STAFF][0], poll, data=button(poll, "Weekly"))
    assert staff_answer is not None and "Please note" not in staff_answer["text"]

    for user in circle.everyone():
        if user not in (carer, circle.members[Role.STAFF][0]):
            await vote(bot, user, poll, "Monthly")
    await close_by_button(bot, circle.fiona, poll)
    (results,) = _results(bot, circle)
    assert "On equal weight: Monthly." in results
    assert "As the poll said before voting" in results
    assert not re.search(r"%|\d+ votes?\b|2 carers|preferred", results)


async def test_the_live_message_changes_by_the_total_only(bot: SandboxBot) -> None:
    """Differencing successive edits: a press changes the count of voters and nothing else,
    whichever role pressed."""
    circle = await joined_circle(bot, ISSUE_GROUP)
    poll = await post_poll(bot, circle, "Paint the lounge? | Yes | No")
    seen = [_without_total(poll.text or "")]
    for role in (Role.CARER, Role.STAFF, Role.SERVICE_USER):
        await vote(bot, circle.members[role][0], poll, "Yes")
        await settle(bot)
        seen.append(_without_total(poll.text or ""))
    assert len(set(seen)) == 1, seen
    # "See results" (a button older polls had, or a forged one) shows nothing while open.
    press = decode(button(poll, "Yes"))
    assert press is not None
    answer = await bot.press_raw(
        circle.members[Role.CARER][0],
        circle.group,
        poll.message_id,
        encode(Action.SEE_RESULTS, press.args[0]),
    )
    assert answer is not None and "when the poll closes" in answer["text"]


async def test_a_group_that_protects_small_roles_gets_a_head_count(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, ISSUE_GROUP)
    await bot.say(circle.fiona, circle.group, "/pollsettings")
    settings = bot.last(circle.group)
    assert "When only a few people of a role can vote" in (settings.text or "")
    await bot.press(circle.fiona, settings, text="Small roles: protect them")
    assert "protect them: the result shows only the votes" in (bot.last(circle.group).text or "")
    # Not a facilitator: refused, nothing changes.
    refused = await bot.press(
        circle.members[Role.CARER][0], settings, text="✓ Small roles: protect them"
    )
    assert refused is not None and "organisers" in refused["text"]

    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    assert "only the votes for each option (a head count)" in (poll.text or "")
    for user in circle.everyone():
        await vote(bot, user, poll, "Weekly")
    await close_by_button(bot, circle.fiona, poll)
    (results,) = _results(bot, circle)
    assert "By head count, Weekly leads." in results
    assert "equal weight" not in results.lower()
    assert "To protect small roles" in results


async def test_the_guided_set_up_asks_and_refuses_a_forged_choice(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, ISSUE_GROUP)
    fiona = circle.fiona
    dm = await open_wizard(bot, fiona, circle.group)
    await bot.press(fiona, bot.last(dm), text="Single choice")
    await bot.say(fiona, dm, "Where shall we meet?")
    await bot.say(fiona, dm, "Library\nCafé")
    await bot.press(fiona, bot.last(dm), text="Done")
    await bot.press(fiona, bot.last(dm), text="No deadline (an organiser closes it)")
    preview = bot.last(dm)
    text = preview.text or ""
    assert "could sometimes let people work out how carers voted" in text
    labels = [b.text for b in preview.all_buttons()]
    assert labels[:2] == ["Post: equal say, with notice", "Post: protect small roles"]
    # A forged Post value (no such choice) posts nothing.
    post = next(b.data for b in preview.all_buttons() if b.text.startswith("Post: protect"))
    assert post is not None
    forged = post.rsplit(":", 1)[0] + ":9"
    before = len(bot.tg.messages(circle.group))
    answer = await bot.press_raw(fiona, dm, preview.message_id, forged)
    assert answer is not None and len(bot.tg.messages(circle.group)) == before
    await bot.press(fiona, preview, text="Post: protect small roles")
    posted = bot.last(circle.group)
    assert "only the votes for each option (a head count)" in (posted.text or "")


async def test_equal_roles_show_figures_without_asking(bot: SandboxBot) -> None:
    circle = await joined_circle(bot, {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 3})
    poll = await post_poll(bot, circle, "Meet monthly? | Monthly | Weekly")
    assert "Please note" not in (poll.text or "")
    for index, user in enumerate(circle.everyone()):
        await vote(bot, user, poll, "Monthly" if index % 3 else "Weekly")
    await close_by_button(bot, circle.fiona, poll)
    (results,) = _results(bot, circle)
    assert "On equal weight: Monthly." in results
    assert "6 votes, about 70% equal weight" in results  # the head count and rounded scores
    assert "service user" not in results.lower()  # never role by role


async def test_a_member_switching_role_cannot_unmask_a_small_role(bot: SandboxBot) -> None:
    """The issue's attack: a staff member switches to carer, votes, switches back. The ballot
    counts as staff (the role when the poll opened), and the result is the rung fixed before
    voting: it names no carer's vote whatever the switch did."""
    circle = await joined_circle(bot, ISSUE_GROUP)
    poll = await post_poll(bot, circle, "Move the forum? | Yes | No")
    stan = circle.members[Role.STAFF][0]
    dm = bot.private(stan)
    await bot.say(stan, dm, "/role")
    await bot.press(stan, bot.last(dm), text="Carer")
    answer = await vote(bot, stan, poll, "Yes")
    assert "Please note" not in answer  # counted as staff: not told the carers' notice
    for user in circle.members[Role.CARER]:
        await vote(bot, user, poll, "No")
    await close_by_button(bot, circle.fiona, poll)
    (results,) = _results(bot, circle)
    assert not re.search(r"%|\d+ votes?\b|preferred", results)
