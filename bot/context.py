"""The typed context every handler receives: `context.uow()`, `context.settings`, ..."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.facilitators import FacilitatorCache, PresenceCache
from bot.i18n import DEFAULT_LANGUAGE, supported
from bot.scheduling.edits import EditCoalescer
from bot.scheduling.welcomes import RecentArrivals
from bot.services import languages
from bot.services.ballot_batch import BallotBatcher
from bot.services.languages import LanguageCache
from bot.services.replays import RecentUpdates
from storage.uow import UnitOfWorkFactory


class BotData:
    """Long-lived resources, opened in post_init and closed in post_shutdown."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.engine: AsyncEngine | None = None
        self.uow_factory: UnitOfWorkFactory | None = None
        self.ballots: BallotBatcher | None = None  # group commit for ballot presses
        self.facilitators = FacilitatorCache()
        self.presence = PresenceCache()  # who is in which group now (votes, RSVPs, results)
        self.coalescer = EditCoalescer()
        self.recent_presses = RecentUpdates()  # ballot presses handled lately (SQLite)
        self.arrivals = RecentArrivals()  # newcomers already counted for a welcome
        self.languages = LanguageCache()  # each person's and group's language, for a minute


class AppContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with the application's resources as typed attributes."""

    @property
    def settings(self) -> Settings:
        settings = self.bot_data.settings
        if settings is None:
            raise RuntimeError("settings are attached when the application is built")
        return settings

    @property
    def uow(self) -> UnitOfWorkFactory:
        factory = self.bot_data.uow_factory
        if factory is None:
            raise RuntimeError("the database opens in post_init")
        return factory

    @property
    def ballots(self) -> BallotBatcher:
        ballots = self.bot_data.ballots
        if ballots is None:
            raise RuntimeError("the ballot writer opens in post_init")
        return ballots

    @property
    def secret(self) -> bytes:
        return self.settings.hash_key

    @property
    def facilitators(self) -> FacilitatorCache:
        return self.bot_data.facilitators

    async def person_language(self, user_id: int, telegram_code: str | None = None) -> str:
        """The language of someone a text is sent to privately, who may not be the person
        whose update this is (a copy for an organiser, a reply to a writer): theirs as stored,
        else Telegram's setting when known, else English."""
        known = self.bot_data.languages.person(user_id)
        if known is not None:
            return known
        async with self.uow() as uow:
            stored = await languages.stored_language(uow, self.secret, user_id)
        if stored is None:
            # Not kept: their first update will note Telegram's setting as usual.
            return supported(telegram_code) or DEFAULT_LANGUAGE
        self.bot_data.languages.keep_person(user_id, stored)
        return stored

    async def group_language(self, chat_id: int) -> str:
        """A group's language, for a text sent there unprompted (a job, another chat)."""
        known = self.bot_data.languages.group(chat_id)
        if known is None:
            async with self.uow() as uow:
                known = await languages.group_language(uow, chat_id)
            self.bot_data.languages.keep_group(chat_id, known)
        return known

    async def in_chat(self, chat_id: int, user_id: int) -> bool:
        """Whether the person is in that group now (cached briefly)."""
        return await self.bot_data.presence.is_in(self.bot, chat_id, user_id)


AppType = Application[ExtBot[None], AppContext, dict[Any, Any], dict[Any, Any], BotData, Any]
