"""A whole poll in Polish and in Arabic, through the real Application (issue 15).

An organiser whose Telegram is Polish (or Arabic) sets a poll up with the guided /newpoll in
private, the members vote in the group, the organiser closes it with the Yes / No question,
and the results come as a chart with its caption; the CSV and /polls follow. Nobody meets an
English word on the way, except names and the words people typed themselves.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from PIL import Image

from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeUser
from tests.e2e.poll_helpers import button
from tests.e2e.test_languages import all_words, english_in

# Words a poll would say in English; none of them is a Polish or Arabic word of ours.
POLL_ENGLISH = re.compile(
    r"\b(options?|results?|decisions?|decided|closed?|closes|closing|votes|voted|voters?|"
    r"weight|equal|chose|choose|nobody|organisers?|facilitators?|share|head|count|average|"
    r"proposal|agree|block|deadline|reminder|kind|done|post|cancel|yes|withdraw|figures|"
    r"privately|reopen|none|nothing|people|person|open)\b",
    re.IGNORECASE,
)


def english(text: str, typed: tuple[str, ...]) -> list[str]:
    """English words in `text`, leaving out what people typed (question, options, names)."""
    for words in typed:
        text = text.replace(words, "")
    return english_in(text) + POLL_ENGLISH.findall(re.sub(r"/\w+", "", text))


def read_since(bot: SandboxBot, chat: FakeChat, since: int) -> list[FakeMessage]:
    return bot.tg.messages(chat)[since:]


def nth_button(message: FakeMessage, row: int) -> str:
    data = message.buttons[row][0].data
    assert data is not None
    return data


async def join_all(bot: SandboxBot, group: FakeChat, people: list[list[FakeUser]]) -> None:
    """Each list joins with the role at that position of the role buttons (service user,
    carer, staff): by position, since the labels are in the person's language."""
    welcome = bot.tg.messages(group)[0]
    for role_row, users in enumerate(people):
        for user in users:
            await bot.follow_join(user, welcome)
            choice = bot.last(bot.private(user))
            await bot.press(user, choice, data=nth_button(choice, role_row))


def setup_payload(bot: SandboxBot, invite: FakeMessage) -> str:
    url = next(b.url for b in invite.all_buttons() if b.url)
    assert url is not None
    return url.removeprefix(f"https://t.me/{bot.tg.bot_username}?start=")


@pytest.mark.parametrize(
    ("code", "question", "options", "csv_words"),
    [
        ("pl", "Spotykamy się w piątki?", ("Tak", "Nie"), ("Ankieta", "Opcja", "Głosy")),
        ("ar", "هل نلتقي يوم الجمعة؟", ("نعم", "لا"), ("الاستطلاع", "الخيار", "الأصوات")),
    ],
)
async def test_a_poll_from_set_up_to_results_without_an_english_word(
    bot: SandboxBot,
    code: str,
    question: str,
    options: tuple[str, str],
    csv_words: tuple[str, ...],
) -> None:
    tg = bot.tg
    organiser = tg.create_user("Organizator", language_code=code)
    people = [
        [tg.create_user(f"{role}{n}", language_code=code) for n in range(3)] for role in "abc"
    ]
    everyone = [user for users in people for user in users]
    group = tg.create_group("Koło wsparcia", members=everyone, admins=[organiser])
    await bot.add_to_group(group, by=organiser)
    await join_all(bot, group, people)
    await bot.start(organiser)
    typed = (question, *options, "Koło wsparcia", "Organizator")
    dm = bot.private(organiser)

    # The guided set-up, in the organiser's private chat.
    before_dm = len(tg.messages(dm))
    await bot.say(organiser, group, "/newpoll")
    invite = bot.last(group)
    assert not english(all_words(invite), typed), all_words(invite)
    await bot.start(organiser, setup_payload(bot, invite))
    await bot.press(organiser, bot.last(dm), data=nth_button(bot.last(dm), 0))  # one choice
    await bot.say(organiser, dm, question)
    await bot.say(organiser, dm, "\n".join(options))
    await bot.press(organiser, bot.last(dm), data=nth_button(bot.last(dm), 0))  # done
    deadline_step = bot.last(dm)
    await bot.press(organiser, deadline_step, data=nth_button(deadline_step, 0))  # no deadline
    preview = bot.last(dm)
    assert question in (preview.text or "")
    before_group = len(tg.messages(group))
    await bot.press(organiser, preview, data=nth_button(preview, 0))  # post
    for message in read_since(bot, dm, before_dm):
        assert not english(all_words(message), typed), all_words(message)

    # The poll in the group, and the answers to the votes.
    poll = read_since(bot, group, before_group)[0]
    assert question in (poll.text or "")
    assert not english(all_words(poll), typed), all_words(poll)
    for index, user in enumerate(everyone):
        answer = await bot.press(user, poll, data=button(poll, options[index % 3 == 0]))
        assert answer is not None
        assert not english(str(answer.get("text")), typed), answer

    # Closing asks first; the organiser's Yes closes it and the results come as a chart.
    await bot.press(organiser, poll, data=nth_button(poll, len(poll.buttons) - 1))
    confirm = bot.last(group)
    assert question in (confirm.text or "")
    assert not english(all_words(confirm), typed), all_words(confirm)
    answer = await bot.press(organiser, confirm, data=nth_button(confirm, 0))
    assert answer is not None and not english(str(answer.get("text")), typed), answer
    results = bot.last(group)
    assert results.photo is not None
    caption = results.caption or ""
    assert options[0] in caption and "6" in caption
    assert not english(caption + " " + all_words(results), typed), caption
    with Image.open(io.BytesIO(results.photo)) as image:
        words = dict(image.text)  # type: ignore[attr-defined]
    assert not english(" ".join(words.values()), typed), words
    for message in read_since(bot, group, before_group):
        assert not english(all_words(message) + (message.caption or ""), typed), message

    # The CSV, privately to the organiser: its headings in the language too.
    before_dm = len(tg.messages(dm))
    export = next(b.data for b in results.all_buttons() if (b.data or "").startswith("x:"))
    answer = await bot.press(organiser, results, data=export)
    assert answer is not None and not english(str(answer.get("text")), typed), answer
    sent = bot.last(dm)
    assert sent.document is not None and len(tg.messages(dm)) == before_dm + 1
    assert not english(sent.caption or "", typed), sent.caption
    rows = list(csv.reader(io.StringIO(sent.document.data.decode("utf-8-sig"))))
    cells = " ".join(cell for row in rows for cell in row)
    for word in csv_words:
        assert word in cells, (word, cells)
    assert not english(cells.replace("CSV", ""), typed), cells

    # /polls in the group.
    await bot.say(organiser, group, "/polls")
    listing = bot.last(group)
    assert question in (listing.text or "")
    assert not english(listing.text or "", typed), listing.text


async def test_a_poll_set_up_in_english_is_posted_in_the_group_language(bot: SandboxBot) -> None:
    """The organiser's private chat is English; the poll goes to a Polish group in Polish
    (built in the group's language, not the chat it was set up from)."""
    tg = bot.tg
    fiona = tg.create_user("Fiona", language_code="en")
    ola = tg.create_user("Ola", language_code="pl")
    group = tg.create_group("Koło wsparcia", members=[ola], admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    await bot.say(fiona, group, "/grouplanguage")
    await bot.press(fiona, bot.last(group), data=button(bot.last(group), "Polski"))
    await bot.start(fiona)
    dm = bot.private(fiona)
    await bot.say(fiona, group, "/newpoll")
    await bot.start(fiona, setup_payload(bot, bot.last(group)))
    assert "What kind of poll" in bot.last_text(dm)
    await bot.press(fiona, bot.last(dm), text="Single choice")
    await bot.say(fiona, dm, "Spotkania w piątki?")
    await bot.say(fiona, dm, "Tak\nNie")
    await bot.press(fiona, bot.last(dm), text="Done")
    await bot.press(fiona, bot.last(dm), text="No deadline (an organiser closes it)")
    await bot.press(fiona, bot.last(dm), data=nth_button(bot.last(dm), 0))
    assert "Your poll is now in" in bot.last_text(dm)
    poll = bot.last(group)
    assert "Jak głosować" in (poll.text or "")
    assert not english(all_words(poll), ("Spotkania w piątki?", "Tak", "Nie")), all_words(poll)
