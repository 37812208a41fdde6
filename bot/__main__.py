"""Command line: `equalsay run | migrate | check | health | backup | keep-legacy-key | demo`.

Also `python -m bot ...`. Whatever a deployer gets wrong ends in one line on stderr that names
the setting and says what to do, with exit status 2: never a traceback, never the token.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from bot.config import WEBHOOK_PATH, Mode, Settings, exit_with, load_settings_or_exit
from bot.logs import configure_logging

_DESCRIPTION = """\
Equal Say: polls, anonymous feedback and meetings for co-production groups, where service
users, carers and staff each count equally.

Settings come from the environment or a .env file in the working directory (see
.env.example and README.md). Start with `equalsay check`, then `equalsay run`."""

_COMMANDS: dict[str, tuple[str, str]] = {
    "run": (
        "serve the bot (polling or webhook, from MODE)",
        """\
Serve the bot until stopped (Ctrl-C or SIGTERM).

MODE=polling (the default) asks Telegram for updates; MODE=webhook listens on
WEBHOOK_LISTEN:WEBHOOK_PORT at /telegram for Telegram's posts to WEBHOOK_URL.
Before serving it checks the database and the secret key: a SQLite database is
created and brought up to date by itself; PostgreSQL must be migrated first
(`equalsay migrate`). At the very first start, with no SECRET_KEY, a new key is
made and kept in SECRET_KEY_FILE: back it up.
Exit status 2, with one line saying what to fix, when it cannot start.""",
    ),
    "migrate": (
        "set up or bring the database up to date",
        """\
Create the tables, or bring them up to date for this version, then exit.
Run it once per release on PostgreSQL, before starting the bot (replicas never
migrate by themselves); SQLite does this at every start anyway. Like `run`, it
checks the secret key, and makes one at the very first start.""",
    ),
    "check": (
        "say what works and what to fix, changing nothing",
        """\
Check the settings, the token (asks Telegram who the bot is), the database and
the secret key, one plain line each, and say what the first start will do.
It creates and changes nothing: no database file, no key file.
Exit status 0 when the bot can start, 1 when something must be fixed first,
2 when the settings themselves are wrong.""",
    ),
    "health": (
        "liveness probe: is the bot running and not stuck?",
        """\
Exit 0 while a bot serving with these settings has shown a sign of life in the
last minute, 1 otherwise (Docker's HEALTHCHECK uses it). Works in polling and
webhook mode: the running bot touches a heartbeat file (HEALTH_FILE, by default
in the temporary folder) every 15 seconds while it is serving.""",
    ),
    "backup": (
        "copy the SQLite database to a new file, safely, while the bot runs",
        """\
Copy the SQLite database named by DATABASE_URL to DEST with SQLite's own backup
(consistent while the bot runs, nothing of the old keys left in free pages).
DEST is never overwritten. For PostgreSQL: VACUUM, then pg_dump (docs/PRIVACY.md,
'Backups'). The secret key is not in the copy: back it up apart.""",
    ),
    "keep-legacy-key": (
        "keep the key an older version derived from BOT_TOKEN (once)",
        """\
For a database set up by a version before 0.2 while SECRET_KEY was not set:
those versions derived the key from BOT_TOKEN. This writes that key to
SECRET_KEY_FILE, once, so every role and vote is kept and the key no longer
changes with the token. If the token was changed in BotFather since, run it
with the old token in BOT_TOKEN. It refuses to overwrite a key.""",
    ),
    "demo": (
        "a scripted conversation with a fake Telegram",
        """\
Play a short scripted conversation (a group joining, a poll, feedback, a
meeting) against a fake Telegram in memory, and print it. Needs no token,
no network and no database.""",
    ),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="equalsay",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    made = {
        name: commands.add_parser(
            name,
            help=summary,
            description=details,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for name, (summary, details) in _COMMANDS.items()
    }
    made["demo"].add_argument("--quiet", action="store_true", help="print only the summary")
    made["demo"].add_argument(
        "--language", default="en", help="en (the default), pl or ar: the people's and the story's"
    )
    made["backup"].add_argument("dest", help="the new file to write (never overwritten)")
    return parser


def _telegram_problem(error: Exception, settings: Settings) -> NoReturn:
    """One line for Telegram refusing the start after getMe passed (a webhook it will not
    set, say); never the token."""
    from telegram.error import InvalidToken

    if isinstance(error, InvalidToken):  # revoked between getMe and now
        exit_with("BOT_TOKEN was not accepted by Telegram: copy it again from BotFather.")
    detail = str(error).replace(settings.token, "<BOT_TOKEN>")
    exit_with(f"Telegram refused to start the bot: {detail}.")


def run(settings: Settings) -> None:
    from telegram.error import TelegramError

    from bot.app import ALLOWED_UPDATES, UPDATE_BACKLOG, build_application
    from bot.liveness import start_beating, stop_beating
    from bot.unreadable_updates import UpdatesRequest

    app = build_application(
        settings,
        update_backlog=UPDATE_BACKLOG,
        freeze_startup=True,  # this process runs this one bot (bot/heap.py)
        # As PTB's default for getUpdates (one connection), but skipping unreadable updates.
        updates_request=UpdatesRequest(connection_pool_size=1),
    )
    start_beating(app, settings.heartbeat_file, settings.mode.value)
    try:
        if settings.mode is Mode.WEBHOOK:
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=WEBHOOK_PATH,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret_token.get_secret_value(),
                allowed_updates=list(ALLOWED_UPDATES),
            )
        else:
            app.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    except TelegramError as error:
        _telegram_problem(error, settings)
    except OSError as error:  # the webhook port: in use, or not ours to bind
        exit_with(
            f"WEBHOOK_PORT {settings.webhook_port} on {settings.webhook_listen} cannot be "
            f"used ({error.strerror}): is another program using it?"
        )
    finally:
        stop_beating(settings.heartbeat_file)


def _prepared(settings: Settings, *, migrating: bool) -> Settings:
    """The database ready and the key settled, or one line and exit status 2."""
    from bot.startup import StartupError, prepare

    try:
        return asyncio.run(prepare(settings, migrating=migrating))
    except StartupError as error:
        exit_with(str(error))


def _keep_legacy_key(settings: Settings) -> None:
    from bot.startup import StartupError, keep_legacy_key

    try:
        path = asyncio.run(keep_legacy_key(settings))
    except StartupError as error:
        exit_with(str(error))
    print(
        f"The key older versions derived from BOT_TOKEN is now kept in {path}: every role and "
        "vote stays. Back the file up, apart from the database. Anyone who knew the token "
        "before could still work the key out; README (The secret key) says what that means."
    )


def backup_database(settings: Settings, dest: str) -> int:
    from storage.backup import BackupRefusedError, backup_sqlite, sqlite_path

    source = sqlite_path(settings.database_url)
    if source is None:
        print(
            "equalsay backup copies an SQLite database. For PostgreSQL, run VACUUM and then "
            "pg_dump (docs/PRIVACY.md, 'Backups')."
        )
        return 2
    try:
        backup_sqlite(source, Path(dest))
    except BackupRefusedError as refused:
        print(f"No backup made: {refused}")
        return 1
    print(f"Backup written to {dest}. Keep it as safe as the database itself.")
    return 0


def _health(settings: Settings) -> None:
    from bot.liveness import health

    alive, line = health(settings.heartbeat_file)
    print(f"equalsay: {line}")
    raise SystemExit(0 if alive else 1)


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from bot.demo import run_demo

        configure_logging("WARNING")
        raise SystemExit(asyncio.run(run_demo(quiet=args.quiet, language=args.language)))
    if args.command == "check":
        from bot.deploy_check import run_check

        raise SystemExit(asyncio.run(run_check()))
    settings = load_settings_or_exit()
    if args.command == "health":
        _health(settings)
    elif args.command == "backup":
        configure_logging(settings.log_level)
        raise SystemExit(backup_database(settings, args.dest))
    elif args.command == "keep-legacy-key":
        _keep_legacy_key(settings)
    elif args.command == "migrate":
        _prepared(settings, migrating=True)
        print("The database is up to date.")
    else:
        # Before logging is set up: a problem is one line, not one among the migrations' own
        # (a warning, such as a new key made, still reaches stderr through logging's last
        # resort).
        ready = _prepared(settings, migrating=False)
        configure_logging(settings.log_level, hide=[settings.token])
        run(ready)


if __name__ == "__main__":
    main(sys.argv[1:])
