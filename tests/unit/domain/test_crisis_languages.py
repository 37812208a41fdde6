"""Crisis phrases in Polish and Arabic are matched as people type them (issue 15.4)."""

from __future__ import annotations

import pytest

from bot.domain.crisis import DEFAULT_CRISIS_PHRASES, is_crisis
from bot.domain.crisis_languages import CRISIS_PHRASES_BY_LANGUAGE

EVERY = DEFAULT_CRISIS_PHRASES + tuple(
    phrase for phrases in CRISIS_PHRASES_BY_LANGUAGE.values() for phrase in phrases
)


@pytest.mark.parametrize(
    "text",
    [
        "chcę się zabić",
        "Chce sie zabic.",  # typed without Polish letters
        "Już nie mogę, chyba się zabiję",
        "nie chcę żyć",
        "NIE CHCE ZYC",
        "Mam dość życia, naprawdę",
        "myślę o samobójstwie? nie, o samobójstwo",
        "أريد أن أموت",
        "اريد ان اموت",  # without hamza, as on many phones
        "أُرِيدُ أَنْ أَمُوتَ",  # with short vowels
        "أفكر في الانتحار",
        "سأقتل نفسي الليلة",
        "I want to die, chcę umrzeć",  # people mix languages
    ],
)
def test_crisis_in_polish_and_arabic_is_recognised(text: str) -> None:
    assert is_crisis(text, EVERY)


@pytest.mark.parametrize(
    "text",
    [
        "Dzień dobry, chcę umówić wizytę w piątek",
        "Zabierzcie się za remont kuchni",
        "Spotkanie się przedłużyło, ale było dobrze",
        "أريد أن أحضر الاجتماع القادم",
        "شكرًا على الاستطلاع",
        "Café naïve résumé",
    ],
)
def test_ordinary_messages_are_not_taken_for_a_crisis(text: str) -> None:
    assert not is_crisis(text, EVERY)
