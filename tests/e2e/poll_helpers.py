"""Shared set-up for the poll tests: a group whose members joined with each role."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import time_machine

from bot.context import AppContext
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser
from bot.services import groups, membership

ROLE_BUTTON = {Role.SERVICE_USER: "Service user", Role.CARER: "Carer", Role.STAFF: "Staff"}


@dataclass
class Circle:
    group: FakeChat
    fiona: FakeUser  # a facilitator: the group's admin
    members: dict[Role, list[FakeUser]] = field(default_factory=dict)

    def everyone(self) -> list[FakeUser]:
        return [user for users in self.members.values() for user in users]


async def joined_circle(
    bot: SandboxBot, sizes: dict[Role, int] | None = None, *, title: str = "Co-production"
) -> Circle:
    sizes = sizes or {Role.SERVICE_USER: 3, Role.CARER: 3, Role.STAFF: 4}
    fiona = bot.tg.create_user("Fiona", "fiona_f")
    members = {
        role: [bot.tg.create_user(f"{role.value}-{n}") for n in range(count)]
        for role, count in sizes.items()
    }
    everyone = [user for users in members.values() for user in users]
    group = bot.tg.create_group(title, members=everyone, admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    welcome = bot.last(group)
    for role, users in members.items():
        for user in users:
            await bot.follow_join(user, welcome)
            await bot.press(user, bot.last(bot.private(user)), text=ROLE_BUTTON[role])
    await bot.start(fiona)
    return Circle(group, fiona, members)


async def post_poll(bot: SandboxBot, circle: Circle, line: str) -> FakeMessage:
    await bot.say(circle.fiona, circle.group, f"/poll {line}")
    return bot.last(circle.group)


def button(message: FakeMessage, label: str) -> str:
    """The callback data of the button whose text contains `label`."""
    for row in message.buttons:
        for candidate in row:
            if label in candidate.text and candidate.data:
                return candidate.data
    raise AssertionError(
        f"no button with {label!r} on {[b.text for r in message.buttons for b in r]}"
    )


async def vote(bot: SandboxBot, user: FakeUser, message: FakeMessage, label: str) -> str:
    answer = await bot.press(user, message, data=button(message, label))
    assert answer is not None, "every press is answered"
    return str(answer.get("text") or "")


async def close_by_button(bot: SandboxBot, user: FakeUser, poll: FakeMessage) -> str:
    """'Close poll', then 'Yes, close it now' on the question it asks: the Yes press's
    answer (the Close press's, when no question came: someone not allowed, or closed)."""
    answer = await bot.press(user, poll, data=button(poll, "Close poll"))
    assert answer is not None, "every press is answered"
    question = bot.last(bot.tg.chats[poll.chat_id])
    if not [b for b in question.all_buttons() if b.text == "Yes, close it now"]:
        return str(answer.get("text") or "")
    return await vote(bot, user, question, "Yes, close it now")


def context_of(bot: SandboxBot) -> AppContext:
    """What a job receives: to run the sweep as the JobQueue would."""
    return AppContext(bot.app)


async def eventually(check: Callable[[], bool], what: str, seconds: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def ask_members(
    bot: SandboxBot, facilitator: FakeUser, group: FakeChat, **kwargs: int
) -> str:
    """A facilitator's /members in the group: the counts come in their private chat."""
    if not facilitator.started_bot:
        await bot.start(facilitator)
    dm = bot.private(facilitator)
    before = len(bot.tg.messages(dm))
    await bot.say(facilitator, group, "/members", **kwargs)
    assert len(bot.tg.messages(dm)) == before + 1, "no answer came in the private chat"
    thread = kwargs.get("thread_id")
    assert "sent you the member counts" in (bot.tg.last_message(group, thread_id=thread).text or "")
    return bot.last_text(dm)


async def stored_role_counts(bot: SandboxBot, chat: FakeChat) -> dict[Role, int]:
    """Exact counts per role as stored, for tests whose subject is not how /members shows
    them (it holds small figures back)."""
    async with bot.uow() as uow:
        group = await groups.find_group(uow, chat.id)
        assert group is not None, "the bot does not know that group"
        return await membership.role_counts(uow, group.id)


def shown(message: FakeMessage) -> str:
    """What a message shows in words: its text, or a photo's caption."""
    return message.text or message.caption or ""


def is_results(message: FakeMessage) -> bool:
    """A closing results message: the decision in words first, then 'Results: <question>'."""
    return any(line.startswith("Results: ") for line in shown(message).split("\n")[:2])


def results_posts(tg: FakeTelegram, chat: FakeChat | int) -> list[FakeMessage]:
    return [m for m in tg.messages(chat) if is_results(m)]


async def end_reopen_windows(
    bot: SandboxBot, closed_at: datetime | None = None, *, at_once: bool = False
) -> None:
    """Run the poll sweep just after the reopen window of polls closed at `closed_at` (now by
    default) is over: their keys are unlinked then (issue 14, point 4). `at_once`: end every
    window now, as a facilitator's "Keep closed" would, without moving the clock (for long
    scenarios whose scheduler must not see time jump)."""
    from bot.scheduling.poll_jobs import finish_closing, sweep
    from bot.services import polls
    from bot.services.polls import REOPEN_WINDOW

    if at_once:
        async with bot.uow() as uow:
            pending = await polls.unlink_pending(uow)
        for poll_id, _ in pending:
            await finish_closing(context_of(bot), poll_id, at_once=True)
        return
    moment = (closed_at or datetime.now(UTC)) + REOPEN_WINDOW + timedelta(seconds=1)
    with time_machine.travel(moment, tick=False):
        await sweep(context_of(bot))
