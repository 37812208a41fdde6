"""The typed context every handler receives: `context.uow()`, `context.settings`, ..."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.facilitators import FacilitatorCache, PresenceCache
from bot.scheduling.edits import EditCoalescer
from bot.scheduling.welcomes import RecentArrivals
from bot.services.ballot_batch import BallotBatcher
from bot.services.languages import LanguageCache
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
        self.arrivals = RecentArrivals()  # newcomers already counted for a welcome
        self.languages = LanguageCache()  # each person's and group's language, for a minute
        self.freeze_startup = False  # bot/heap.py: freeze what start-up left alive


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

    async def in_chat(self, chat_id: int, user_id: int) -> bool:
        """Whether the person is in that group now (cached briefly)."""
        return await self.bot_data.presence.is_in(self.bot, chat_id, user_id)


AppType = Application[ExtBot[None], AppContext, dict[Any, Any], dict[Any, Any], BotData, Any]
