"""`equalsay demo`: the real bot against the sandbox, played as a readable transcript.

No token and no network: a fake Telegram runs in this process and a temporary SQLite
database holds the data. Each feature adds a scene to SCENES.

`equalsay demo --language pl` (or ar) plays it in that language: every person's Telegram is
set to it, so the bot answers in it, and the narration and what people type come from the
catalogues (marked `N_`, translated with `translate`, not `_`: the bot's handlers set the
current language for each update they handle, in this same task).
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
from bot.i18n import DEFAULT_LANGUAGE, N_, supported
from bot.i18n.catalogues import RLM, translate
from bot.sandbox import FakeChat, FakeMessage, FakeTelegram, FakeUser
from bot.scheduling.meeting_jobs import dispatch_due


class Transcript:
    """Prints what people do and, after each step, everything new the bot sent or edited."""

    def __init__(
        self, tg: FakeTelegram, out: TextIO, *, quiet: bool = False, language: str = "en"
    ) -> None:
        self.tg = tg
        self.out = out
        self.quiet = quiet
        self.language = language
        self._seen: dict[tuple[int, int], int] = {}
        self.lines = 0

    def _print(self, text: str = "") -> None:
        self.lines += 1
        if not self.quiet:
            print(text, file=self.out)

    def words(self, text: str) -> str:
        """One of our texts (marked N_) in the demo's language."""
        return translate(text, self.language)

    def scene(self, title: str) -> None:
        self._print()
        self._print(f"=== {self.words(title)} ===")

    def _where(self, chat: FakeChat) -> str:
        if chat.type == "private":
            user = self.tg.users.get(chat.id)
            name = user.first_name if user else str(chat.id)
            return self.words(N_("private chat with {name}")).format(name=name)
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

    def note(self, text: str, **values: object) -> None:
        self._print(f"* {self.words(text).format(**values)}")

    def bot_output_silently(self) -> None:
        """Mark everything sent so far as seen, for steps a scene summarises in a note."""
        quiet, self.quiet = self.quiet, True
        self.bot_output()
        self.quiet = quiet

    def answer(self, user: FakeUser, answer: dict[str, object] | None) -> None:
        if answer and answer.get("text"):
            only = self.words(N_("(only {name} sees)")).format(name=user.first_name)
            self._print(f"    {only} {answer['text']}")

    def _show(self, chat: FakeChat, message: FakeMessage, who: str) -> None:
        self._print(f"[{self._where(chat)}] {who}:")
        body = message.text or message.caption or ""
        for line in body.splitlines() or [""]:
            self._print(f"    {line}")
        if message.document is not None:
            file = self.words(N_("[file: {name}]")).format(name=message.document.filename)
            self._print(f"    {file}")
        if message.photo is not None:
            self._print(f"    {self.words(N_('[picture]'))}")
        for row in message.buttons:
            self._print("    " + "  ".join(f"[ {button.text} ]" for button in row))


class Demo:
    """What a scene can do: act as people, each step followed by the bot's output."""

    def __init__(self, bot: SandboxBot, transcript: Transcript) -> None:
        self.bot = bot
        self.tg = bot.tg
        self.t = transcript

    def user(self, first_name: str, username: str | None = None) -> FakeUser:
        """A person whose Telegram is set to the demo's language."""
        return self.tg.create_user(first_name, username, language_code=self.t.language)

    def typed(self, text: str) -> str:
        """What a person types (one of our example texts), in the demo's language: without
        the right-to-left marks our own messages begin with, as people do not type them."""
        return self.t.words(text).replace(RLM, "")

    def label(self, text: str) -> str:
        """A button's label as the bot shows it in the demo's language."""
        return self.t.words(text)

    async def say(self, user: FakeUser, chat: FakeChat, text: str) -> None:
        self.t.person(user, chat, text)
        await self.bot.say(user, chat, text)
        self.t.bot_output()

    def button(self, message: FakeMessage, label: str, at: int | None = None) -> str:
        """The data of the button labelled `label` (as typed, or in the demo's language);
        else the one at place `at`, for a label the bot builds from parts."""
        buttons = [b for row in message.buttons for b in row if b.data]
        for wanted in (label, self.label(label)):
            # Arabic labels begin with a right-to-left mark, whether ours or built from parts.
            found = [b for b in buttons if b.text.lstrip(RLM) == wanted.lstrip(RLM)]
            if found and found[0].data:
                return found[0].data
        if at is None or not buttons:
            raise LookupError(f"no button {label!r}: {[b.text for b in buttons]}")
        data = buttons[at].data
        assert data is not None
        return data

    async def press(
        self, user: FakeUser, message: FakeMessage, label: str, *, at: int | None = None
    ) -> None:
        data = self.button(message, label, at)
        shown = next(b.text for row in message.buttons for b in row if b.data == data)
        self.t.person(user, self.tg.chats[message.chat_id], self._presses(shown))
        answer = await self.bot.press(user, message, data=data)
        self.t.answer(user, answer)
        self.t.bot_output()

    def _presses(self, label: str) -> str:
        return self.t.words(N_("presses [ {label} ]")).format(label=label)

    async def follow_join(self, user: FakeUser, message: FakeMessage) -> None:
        self.t.person(user, self.tg.chats[message.chat_id], self._presses(self.label(N_("Join"))))
        await self.bot.follow_join(user, message)
        self.t.bot_output()

    async def add_bot(self, chat: FakeChat, by: FakeUser) -> None:
        self.t.note(
            N_("{name} adds Equal Say to the group “{group}”."),
            name=by.first_name,
            group=chat.title,
        )
        await self.bot.add_to_group(chat, by=by)
        self.t.bot_output()


# The roles' buttons, in the order the bot shows them: pressed by place in other languages.
ROLE_AT = {"Service user": 0, "Carer": 1, "Staff": 2}


async def scene_joining(demo: Demo) -> None:
    """Three people join a group, each with a different role, in private."""
    demo.t.scene(N_("A group welcomes Equal Say, and three people join with private roles"))
    tg = demo.tg
    fiona = demo.user("Fiona", "fiona_facilitates")
    sam, cara, stan = demo.user("Sam"), demo.user("Cara"), demo.user("Stan")
    group = tg.create_group("Riverside co-production", members=[sam, cara, stan], admins=[fiona])
    await demo.add_bot(group, fiona)
    welcome = demo.bot.last(group)
    for person, role in ((sam, "Service user"), (cara, "Carer"), (stan, "Staff")):
        await demo.follow_join(person, welcome)
        await demo.press(person, demo.bot.last(demo.bot.private(person)), role, at=ROLE_AT[role])
    await demo.say(fiona, demo.bot.private(fiona), "/start")
    await demo.say(fiona, group, "/members")  # answered in her private chat
    await demo.say(cara, demo.bot.private(cara), "/mydata")


async def scene_poll(demo: Demo) -> None:
    """A poll voted by fifteen people and closed: a show of hands and equal weight disagree."""
    demo.t.scene(N_("A poll where a show of hands and an equal say disagree"))
    tg = demo.tg
    priya = demo.user("Priya", "priya_facilitates")
    cast = {
        "Service user": ("Amira", "Ben", "Dev"),
        "Carer": ("Grace", "Hamid", "Iris"),
        "Staff": ("Jo", "Kemi", "Lars", "Mo", "Nell", "Omar", "Pat", "Rhys", "Tess"),
    }
    people = [(demo.user(name), label) for label, names in cast.items() for name in names]
    group = tg.create_group("Hillside ward forum", members=[p for p, _ in people], admins=[priya])
    await demo.bot.add_to_group(group, by=priya)
    welcome = demo.bot.last(group)
    for person, label in people:  # joining happens in private, as in the first scene
        await demo.bot.follow_join(person, welcome)
        choice = demo.bot.last(demo.bot.private(person))
        await demo.bot.press(person, choice, data=demo.button(choice, label, ROLE_AT[label]))
    demo.t.bot_output_silently()
    demo.t.note(N_("Fifteen people join in private: 3 service users, 3 carers and 9 staff."))
    question = demo.typed(N_("When should the ward forum meet?"))
    evening, morning = demo.typed(N_("Weekday evenings")), demo.typed(N_("Weekday mornings"))
    await demo.say(priya, group, f"/poll {question} | {evening} | {morning}")
    poll = demo.bot.last(group)
    evenings, mornings = f"1. {evening}", f"2. {morning}"
    for person, label in people[1:]:
        # Service users and carers want evenings; staff, all but Jo, mornings.
        wants_evenings = label != "Staff" or person.first_name == "Jo"
        await demo.bot.press(
            person, poll, data=demo.button(poll, evenings if wants_evenings else mornings)
        )
    demo.t.bot_output_silently()
    demo.t.note(N_("Fourteen people vote; each sees only their own private acknowledgement."))
    await demo.press(people[0][0], poll, evenings)
    await demo.press(people[0][0], poll, evenings)
    demo.t.bot_output_silently()
    await demo.press(priya, poll, "Close poll (organisers)", at=-1)
    await demo.press(priya, demo.bot.last(demo.tg.chats[poll.chat_id]), "Yes, close it now", at=0)
    demo.t.note(
        N_(
            "A show of hands would have picked {option} (9 staff outnumber the other 6). "
            "With 3 / 3 / 9 people, any number beyond the decision could show how someone "
            "voted. So the result says the decision only."
        ),
        option=morning,
    )


async def scene_newcomer(demo: Demo) -> None:
    """Someone new arrives, is welcomed, presses a vote before joining, and the vote counts
    once they have picked a role: no going back to press again."""
    demo.t.scene(N_("A newcomer is welcomed, votes before they join, and the vote counts"))
    tg = demo.tg
    una = demo.user("Una", "una_facilitates")
    regulars = [demo.user(name) for name in ("Abi", "Cal", "Dee")]
    group = tg.create_group("Northside carers' circle", members=regulars, admins=[una])
    await demo.bot.add_to_group(group, by=una)
    demo.t.bot_output_silently()
    demo.t.note(N_("Equal Say is already in the group."))
    monthly, fortnightly = demo.typed(N_("Monthly")), demo.typed(N_("Fortnightly"))
    question = demo.typed(N_("How often should we meet?"))
    await demo.say(una, group, f"/poll {question}\n{monthly}\n{fortnightly}")
    poll = demo.bot.last(group)
    nadia = demo.user("Nadia")
    demo.t.note(N_("{name} joins the Telegram group."), name=nadia.first_name)
    tg.add_member(group, nadia)
    await demo.bot.deliver()
    demo.t.bot_output()
    first = f"1. {monthly}"
    demo.t.person(
        nadia, group, demo.t.words(N_("presses [ {label} ] before joining")).format(label=first)
    )
    answer = await demo.bot.press(nadia, poll, data=demo.button(poll, first))
    demo.t.answer(nadia, answer)
    url = str((answer or {}).get("url") or "")
    demo.t.note(N_("Telegram opens her private chat with Equal Say."))
    await demo.bot.start(nadia, url.split("?start=", 1)[1])
    demo.t.bot_output()
    await demo.press(nadia, demo.bot.last(demo.bot.private(nadia)), "Carer", at=ROLE_AT["Carer"])


async def scene_meeting(demo: Demo) -> None:
    """A meeting typed in one line, confirmed, answered, and reminded a day before."""
    demo.t.scene(N_("A meeting: planned in one line, confirmed, answered and reminded"))
    tg = demo.tg
    una = demo.user("Una", "una_facilitates")
    cast = (("Vic", "Service user"), ("Wren", "Carer"), ("Xan", "Staff"))
    people = [(demo.user(name), label) for name, label in cast]
    group = tg.create_group("Meadow co-production", members=[p for p, _ in people], admins=[una])
    await demo.bot.add_to_group(group, by=una)
    welcome = demo.bot.last(group)
    for person, label in people:
        await demo.bot.follow_join(person, welcome)
        choice = demo.bot.last(demo.bot.private(person))
        await demo.bot.press(person, choice, data=demo.button(choice, label, ROLE_AT[label]))
    demo.t.bot_output_silently()
    demo.t.note(N_("Three people join in private: a service user, a carer and one of the staff."))
    when = datetime.now(UTC).astimezone(ZoneInfo("Europe/London")) + timedelta(days=3)
    title, room = demo.typed(N_("Discharge working group")), demo.typed(N_("Room 3"))
    # The day as digits: read the same in every language.
    await demo.say(una, group, f"/meeting {when:%d.%m.%Y} 14:00 | {title} | {room}")
    await demo.press(una, demo.bot.last(group), N_("Every week"))
    await demo.press(una, demo.bot.last(group), N_("✅ Save"))
    meeting = demo.bot.last(group)
    for (person, _), answer in zip(people, (N_("Coming"), N_("Coming"), N_("Maybe")), strict=True):
        await demo.bot.press(person, meeting, data=demo.button(meeting, answer))
    demo.t.note(N_("Vic and Wren press Coming, Xan presses Maybe; the totals update, no names."))
    demo.t.bot_output()
    await demo.say(people[1][0], group, "/agenda " + demo.typed(N_("Parking at the new site")))
    demo.t.note(N_("A day before the meeting, the reminder arrives in the group."))
    moment = when.replace(hour=14, minute=0, second=0, microsecond=0) - timedelta(days=1)
    await dispatch_due(AppContext(demo.bot.app), moment=moment.astimezone(UTC))
    demo.t.bot_output()


async def scene_feedback(demo: Demo) -> None:
    """Feedback written privately, checked by a facilitator, published without a name."""
    demo.t.scene(N_("Anonymous feedback: written in private, checked, published without a name"))
    tg = demo.tg
    fiona = demo.user("Mo", "mo_facilitates")
    people = [demo.user(name) for name in ("Ade", "Bea", "Cal")]
    group = tg.create_group("Meadow carers' circle", members=people, admins=[fiona])
    await demo.bot.add_to_group(group, by=fiona)
    welcome = demo.bot.last(group)
    for person in people:
        await demo.bot.follow_join(person, welcome)
        choice = demo.bot.last(demo.bot.private(person))
        await demo.bot.press(person, choice, data=demo.button(choice, "Carer", ROLE_AT["Carer"]))
    await demo.bot.start(fiona)
    demo.t.bot_output_silently()
    demo.t.note(N_("Ade, Bea and Cal join as carers; Mo, the organiser, has opened a chat."))
    ade = people[0]
    await demo.say(ade, demo.bot.private(ade), "/feedback")
    await demo.say(
        ade,
        demo.bot.private(ade),
        demo.typed(N_("Could meetings start after the school run, at 10 not 9?")),
    )
    await demo.press(ade, demo.bot.last(demo.bot.private(ade)), "Say I am a carer", at=2)
    await demo.press(ade, demo.bot.last(demo.bot.private(ade)), N_("Send"), at=0)
    await demo.press(
        fiona, demo.bot.last(demo.bot.private(fiona)), N_("Publish in the group"), at=0
    )


Scene = Callable[[Demo], Awaitable[None]]
SCENES: list[Scene] = [scene_joining, scene_newcomer, scene_poll, scene_meeting, scene_feedback]


async def run_demo(
    *, quiet: bool = False, out: TextIO | None = None, language: str = DEFAULT_LANGUAGE
) -> int:
    """Play every scene, in `language` (English when it is not one the bot speaks); 0 when
    all ran."""
    out = out or sys.stdout
    language = supported(language) or DEFAULT_LANGUAGE
    # The demo is for people trying Equal Say; the sandbox's spec-check notice is for developers.
    logging.getLogger("bot.sandbox").setLevel(logging.ERROR)
    tg = FakeTelegram()
    with tempfile.TemporaryDirectory(prefix="equalsay-demo-") as folder:
        settings = load_settings(
            bot_token=tg.token,
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}",
            secret_key="demo-only-secret",  # noqa: S106 - a throwaway database
        )
        transcript = Transcript(tg, out, quiet=quiet, language=language)
        words = transcript.words
        print(
            words(N_("Equal Say demo: the real bot, a fake Telegram and a test database.")),
            file=out,
        )
        async with SandboxBot(tg, settings) as bot:
            demo = Demo(bot, transcript)
            for scene in SCENES:
                await scene(demo)
        finished = words(N_("Demo finished: {scenes} scene(s), {lines} lines."))
        print("\n" + finished.format(scenes=len(SCENES), lines=transcript.lines), file=out)
    return 0
