"""Before the bot serves or migrates: the database can be used, and the key is the right one.

Everything a deployer can get wrong here ends in one line that names the setting and says what
to do (`StartupError`), never a traceback, never the token or a database password.

The secret key (SECRET_KEY) is taken, in order, from the setting, from the key file
(SECRET_KEY_FILE, default ~/.config/equalsay/secret_key: outside the data folder, so a backup
of the database does not carry the key that unlocks it), or made at the very first start (no
database yet) and written to the key file. The database keeps the key's fingerprint: a start
with any other key is refused, because every keyed hash would silently stop matching (every
role forgotten, everyone able to vote again in open polls).

Databases set up before keys were checked were written, when SECRET_KEY was not set, under a
key derived from BOT_TOKEN; `equalsay keep-legacy-key` moves that key into the key file, once
and explicitly, so nothing is forgotten and the key no longer changes with the token.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.config import Settings
from bot.domain.key_strength import GENERATE, weak_key_reason
from bot.domain.keyed_hash import key_fingerprint
from storage import migrate
from storage.backup import sqlite_path as sqlite_file
from storage.deployment_key import claim_fingerprint, stored_fingerprint
from storage.engine import create_engine

log = logging.getLogger(__name__)

CONNECT_SECONDS = 10  # a database that does not answer by then is reported, not waited on
NOTHING_CHANGED = "Nothing was changed."


class StartupError(Exception):
    """Something a deployer must fix; the message is one line."""


# ------------------------------------------------------------------------------ Telegram


@dataclass(frozen=True)
class TelegramAnswer:
    """Who the bot is, or one line saying why Telegram would not say."""

    username: str | None
    problem: str | None


async def ask_telegram(settings: Settings) -> TelegramAnswer:
    """getMe, before anything else talks to Telegram: a rejected token or an unreachable
    server becomes one line (the library would log a traceback that names the token)."""
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    api = settings.telegram_api_url.rstrip("/")
    bot = Bot(settings.token, base_url=api if api.endswith("/bot") else f"{api}/bot")
    try:
        async with bot:
            me = await bot.get_me()
    except InvalidToken:
        return TelegramAnswer(
            None,
            "BOT_TOKEN was not accepted by Telegram: copy it again from BotFather "
            "(/mybots, then API Token).",
        )
    except TelegramError as error:
        detail = str(error).replace(settings.token, "<BOT_TOKEN>")
        return TelegramAnswer(
            None,
            f"Telegram cannot be reached at TELEGRAM_API_URL ({settings.telegram_api_url}): "
            f"{detail}. Check the network, and TELEGRAM_API_URL.",
        )
    return TelegramAnswer(me.username, None)


# ------------------------------------------------------------------------------ database


@dataclass(frozen=True)
class DatabaseState:
    """What is there before anything is done: `exists` is False for a SQLite file not yet
    made; `revision` None for a database never set up; `fingerprint` None before a key was
    recorded (never set up, or set up by a version before keys were checked)."""

    exists: bool
    revision: str | None
    fingerprint: str | None

    @property
    def set_up(self) -> bool:
        return self.revision is not None


def safe_url(settings: Settings) -> str:
    """DATABASE_URL as it may be printed: no password."""
    return make_url(settings.database_url).render_as_string(hide_password=True)


def sqlite_path(settings: Settings) -> Path | None:
    """The SQLite file, or None for PostgreSQL or an in-memory database."""
    path = sqlite_file(settings.database_url)
    return None if path is None or str(path) == ":memory:" else path


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and what it wraps (SQLAlchemy's `orig`, the driver's own causes)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None]
        todo += [current.__cause__, current.__context__]


def _can_write(path: Path) -> bool:
    """Tried, not inferred from the mode bits: they say nothing about root, a read-only
    mount or a container's user namespace."""
    try:
        if path.is_dir():
            with tempfile.TemporaryFile(dir=path):
                return True
        with path.open("r+b"):  # opened for writing, nothing written
            return True
    except OSError:
        return False


def _sqlite_problem(path: Path) -> str:
    folder = path.parent.resolve()
    if not folder.is_dir():
        return (
            f"DATABASE_URL names the SQLite file {path}, but the folder {folder} does not "
            "exist: create it, or point DATABASE_URL somewhere else."
        )
    target = path if path.exists() else folder
    if not _can_write(folder) or not _can_write(target):
        return (
            f"DATABASE_URL names the SQLite file {path}, but this user (uid {os.getuid()}) "
            f"cannot write to {target}: make it writable (in Docker, `chown -R 10001` the "
            "folder you mount at /data), or point DATABASE_URL somewhere else."
        )
    return (
        f"DATABASE_URL names {path}, which cannot be opened as a SQLite database: "
        "is it another kind of file, or damaged?"
    )


def database_problem(settings: Settings, error: BaseException) -> str:
    """One line for a database that cannot be used, naming DATABASE_URL (never its password)."""
    path = sqlite_path(settings)
    if path is not None:
        return _sqlite_problem(path)
    url = make_url(settings.database_url)
    where = f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}"
    names = {type(cause).__name__ for cause in _causes(error)}
    if names & {"InvalidPasswordError", "InvalidAuthorizationSpecificationError"}:
        return f"{where} refused the user or password in DATABASE_URL: check them."
    if "InvalidCatalogNameError" in names:
        return f"{where} has no database {url.database!r}: create it, or fix DATABASE_URL."
    if any(isinstance(cause, socket.gaierror) for cause in _causes(error)):
        return f"The host {url.host!r} in DATABASE_URL is not known: check its spelling."
    if any(isinstance(cause, ConnectionRefusedError) for cause in _causes(error)):
        return f"{where} refused the connection: is PostgreSQL running, on that port?"
    if any(isinstance(cause, TimeoutError) for cause in _causes(error)):
        return f"{where} did not answer within {CONNECT_SECONDS} seconds: is the host right?"
    unreachable = [c for c in _causes(error) if isinstance(c, OSError)]
    if unreachable:
        why = unreachable[0].strerror or str(unreachable[0]) or type(unreachable[0]).__name__
        return f"{where} cannot be reached ({why}): is the host right, and the network up?"
    kind = type(error).__name__
    return f"The database at DATABASE_URL ({safe_url(settings)}) cannot be used ({kind})."


def _reading_engine(settings: Settings, path: Path | None) -> AsyncEngine:
    """An engine that cannot change anything: SQLite opened read-only, PostgreSQL only read."""
    if path is not None:
        # Read-only still makes the -wal and -shm files of a WAL database, and cannot remove
        # them after. With no -wal file nobody is writing, so the file is read as immutable
        # (no side files at all); with one, the bot is running and they are there already.
        live = path.with_name(path.name + "-wal").exists()
        options = "mode=ro" if live else "mode=ro&immutable=1"
        url = make_url(settings.database_url).set(
            database=f"file:{path.resolve()}?{options}", query={"uri": "true"}
        )
        return create_async_engine(url)
    return create_async_engine(
        settings.database_url, connect_args={"timeout": CONNECT_SECONDS}, hide_parameters=True
    )


async def read_database(settings: Settings) -> DatabaseState:
    """What the database holds now; creates and changes nothing (a missing SQLite file stays
    missing)."""
    path = sqlite_path(settings)
    if path is not None and not path.exists():
        if not path.parent.is_dir():
            raise StartupError(_sqlite_problem(path))
        return DatabaseState(exists=False, revision=None, fingerprint=None)
    engine = _reading_engine(settings, path)
    try:
        revision = await migrate.current_revision(engine)
        fingerprint = await stored_fingerprint(engine) if revision else None
    except Exception as error:  # any driver error: told in one line, whatever its kind
        raise StartupError(database_problem(settings, error)) from None
    finally:
        await engine.dispose()
    return DatabaseState(exists=True, revision=revision, fingerprint=fingerprint)


# ------------------------------------------------------------------------------ the key


@dataclass(frozen=True)
class KeyPlan:
    """The key this start would use (None: none yet, one would be made) and where from."""

    key: str | None
    origin: str
    path: Path


# What `keep-legacy-key` writes: as strong as the token it came from, whatever the estimate.
_LEGACY_KEY = re.compile(r"equalsay:\d+:\S+")


def plan_key(settings: Settings) -> KeyPlan:
    """Find the key without making one; a weak or unreadable key is refused."""
    path = settings.secret_key_file
    given = settings.secret_key.get_secret_value().strip()
    if given:
        reason = weak_key_reason(given)
        if reason:
            raise StartupError(f"SECRET_KEY is not valid: {reason}")
        return KeyPlan(given, "SECRET_KEY", path)
    try:
        kept = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return KeyPlan(None, "new", path)
    except OSError as error:
        raise StartupError(
            f"SECRET_KEY_FILE {path} cannot be read ({error.strerror}): let this user read "
            "it, or set SECRET_KEY."
        ) from None
    if not kept:
        raise StartupError(
            f"SECRET_KEY_FILE {path} is empty: put the key back from your backup, or delete "
            "the file if this deployment has never run."
        )
    reason = None if _LEGACY_KEY.fullmatch(kept) else weak_key_reason(kept)
    if reason:
        raise StartupError(f"SECRET_KEY_FILE {path} holds a key that is not valid: {reason}")
    if path.stat().st_mode & 0o077:
        log.warning("The key file %s can be read by other users: chmod 600 it.", path)
    return KeyPlan(kept, f"SECRET_KEY_FILE {path}", path)


def write_key_file(path: Path, key: str) -> None:
    """Only this user may read it (0600, in a 0700 folder); an existing file is never
    overwritten."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(key + "\n")
    except FileExistsError:
        raise
    except OSError as error:
        raise StartupError(
            f"SECRET_KEY_FILE {path} cannot be written ({error.strerror}): set "
            "SECRET_KEY_FILE to a writable place outside the data folder, or set SECRET_KEY "
            f"(make one with: {GENERATE})."
        ) from None


def make_key(path: Path) -> str:
    """A new key (48 random bytes) in the key file; if another process made one meanwhile,
    that one."""
    key = secrets.token_urlsafe(48)
    try:
        write_key_file(path, key)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    log.warning(
        "A new SECRET_KEY was made and kept in %s. Back it up, apart from the database: "
        "without it no role or vote can be read again.",
        path,
    )
    return key


def missing_key_problem(state: DatabaseState, path: Path) -> str:
    if state.fingerprint is not None:
        return (
            f"SECRET_KEY is missing: this database was set up with a key that is neither in "
            f"SECRET_KEY nor in SECRET_KEY_FILE ({path}). Put it back from your backup; "
            f"without it no role or vote can be found again. {NOTHING_CHANGED}"
        )
    return (
        "SECRET_KEY is not set, and this database was set up by an older version, which then "
        "derived the key from BOT_TOKEN. Run `equalsay keep-legacy-key` once to keep every "
        f"role and vote (README: The secret key). {NOTHING_CHANGED}"
    )


def wrong_key_problem(plan: KeyPlan) -> str:
    return (
        f"The key in {plan.origin} is not the one this database was set up with: starting "
        "would forget every role and let people vote twice in open polls. Put the original "
        f"key back. {NOTHING_CHANGED}"
    )


# ------------------------------------------------------------------------------ commands


async def prepare(settings: Settings, *, migrating: bool) -> Settings:
    """Make the database ready (migrating it when asked, or on SQLite) and settle the key;
    the settings returned carry the key. Raises StartupError with one line."""
    if not migrating:  # serving: Telegram must know the bot (migrating needs no Telegram)
        answer = await ask_telegram(settings)
        if answer.problem:
            raise StartupError(answer.problem)
    state = await read_database(settings)
    plan = plan_key(settings)
    path = sqlite_path(settings)
    if path is not None and not state.exists and not _can_write(path.parent):
        raise StartupError(_sqlite_problem(path))  # before a key is made for nothing
    key = plan.key
    if key is None:
        if state.set_up:
            raise StartupError(missing_key_problem(state, plan.path))
        key = make_key(plan.path)
    fingerprint = key_fingerprint(key.encode())
    if state.fingerprint is not None and state.fingerprint != fingerprint:
        raise StartupError(wrong_key_problem(plan))
    engine = create_engine(settings.database_url)
    try:
        if migrating or settings.is_sqlite:
            await migrate.upgrade(engine)
        elif not await migrate.is_up_to_date(engine):
            raise StartupError(
                "The database is not set up for this version: run `equalsay migrate` once, "
                "then start the bot (replicas never migrate by themselves)."
            )
        stored = await claim_fingerprint(engine, fingerprint)
    except StartupError:
        raise
    except Exception as error:  # any driver error: told in one line, whatever its kind
        raise StartupError(database_problem(settings, error)) from None
    finally:
        await engine.dispose()
    if stored != fingerprint:  # another process claimed the database with another key
        raise StartupError(wrong_key_problem(plan))
    return settings.model_copy(update={"secret_key": SecretStr(key)})


def legacy_key(settings: Settings) -> str:
    """The key versions before 0.2 used when SECRET_KEY was not set."""
    return f"equalsay:{settings.token}"


async def keep_legacy_key(settings: Settings) -> Path:
    """`equalsay keep-legacy-key`: write the key derived from BOT_TOKEN to the key file, for a
    database an older version set up without SECRET_KEY. Returns the file."""
    path = settings.secret_key_file
    if settings.secret_key.get_secret_value().strip():
        raise StartupError(
            f"SECRET_KEY is set, so the bot does not use a key derived from BOT_TOKEN: "
            f"there is nothing to keep. {NOTHING_CHANGED}"
        )
    if path.exists():
        raise StartupError(f"SECRET_KEY_FILE {path} already holds a key. {NOTHING_CHANGED}")
    state = await read_database(settings)
    if not state.set_up:
        raise StartupError(
            f"The database has not been set up yet, so there is no older key to keep: just "
            f"start the bot, and a new key will be made. {NOTHING_CHANGED}"
        )
    key = legacy_key(settings)
    if state.fingerprint is not None and state.fingerprint != key_fingerprint(key.encode()):
        raise StartupError(
            "This database was not set up with the key derived from BOT_TOKEN (was the token "
            "changed in BotFather? Then run this once with the old token in BOT_TOKEN). "
            f"{NOTHING_CHANGED}"
        )
    write_key_file(path, key)
    return path
