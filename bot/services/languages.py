"""Whose language a text is in (issue 15): a person's, or a group's.

A person's language is Telegram's `language_code` at first contact, followed while they have
not chosen, and theirs once they pick one with /language. It is stored under language_key (an
HMAC of the id for this purpose alone), beside nothing that says what they are or chose.
A group's language is set by the person who added the bot, then by facilitators.

Both are read on every update, so they are cached in memory for a minute: a choice made
through another replica is seen within that minute.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.domain.keyed_hash import language_key
from bot.i18n import DEFAULT_LANGUAGE, supported
from storage.uow import UnitOfWork

CACHE_SECONDS = 60.0
_CACHE_LIMIT = 50_000  # people; then the oldest half goes (a few KB per thousand)


@dataclass
class LanguageCache:
    people: dict[int, tuple[str, float]] = field(default_factory=dict)
    groups: dict[int, tuple[str, float]] = field(default_factory=dict)

    @staticmethod
    def _fresh(entry: tuple[str, float] | None) -> str | None:
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def person(self, user_id: int) -> str | None:
        return self._fresh(self.people.get(user_id))

    def group(self, chat_id: int) -> str | None:
        return self._fresh(self.groups.get(chat_id))

    def keep_person(self, user_id: int, language: str) -> None:
        if len(self.people) >= _CACHE_LIMIT:
            for stale in list(self.people)[: _CACHE_LIMIT // 2]:
                del self.people[stale]
        self.people[user_id] = (language, time.monotonic() + CACHE_SECONDS)

    def keep_group(self, chat_id: int, language: str) -> None:
        self.groups[chat_id] = (language, time.monotonic() + CACHE_SECONDS)

    def forget_person(self, user_id: int) -> None:
        self.people.pop(user_id, None)

    # Last known, however old: what the outbound translation uses for a reader's language
    # (bot/i18n/outbound.py). A group's changes rarely; a person's is refreshed as they write.
    def known_group(self, chat_id: int) -> str | None:
        entry = self.groups.get(chat_id)
        return None if entry is None else entry[0]

    def known_person(self, user_id: int) -> str | None:
        entry = self.people.get(user_id)
        return None if entry is None else entry[0]


async def person_language(
    uow: UnitOfWork, secret: bytes, user_id: int, telegram_code: str | None
) -> str:
    """The person's language, noting Telegram's on first contact (or while not chosen)."""
    key = language_key(secret, user_id)
    row = await uow.languages.get(key)
    from_telegram = supported(telegram_code)
    if row is not None and (row.chosen or from_telegram in (None, row.language)):
        return row.language
    language = from_telegram or (row.language if row is not None else DEFAULT_LANGUAGE)
    await uow.languages.put(key, language, chosen=False)
    await uow.commit()
    return language


async def choose(uow: UnitOfWork, secret: bytes, user_id: int, language: str) -> None:
    await uow.languages.put(language_key(secret, user_id), language, chosen=True)
    await uow.commit()


async def forget(uow: UnitOfWork, secret: bytes, user_id: int) -> None:
    await uow.languages.remove(language_key(secret, user_id))


async def group_languages(uow: UnitOfWork) -> dict[int, str]:
    """Every active group's language, by chat id: known before any update comes in, so a
    reminder sent right after a restart is in the group's language."""
    return await uow.groups.languages()


async def group_language(uow: UnitOfWork, chat_id: int) -> str:
    group = await uow.groups.by_chat(chat_id)
    return DEFAULT_LANGUAGE if group is None else group.language


async def set_group_language(uow: UnitOfWork, group_id: int, language: str) -> bool:
    group = await uow.groups.by_id(group_id)
    if group is None:
        return False
    group.language = language
    await uow.commit()
    return True
