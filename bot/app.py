"""Build the Application from Settings: handlers, rate limiter, defaults, resources."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, BaseRateLimiter, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import now
from bot.command_menus import set_menus
from bot.config import Settings
from bot.context import AppContext, AppType, BotData
from bot.heap import freeze_startup_objects, return_large_blocks, thaw
from bot.i18n.outbound import TranslatingBot
from bot.rate_limits import SHARED_GROUP, SHARED_OVERALL, MessageRateLimiter
from bot.scheduling.edits import TURN_LEASE
from bot.scheduling.feedback_sweep import rebuild_feedback_jobs
from bot.scheduling.housekeeping import schedule_housekeeping
from bot.scheduling.meeting_jobs import rebuild_meeting_jobs
from bot.scheduling.poll_jobs import rebuild_poll_jobs
from bot.services import ballot_presses, languages
from bot.services.ballot_batch import BallotBatcher, Bulk
from bot.services.languages import LanguageCache
from bot.services.unit_of_work import UnitOfWork
from handlers import register_all
from storage import migrate
from storage.engine import create_engine, create_sessionmaker
from storage.shared_limits import SharedEditTurns, SharedPace
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


class DatabaseNotMigratedError(RuntimeError):
    """PostgreSQL is migrated by the deployer (`equalsay migrate`), never by a replica."""


# Group commit of concurrent ballot presses (bot/services/ballot_batch.py).
BATCH_BALLOTS = True

# How many fetched updates may wait for the handlers when the bot serves (`equalsay run`).
# PTB confirms a batch to Telegram (the next getUpdates offset) once every update of it is in
# the queue, so what waits there is lost if the process is killed; a short queue keeps that to
# a few presses (those people see a spinner and press again). Updates Telegram still holds
# unconfirmed come again after a restart, and the replay claims stop the ones already handled.
UPDATE_BACKLOG = 16

# Every kind of update, asked for by name: Telegram leaves `chat_member` (someone joined,
# left or was banned) out unless it is listed, and without it a person who left keeps their
# role (handlers/member_changes.py). Polling, webhook and the test harness all ask for this.
ALLOWED_UPDATES: tuple[str, ...] = tuple(Update.ALL_TYPES)


def default_rate_limiter() -> BaseRateLimiter[Any]:
    """Telegram's flood limits (DESIGN section 2); retries honour 429's retry_after."""
    return MessageRateLimiter(max_retries=3)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    base_url: str | None = None,
    concurrent_updates: bool | int = False,
    update_backlog: int = 0,
    freeze_startup: bool = False,
) -> AppType:
    """The one place an Application is put together; tests pass the sandbox's transports.

    `concurrent_updates` is PTB's own switch (True = 256 at a time); the database arbitrates
    races (one ballot per keyed hash), so updates may be handled side by side.
    `update_backlog` bounds the update queue (0 = unbounded, for tests feeding it directly).
    `freeze_startup`: the process runs this one bot (`equalsay run`, the benchmarks): once
    started, what is alive is frozen out of the collector's way (bot/heap.py).
    """
    return_large_blocks()  # the disclosure audit's freed arrays must not stay resident
    in_turn = concurrent_updates is False or (
        concurrent_updates is not True and concurrent_updates <= 1
    )
    if update_backlog and not in_turn:
        # With concurrent updates PTB turns every queued update into a task at once: the
        # queue would stay empty and bound nothing, while a kill lost every task.
        raise ValueError("update_backlog bounds the loss only when updates are handled in turn")
    api = (base_url or settings.telegram_api_url).rstrip("/")
    if not api.endswith("/bot"):
        api = f"{api}/bot"
    # The bot is made here rather than by the builder so that it is the translating one
    # (bot/i18n/outbound.py); the requests are what the builder would make by default.
    known = LanguageCache()  # the readers' languages, shared with the handlers (bot_data)
    bot = TranslatingBot(
        known=known,
        token=settings.token,
        base_url=api,
        defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.zone),
        request=request or HTTPXRequest(connection_pool_size=256),
        get_updates_request=updates_request or HTTPXRequest(),
        rate_limiter=rate_limiter or default_rate_limiter(),
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        .post_init(open_resources)
        .post_shutdown(close_resources)
        .concurrent_updates(concurrent_updates)
        .update_queue(asyncio.Queue(maxsize=update_backlog))
    )
    # The builder's type names the bot's own class; the rest of the code knows it as ExtBot.
    app = cast(AppType, builder.build())
    app.bot_data.settings = settings
    app.bot_data.languages = known
    app.bot_data.freeze_startup = freeze_startup
    register_all(app)
    return app


def _presses_writer(secret: bytes) -> Bulk:
    """The ballot batcher's way of writing a run of presses together."""

    async def write(uow: UnitOfWork, presses: list[Any]) -> list[Any]:
        return list(await ballot_presses.apply_presses(uow, secret, presses, now()))

    return write


async def open_resources(app: AppType) -> None:
    """post_init: the engine and sessions live as long as the application; commands are set."""
    settings = app.bot_data.settings
    assert settings is not None
    engine = create_engine(settings.database_url)
    if settings.is_sqlite:
        await migrate.upgrade(engine)  # the embedded default looks after itself
    elif not await migrate.is_up_to_date(engine):
        await engine.dispose()
        raise DatabaseNotMigratedError("the database is not migrated: run `equalsay migrate` first")
    app.bot_data.engine = engine
    app.bot_data.uow_factory = UnitOfWorkFactory(create_sessionmaker(engine))
    app.bot_data.ballots = BallotBatcher(
        app.bot_data.uow_factory, batching=BATCH_BALLOTS, bulk=_presses_writer(settings.hash_key)
    )
    if not settings.is_sqlite:
        share_limits(app, engine)
    # Fixed texts leave in their reader's language, groups' known from the start.
    async with app.bot_data.uow_factory() as uow:
        for chat_id, language in (await languages.group_languages(uow)).items():
            app.bot_data.languages.keep_group(chat_id, language)
    # Deadlines and reminders live in the database; the JobQueue only holds the alarms.
    await rebuild_poll_jobs(app)
    await rebuild_meeting_jobs(app)
    await rebuild_feedback_jobs(app)
    schedule_housekeeping(app)
    await set_menus(app.bot)
    if app.bot_data.freeze_startup:
        freeze_startup_objects()


def share_limits(app: AppType, engine: AsyncEngine) -> None:
    """PostgreSQL may serve several replicas of one bot, and Telegram counts per bot: pace
    sends and take edit turns in the database they share (storage/shared_limits.py)."""
    limiter: object = app.bot.rate_limiter  # typed for PTB's default limiter's arguments
    if isinstance(limiter, MessageRateLimiter):  # tests may pass no limits at all
        limiter.share(SharedPace(engine, group=SHARED_GROUP, overall=SHARED_OVERALL))
    app.bot_data.coalescer.turns = SharedEditTurns(
        engine, interval=app.bot_data.coalescer.interval, lease=TURN_LEASE
    )


async def close_resources(app: AppType) -> None:
    """post_shutdown: dispose of the engine so SQLite's WAL is checkpointed and closed."""
    if app.bot_data.freeze_startup:
        thaw()
    ballots = app.bot_data.ballots
    if ballots is not None:
        await ballots.close()
        app.bot_data.ballots = None
    engine = app.bot_data.engine
    if engine is not None:
        await engine.dispose()
        app.bot_data.engine = None
        app.bot_data.uow_factory = None
