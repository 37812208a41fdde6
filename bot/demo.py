"""`equalsay demo`: the real bot against the sandbox, played as a readable transcript.

No token and no network: a fake Telegram runs in this process and a temporary SQLite
database holds the data. Each feature adds a scene to SCENES.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.config import load_settings
from bot.context import AppContext
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser
from bot.scheduling.meeting_jobs import dispatch_due


class Transcript:
    """Prints what people do and, after each step, everything new the bot sent or edited."""

    def __init__(self, tg: FakeTelegram, out: TextIO, *, quiet: bool = False) -> None:
        self.tg = tg
        self.out = out
        self.quiet = quiet
        self._seen: dict[tuple[int, int], int] = {}
        self.lines = 0

    def _print(self, text: str = "") -> None:
        self.lines += 1
        if not self.quiet:
            print(text, file=self.out)

    def scene(self, title: str) -> None:
        self._print()
        self._print(f"=== {title} ===")

    def _where(self, chat: FakeChat) -> str:
        if chat.type == "private":
            user = self.tg.users.get(chat.id)
            return f"private chat with {user.first_name if user else chat.id}"
        return chat.title or str(chat.id)

    def person(self, user: FakeUser, chat: FakeChat, action: str) -> None:
        self._print(f"[{self._where(chat)}] {user.first_name}: {action}")

    def bot_output(self) -> None:
        """Show each message the bot sent, and each edit, since the last call."""
        for chat in list(self.tg.chats.values()):
            for message in self.tg.messages(chat):
                key = (chat.id, message.message_id)
                if key not in self._seen:
                    self._show(chat, message, "Equal Say")
                elif self._seen[key] != message.edit_count:
                    self._show(chat, message, "Equal Say (edited)")
                self._seen[key] = message.edit_count

    def note(self, text: str) -> None:
        self._print(f"* {text}")

    def bot_output_silently(self) -> None:
        """Mark everything sent so far as seen, for steps a scene summarises in a note."""
        quiet, self.quiet = self.quiet, True
        self.bot_output()
        self.quiet = quiet

    def answer(self, user: FakeUser, answer: dict[str, object] | None) -> None:
        if answer and answer.get("text"):
            self._print(f"    (only {user.first_name} sees) {answer['text']}")

    def _show(self, chat: FakeChat, message: FakeMessage, who: str) -> None:
        self._print(f"[{self._where(chat)}] {who}:")
        body = message.text or message.caption or ""
        for line in body.splitlines() or [""]:
            self._print(f"    {line}")
        if message.document is not None:
            self._print(f"    [file: {message.document.filename}]")
        if message.photo is not None:
            self._print("    [picture]")
        for row in message.buttons:
            self._print("    " + "  ".join(f"[ {button.text} ]" for button in row))


class Demo:
    """What a scene can do: act as people, each step followed by the bot's output."""

    def __init__(self, bot: SandboxBot, transcript: Transcript) -> None:
        self.bot = bot
        self.tg = bot.tg
        self.t = transcript

    async def say(self, user: FakeUser, chat: FakeChat, text: str) -> None:
        self.t.person(user, chat, text)
        await self.bot.say(user, chat, text)
        self.t.bot_output()

    async def press(self, user: FakeUser, message: FakeMessage, label: str) -> None:
        self.t.person(user, self.tg.chats[message.chat_id], f"presses [ {label} ]")
        answer = await self.bot.press(user, message, text=label)
        self.t.answer(user, answer)
        self.t.bot_output()

    async def follow_join(self, user: FakeUser, message: FakeMessage) -> None:
        self.t.person(user, self.tg.chats[message.chat_id], "presses [ Join ]")
        await self.bot.follow_join(user, message)
        self.t.bot_output()

    async def add_bot(self, chat: FakeChat, by: FakeUser) -> None:
        self._note(f"{by.first_name} adds Equal Say to the group “{chat.title}”.")
        await self.bot.add_to_group(chat, by=by)
        self.t.bot_output()

    def _note(self, text: str) -> None:
        self.t.note(text)


async def scene_joining(demo: Demo) -> None:
    """Three people join a group, each with a different role, in private."""
    demo.t.scene("A group welcomes Equal Say, and three people join with private roles")
    tg = demo.tg
    fiona = tg.create_user("Fiona", "fiona_facilitates")
    sam, cara, stan = tg.create_user("Sam"), tg.create_user("Cara"), tg.create_user("Stan")
    group = tg.create_group("Riverside co-production", members=[sam, cara, stan], admins=[fiona])
    await demo.add_bot(group, fiona)
    welcome = demo.bot.last(group)
    for person, role in ((sam, "Service user"), (cara, "Carer"), (stan, "Staff")):
        await demo.follow_join(person, welcome)
        await demo.press(person, demo.bot.last(demo.bot.private(person)), role)
    await demo.say(fiona, demo.bot.private(fiona), "/start")
    await demo.say(fiona, group, "/members")  # answered in her private chat
    await demo.say(cara, demo.bot.private(cara), "/mydata")


async def scene_poll(demo: Demo) -> None:
    """A poll voted by fifteen people and closed: a show of hands and equal weight disagree."""
    demo.t.scene("A poll where a show of hands and an equal say disagree")
    tg = demo.tg
    priya = tg.create_user("Priya", "priya_facilitates")
    cast = {
        "Service user": ("Amira", "Ben", "Dev"),
        "Carer": ("Grace", "Hamid", "Iris"),
        "Staff": ("Jo", "Kemi", "Lars", "Mo", "Nell", "Omar", "Pat", "Rhys", "Tess"),
    }
    people = [(tg.create_user(name), label) for label, names in cast.items() for name in names]
    group = tg.create_group("Hillside ward forum", members=[p for p, _ in people], admins=[priya])
    await demo.bot.add_to_group(group, by=priya)
    welcome = demo.bot.last(group)
    for person, label in people:  # joining happens in private, as in the first scene
        await demo.bot.follow_join(person, welcome)
        await demo.bot.press(person, demo.bot.last(demo.bot.private(person)), text=label)
    demo.t.bot_output_silently()
    demo.t.note("Fifteen people join in private: 3 service users, 3 carers and 9 staff.")
    await demo.say(
        priya, group, "/poll When should the ward forum meet? | Weekday evenings | Weekday mornings"
    )
    poll = demo.bot.last(group)
    evenings, mornings = "1. Weekday evenings", "2. Weekday mornings"
    for person, label in people[1:]:
        # Service users and carers want evenings; staff, all but Jo, mornings.
        wants_evenings = label != "Staff" or person.first_name == "Jo"
        await demo.bot.press(person, poll, text=evenings if wants_evenings else mornings)
    demo.t.bot_output_silently()
    demo.t.note("Fourteen people vote; each sees only their own private acknowledgement.")
    await demo.press(people[0][0], poll, evenings)
    await demo.press(people[0][0], poll, evenings)
    demo.t.bot_output_silently()
    await demo.press(priya, poll, "Close poll (facilitators)")
    await demo.press(priya, demo.bot.last(demo.tg.chats[poll.chat_id]), "Yes, close it now")
    demo.t.note(
        "A show of hands would have picked Weekday mornings (9 staff outnumber the other 6). "
        "With 3 / 3 / 9 people, the privacy audit finds that any figure beyond the decision "
        "could let someone work out how a person voted, so the result says the decision only."
    )


async def scene_newcomer(demo: Demo) -> None:
    """Someone new arrives, is welcomed, presses a vote before joining, and the vote counts
    once they have picked a role: no going back to press again."""
    demo.t.scene("A newcomer is welcomed, votes before joining, and the vote is counted")
    tg = demo.tg
    una = tg.create_user("Una", "una_facilitates")
    regulars = [tg.create_user(name) for name in ("Abi", "Cal", "Dee")]
    group = tg.create_group("Northside carers' circle", members=regulars, admins=[una])
    await demo.bot.add_to_group(group, by=una)
    demo.t.bot_output_silently()
    demo.t.note("Equal Say is already in the group.")
    await demo.say(una, group, "/poll How often should we meet?\nMonthly\nFortnightly")
    poll = demo.bot.last(group)
    nadia = tg.create_user("Nadia")
    demo._note("Nadia joins the Telegram group.")
    tg.add_member(group, nadia)
    await demo.bot.deliver()
    demo.t.bot_output()
    demo.t.person(nadia, group, "presses [ 1. Monthly ] before joining")
    answer = await demo.bot.press(nadia, poll, text="1. Monthly")
    demo.t.answer(nadia, answer)
    url = str((answer or {}).get("url") or "")
    demo._note("Telegram opens her private chat with Equal Say.")
    await demo.bot.start(nadia, url.split("?start=", 1)[1])
    demo.t.bot_output()
    await demo.press(nadia, demo.bot.last(demo.bot.private(nadia)), "Carer")


async def scene_meeting(demo: Demo) -> None:
    """A meeting typed in one line, confirmed, answered, and reminded a day before."""
    demo.t.scene("A meeting: planned in one line, confirmed, answered and reminded")
    tg = demo.tg
    una = tg.create_user("Una", "una_facilitates")
    cast = (("Vic", "Service user"), ("Wren", "Carer"), ("Xan", "Staff"))
    people = [(tg.create_user(name), label) for name, label in cast]
    group = tg.create_group("Meadow co-production", members=[p for p, _ in people], admins=[una])
    await demo.bot.add_to_group(group, by=una)
    welcome = demo.bot.last(group)
    for person, label in people:
        await demo.bot.follow_join(person, welcome)
        await demo.bot.press(person, demo.bot.last(demo.bot.private(person)), text=label)
    demo.t.bot_output_silently()
    demo.t.note("Three people join in private: a service user, a carer and a member of staff.")
    when = datetime.now(UTC).astimezone(ZoneInfo("Europe/London")) + timedelta(days=3)
    await demo.say(una, group, f"/meeting {when:%d %b} 14:00 | Discharge working group | Room 3")
    await demo.press(una, demo.bot.last(group), "Every week")
    await demo.press(una, demo.bot.last(group), "✅ Save")
    meeting = demo.bot.last(group)
    for (person, _), answer in zip(people, ("Coming", "Coming", "Maybe"), strict=True):
        await demo.bot.press(person, meeting, text=answer)
    demo.t.note("Vic and Wren press Coming, Xan presses Maybe; the totals update, no names.")
    demo.t.bot_output()
    await demo.say(people[1][0], group, "/agenda Parking at the new site")
    demo.t.note("A day before the meeting, the reminder arrives in the group.")
    moment = when.replace(hour=14, minute=0, second=0, microsecond=0) - timedelta(days=1)
    await dispatch_due(AppContext(demo.bot.app), moment=moment.astimezone(UTC))
    demo.t.bot_output()


async def scene_feedback(demo: Demo) -> None:
    """Feedback written privately, checked by a facilitator, published without a name."""
    demo.t.scene("Anonymous feedback: written in private, checked, published without a name")
    tg = demo.tg
    fiona = tg.create_user("Mo", "mo_facilitates")
    people = [tg.create_user(name) for name in ("Ade", "Bea", "Cal")]
    group = tg.create_group("Meadow carers' circle", members=people, admins=[fiona])
    await demo.bot.add_to_group(group, by=fiona)
    welcome = demo.bot.last(group)
    for person in people:
        await demo.bot.follow_join(person, welcome)
        await demo.bot.press(person, demo.bot.last(demo.bot.private(person)), text="Carer")
    await demo.bot.start(fiona)
    demo.t.bot_output_silently()
    demo.t.note("Ade, Bea and Cal join as carers; Mo, the facilitator, has opened a chat.")
    ade = people[0]
    await demo.say(ade, demo.bot.private(ade), "/feedback")
    await demo.say(
        ade, demo.bot.private(ade), "Could meetings start after the school run, at 10 not 9?"
    )
    await demo.press(ade, demo.bot.last(demo.bot.private(ade)), "Say I am a carer")
    await demo.press(ade, demo.bot.last(demo.bot.private(ade)), "Send")
    await demo.press(fiona, demo.bot.last(demo.bot.private(fiona)), "Publish in the group")


Scene = Callable[[Demo], Awaitable[None]]
SCENES: list[Scene] = [scene_joining, scene_newcomer, scene_poll, scene_meeting, scene_feedback]


async def run_demo(*, quiet: bool = False, out: TextIO | None = None) -> int:
    """Play every scene; 0 when all ran."""
    out = out or sys.stdout
    # The demo is for people trying Equal Say; the sandbox's spec-check notice is for developers.
    logging.getLogger("bot.sandbox").setLevel(logging.ERROR)
    tg = FakeTelegram()
    with tempfile.TemporaryDirectory(prefix="equalsay-demo-") as folder:
        settings = load_settings(
            bot_token=tg.token,
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}",
            secret_key="demo-only-secret",  # noqa: S106 - a throwaway database
        )
        transcript = Transcript(tg, out, quiet=quiet)
        print("Equal Say demo: a fake Telegram, the real bot, a temporary database.", file=out)
        async with SandboxBot(tg, settings) as bot:
            demo = Demo(bot, transcript)
            for scene in SCENES:
                await scene(demo)
        print(f"\nDemo finished: {len(SCENES)} scene(s), {transcript.lines} lines.", file=out)
    return 0
