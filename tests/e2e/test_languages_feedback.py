"""Feedback, its replies and "You said, we did" across three readers' languages (issue 15).

Each text is in the language of whoever reads it, not of whoever caused it: a Polish member's
feedback reaches an Arabic organiser in Arabic; the organiser's press in Arabic puts a Polish
post in a Polish group; the organiser's reply and the outcome notice reach the member in
Polish. A crisis written in a group reaches the person privately in their own language.
"""

from __future__ import annotations

import pytest

from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeMessage, FakeUser
from tests.e2e.poll_helpers import button
from tests.e2e.test_languages import all_words, english_in

NAMES = {"pl": "Polski", "ar": "العربية"}
# The words each language's texts are known by here (from the catalogues).
WORDS = {
    "pl": {
        "send": "Wyślij",
        "allow": "Pozwól organizatorom",
        "publish": "Opublikuj w grupie",
        "reply": "Odpowiedz prywatnie",
        "planned": "Zaplanowane",
        "month": "Za miesiąc",
        "post": "Anonimowa opinia nr 1",
        "copy": "Nowa anonimowa opinia",
        "you_said": "Powiedzieliście, zrobiliśmy",
        "replied": "odpisał",
        "outcome_told": "zapisali, co wynikło",
        "members": "Kto dołączył",
    },
    "ar": {
        "send": "إرسال",
        "allow": "اسمح للمنظمين",
        "publish": "انشر في المجموعة",
        "reply": "رد بشكل خاص",
        "planned": "مُخطط له",
        "month": "بعد شهر",
        "post": "ملاحظات مجهولة الهوية رقم 1",
        "copy": "ملاحظات جديدة مجهولة الهوية",
        "you_said": "قلتم، وفعلنا",
        "replied": "ردّ",
        "outcome_told": "سجّل منظمو",
        "members": "من انضم",
    },
}
FEEDBACK = "Winda na oddziale trzecim znowu nie działa"


def no_english(*messages: FakeMessage) -> None:
    for message in messages:
        words = all_words(message)
        assert not english_in(words), words


def newer(bot: SandboxBot, chat: FakeChat, before: int) -> list[FakeMessage]:
    return bot.tg.messages(chat)[before:]


async def group_in(bot: SandboxBot, group: FakeChat, organiser: FakeUser, language: str) -> None:
    """The organiser (who added the bot, so the group spoke theirs) picks the group's language."""
    await bot.say(organiser, group, "/grouplanguage")
    menu = bot.last(group)
    await bot.press(organiser, menu, data=button(menu, NAMES[language]))


async def join(bot: SandboxBot, member: FakeUser, group: FakeChat) -> None:
    await bot.follow_join(member, bot.tg.messages(group)[0])
    choice = bot.last(bot.private(member))
    await bot.press(member, choice, data=choice.buttons[0][0].data)  # the first role


@pytest.mark.parametrize(("group_language", "organiser_language"), [("pl", "ar"), ("ar", "pl")])
async def test_feedback_replies_and_outcomes_reach_each_reader_in_their_language(
    bot: SandboxBot, group_language: str, organiser_language: str
) -> None:
    tg = bot.tg
    organiser = tg.create_user("Organizator", language_code=organiser_language)
    ola = tg.create_user("Ola", language_code="pl")
    ewa = tg.create_user("Ewa", language_code="pl")
    group = tg.create_group("Koło wsparcia", members=[ola, ewa], admins=[organiser])
    await bot.add_to_group(group, by=organiser)
    await bot.start(organiser)
    await group_in(bot, group, organiser, group_language)
    for member in (ola, ewa):
        await join(bot, member, group)
    mine, theirs, group_words = WORDS["pl"], WORDS[organiser_language], WORDS[group_language]
    ola_chat, organiser_chat = bot.private(ola), bot.private(organiser)

    # Ola writes in Polish, lets the organisers reply, and sends.
    await bot.say(ola, ola_chat, "/feedback")
    await bot.say(ola, ola_chat, FEEDBACK)
    preview = bot.last(ola_chat)
    await bot.press(ola, preview, data=button(preview, mine["allow"]))
    preview = bot.last(ola_chat)
    no_english(preview)
    before = len(tg.messages(organiser_chat))
    await bot.press(ola, preview, data=button(preview, mine["send"]))
    no_english(bot.last(ola_chat))

    # The organiser's copy is in the organiser's language, with its buttons.
    (copy,) = [m for m in newer(bot, organiser_chat, before) if FEEDBACK in (m.text or "")]
    assert theirs["copy"] in (copy.text or ""), copy.text
    no_english(copy)
    await bot.press(organiser, copy, data=button(copy, theirs["publish"]))
    decided = bot.last(organiser_chat)
    no_english(decided)

    # The group's post is in the group's language.
    post = next(m for m in tg.messages(group) if FEEDBACK in (m.text or ""))
    assert group_words["post"] in (post.text or ""), post.text
    no_english(post)

    # The organiser replies privately, in their language; Ola reads it in hers.
    await bot.press(organiser, decided, data=button(decided, theirs["reply"]))
    no_english(bot.last(organiser_chat))
    before = len(tg.messages(ola_chat))
    await bot.say(organiser, organiser_chat, "Dziękujemy, zajmiemy się tym")
    no_english(bot.last(organiser_chat))
    (told,) = newer(bot, ola_chat, before)
    assert mine["replied"] in (told.text or ""), told.text
    no_english(told)

    # An outcome, recorded in the organiser's language: the group and Ola each in theirs.
    await bot.say(organiser, group, "/outcome")
    no_english(bot.last(group))
    listing = bot.last(organiser_chat)
    assert theirs["you_said"] in (listing.text or ""), listing.text  # theirs, not the group's
    no_english(listing)
    await bot.press(organiser, listing, data=button(listing, "#1"))
    no_english(bot.last(organiser_chat))
    await bot.press(
        organiser,
        bot.last(organiser_chat),
        data=button(bot.last(organiser_chat), theirs["planned"]),
    )
    no_english(bot.last(organiser_chat))
    await bot.say(organiser, organiser_chat, "zespół techniczny")
    before = len(tg.messages(ola_chat))
    await bot.press(
        organiser, bot.last(organiser_chat), data=button(bot.last(organiser_chat), theirs["month"])
    )
    no_english(bot.last(organiser_chat))
    outcome_post = bot.last(group)
    assert group_words["you_said"] in (outcome_post.text or ""), outcome_post.text
    assert group_words["planned"] in (outcome_post.text or "")
    no_english(outcome_post)
    (outcome_told,) = newer(bot, ola_chat, before)
    assert mine["outcome_told"] in (outcome_told.text or ""), outcome_told.text
    assert mine["planned"] in (outcome_told.text or "")
    no_english(outcome_told)

    # /yousaid in the group lists it in the group's language.
    await bot.say(ewa, group, "/yousaid")
    shown = bot.last(group)
    assert group_words["you_said"] in (shown.text or "") and "zespół techniczny" in (
        shown.text or ""
    )
    no_english(shown)

    # The member counts go to the organiser privately, in the organiser's language.
    await bot.say(organiser, group, "/members")
    assert theirs["members"] in bot.last_text(organiser_chat), bot.last_text(organiser_chat)
    no_english(bot.last(group), bot.last(organiser_chat))

    # What is stored about her, with the reply she allowed, in her language.
    await bot.say(ola, ola_chat, "/mydata")
    assert "Co o Tobie przechowuję" in bot.last_text(ola_chat)
    no_english(bot.last(ola_chat))


@pytest.mark.parametrize(
    ("group_language", "person_language", "contact"),
    [("ar", "pl", "zadzwoń pod 999"), ("pl", "ar", "اتصل بالرقم 999")],
)
async def test_a_crisis_written_in_a_group_is_answered_privately_in_the_persons_language(
    bot: SandboxBot, group_language: str, person_language: str, contact: str
) -> None:
    tg = bot.tg
    organiser = tg.create_user("Organizator", language_code=group_language)
    person = tg.create_user("Ola", language_code=person_language)
    group = tg.create_group("Koło wsparcia", members=[person], admins=[organiser])
    await bot.add_to_group(group, by=organiser)
    await join(bot, person, group)
    chat = bot.private(person)
    before = len(tg.messages(chat))
    await bot.say(person, group, "/agenda chcę się zabić")  # a command: privacy mode shows it
    said = newer(bot, chat, before)
    assert said, "nothing was sent privately"
    assert contact in (said[0].text or ""), said[0].text
    no_english(*said)
    assert not [m for m in tg.messages(group) if "zabić" in (m.text or "")]


async def test_an_urgent_item_and_its_seen_mark_reach_each_organiser_in_their_language(
    bot: SandboxBot,
) -> None:
    tg = bot.tg
    amal = tg.create_user("Amal", language_code="ar")
    piotr = tg.create_user("Piotr", language_code="pl")
    ola = tg.create_user("Ola", language_code="pl")
    group = tg.create_group("Koło wsparcia", members=[ola], admins=[amal, piotr])
    await bot.add_to_group(group, by=amal)
    for organiser in (amal, piotr):
        await bot.start(organiser)
    await join(bot, ola, group)
    chat = bot.private(ola)
    await bot.say(ola, chat, "/feedback")
    await bot.say(ola, chat, "Już nie mogę, chcę się zabić")
    preview = bot.last(chat)
    await bot.press(ola, preview, data=button(preview, WORDS["pl"]["send"]))

    def urgent_copy(organiser: FakeUser) -> FakeMessage:
        (copy,) = [m for m in tg.messages(bot.private(organiser)) if "zabić" in (m.text or "")]
        return copy

    assert "عاجل" in (urgent_copy(amal).text or "")
    assert "PILNE" in (urgent_copy(piotr).text or "")
    no_english(urgent_copy(amal), urgent_copy(piotr))
    await bot.press(piotr, urgent_copy(piotr), data=button(urgent_copy(piotr), "Przeczytane"))
    # Amal's copy is rewritten in Arabic, though Piotr pressed in Polish.
    seen = urgent_copy(amal)
    assert "علّم أحد المنظمين هذا كمقروء" in (seen.text or ""), seen.text
    no_english(seen, urgent_copy(piotr))
