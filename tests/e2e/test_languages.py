"""Every member in their own language (issue 15), through the real Application.

A person whose Telegram is set to Polish or Arabic is answered in it from the first message:
joining, choosing a role, voting, feedback and a crisis written in their language. The group
speaks the language of whoever added the bot, until its organisers choose another.
"""

from __future__ import annotations

import logging
import re

import pytest

from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage
from tests.e2e.poll_helpers import button

# Words no Polish or Arabic text of ours contains: one of them in a message means English
# got through ("to" is Polish too, so it is not listed). Names (the group's, the bot's
# "Equal Say", the helplines') are left out on purpose.
ENGLISH = re.compile(
    r"\b(the|you|your|and|is|are|press|join|vote|poll|group|role|feedback|send|help|"
    r"please|sorry|here|now|only|staff|carer|service)\b",
    re.IGNORECASE,
)
NAMES = ("Equal Say", "Koło wsparcia", "Wsparcie", "Samaritans", "NHS", "SHOUT", "Shout")


def english_in(text: str) -> list[str]:
    for name in NAMES:
        text = text.replace(name, "")
    text = re.sub(r"/\w+", "", text)  # commands are commands in every language
    return ENGLISH.findall(text)


def read_by(bot: SandboxBot, chat: FakeChat, since: int) -> list[FakeMessage]:
    return bot.tg.messages(chat)[since:]


def all_words(message: FakeMessage) -> str:
    labels = " ".join(b.text for row in message.buttons for b in row)
    return f"{message.text or ''} {labels}"


@pytest.mark.parametrize(
    ("code", "role_button", "crisis", "crisis_contact", "welcome_word"),
    [
        (
            "pl",
            "Osoba korzystająca z usług",
            "Już nie mogę, chcę się zabić",
            "zadzwoń pod 999",
            "Dołącz",
        ),
        ("pl-PL", "Opiekun", "chce sie zabic", "zadzwoń pod 999", "Dołącz"),
        ("ar", "مستخدم خدمات", "أريد أن أموت", "اتصل بالرقم 999", "انضمام"),
    ],
)
async def test_a_member_goes_from_joining_to_a_crisis_without_an_english_word(
    bot: SandboxBot,
    code: str,
    role_button: str,
    crisis: str,
    crisis_contact: str,
    welcome_word: str,
) -> None:
    tg = bot.tg
    organiser = tg.create_user("Organizator", language_code=code)
    member = tg.create_user("Ola", language_code=code)
    other = tg.create_user("Ewa", language_code=code)
    group = tg.create_group("Koło wsparcia", members=[member, other], admins=[organiser])
    await bot.add_to_group(group, by=organiser)

    # The group speaks the language of whoever added the bot.
    welcome = bot.last(group)
    assert welcome_word in all_words(welcome)
    assert not english_in(all_words(welcome)), all_words(welcome)

    # Joining, in private, in the person's language.
    chat = bot.private(member)
    await bot.follow_join(member, welcome)
    choice = bot.last(chat)
    assert not english_in(all_words(choice)), all_words(choice)
    await bot.press(member, choice, data=button(choice, role_button))
    chosen = bot.last_text(chat)
    assert "Koło wsparcia" in chosen
    assert not english_in(chosen), chosen

    # A vote: the answer to the press is in the group's language.
    await bot.follow_join(other, welcome)
    await bot.press(
        other, bot.last(bot.private(other)), data=button(bot.last(bot.private(other)), role_button)
    )
    await bot.start(organiser)
    await bot.say(organiser, group, "/poll Spotkania w piątki?\nTak\nNie")
    poll = bot.last(group)
    answer = await bot.press(member, poll, data=button(poll, "Tak"))
    assert answer is not None
    assert not english_in(str(answer.get("text"))), answer

    # Feedback with a crisis phrase in their language: contacts at once, in it.
    before = len(tg.messages(chat))
    await bot.say(member, chat, "/feedback")
    prompt = bot.last(chat)
    assert not english_in(all_words(prompt)), all_words(prompt)
    await bot.say(member, chat, crisis)
    said = " ".join(all_words(m) for m in read_by(bot, chat, before))
    assert crisis_contact in said, said
    assert not english_in(said), said
    assert not [m for m in tg.messages(group) if crisis in (m.text or "")]


async def test_a_person_can_choose_their_language_and_keep_it(
    bot: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    tg = bot.tg
    nadia = tg.create_user("Nadia", language_code="en")
    chat = bot.private(nadia)
    await bot.say(nadia, chat, "/language")
    menu = bot.last(chat)
    assert [b.text for row in menu.buttons for b in row] == ["English", "Polski", "العربية"]
    arabic = button(menu, "العربية")
    await bot.press(nadia, menu, data=arabic)
    assert bot.last_text(chat).endswith("سأكتب إليك بالعربية.")
    # A double tap that reaches the bot after the first: nothing goes wrong, nothing new.
    before = len(tg.messages(chat))
    await bot.press_raw(nadia, chat, menu.message_id, arabic)
    assert len(tg.messages(chat)) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert bot.last_text(chat).endswith("سأكتب إليك بالعربية.")
    await bot.say(nadia, chat, "/help")
    assert "كيف يعمل Equal Say" in bot.last_text(chat)
    # Telegram still says English: the choice she made wins.
    await bot.say(nadia, chat, "/start")
    assert not english_in(bot.last_text(chat)), bot.last_text(chat)
    # A forged language number changes nothing.
    answer = await bot.press_raw(nadia, chat, menu.message_id, "lg:9")
    assert answer is not None and "no longer in use" not in str(answer.get("text"))
    await bot.say(nadia, chat, "/help")
    assert "كيف يعمل Equal Say" in bot.last_text(chat)


async def test_someone_who_never_chose_follows_their_telegram_language(bot: SandboxBot) -> None:
    tg = bot.tg
    piotr = tg.create_user("Piotr", language_code="de")  # not translated: English
    chat = bot.private(piotr)
    await bot.say(piotr, chat, "/help")
    assert "How Equal Say works" in bot.last_text(chat)


async def test_organisers_choose_the_group_language_and_members_cannot(bot: SandboxBot) -> None:
    tg = bot.tg
    fiona, mel = tg.create_user("Fiona"), tg.create_user("Mel")
    group = tg.create_group("Co-production", members=[mel], admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    assert "Press <b>Join</b>" in (bot.last(group).text or "") or "Join" in all_words(
        bot.last(group)
    )
    await bot.say(mel, group, "/grouplanguage")
    assert "organisers" in bot.last_text(group)
    await bot.say(fiona, group, "/grouplanguage")
    menu = bot.last(group)
    refused = await bot.press(mel, menu, data=button(menu, "Polski"))
    assert refused is not None and refused.get("show_alert")
    await bot.say(mel, group, "/help")
    assert "helps this group" in bot.last_text(group)
    await bot.press(fiona, menu, data=button(menu, "Polski"))
    await bot.say(mel, group, "/help")
    assert "pomaga tej grupie" in bot.last_text(group)
    # Mel's own language is still English in private.
    await bot.say(mel, bot.private(mel), "/help")
    assert "How Equal Say works" in bot.last_text(bot.private(mel))


async def test_command_menus_are_set_in_every_language(bot: SandboxBot) -> None:
    private_pl = bot.tg.commands("all_private_chats", language_code="pl")
    private_ar = bot.tg.commands("all_private_chats", language_code="ar")
    assert {"command": "language", "description": "Wybierz mój język"} in private_pl
    assert {"command": "language", "description": "اختر لغتي"} in private_ar
    assert {"command": "language", "description": "Choose my language"} in bot.tg.commands(
        "all_private_chats"
    )


@pytest.mark.parametrize(
    ("code", "typed", "save", "coming", "when_word"),
    [
        ("pl", "/meeting jutro o 15 | Spotkanie grupy | Sala 3", "Zapisz", "Przyjdę", "Kiedy"),
        ("ar", "/meeting غدا الساعة 3 مساء | اجتماع المجموعة | الغرفة 3", "حفظ", "سأحضر", "متى"),
    ],
)
async def test_a_meeting_typed_in_the_language_is_read_and_shown_in_it(
    bot: SandboxBot, code: str, typed: str, save: str, coming: str, when_word: str
) -> None:
    tg = bot.tg
    organiser = tg.create_user("Organizator", language_code=code)
    member = tg.create_user("Ola", language_code=code)
    group = tg.create_group("Wsparcie", members=[member], admins=[organiser])
    await bot.add_to_group(group, by=organiser)
    await bot.say(organiser, group, typed)
    confirmation = bot.last(group)
    assert "15:00" in (confirmation.text or ""), confirmation.text
    assert not english_in(all_words(confirmation)), all_words(confirmation)
    await bot.press(organiser, confirmation, data=button(confirmation, save))
    meeting = bot.last(group)
    assert when_word in (meeting.text or "") and "15:00" in (meeting.text or "")
    assert not english_in(all_words(meeting)), all_words(meeting)
    await bot.follow_join(member, bot.tg.messages(group)[0])
    chat = bot.private(member)
    choice = bot.last(chat)
    await bot.press(member, choice, data=choice.buttons[0][0].data)  # the first role
    answer = await bot.press(member, meeting, data=button(meeting, coming))
    assert answer is not None and not english_in(str(answer.get("text"))), answer
