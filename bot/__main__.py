"""Command line: `equalsay run | migrate | check | backup | demo` (also `python -m bot ...`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import WEBHOOK_PATH, Mode, Settings, load_settings_or_exit
from bot.logs import configure_logging


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="equalsay",
        description="Equal Say: polls and feedback where every role counts equally.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="serve the bot (polling or webhook, from MODE)")
    commands.add_parser("migrate", help="bring the database up to date")
    commands.add_parser("check", help="check settings, token and database, in plain lines")
    backup = commands.add_parser(
        "backup", help="copy the SQLite database to a new file, safely, while the bot runs"
    )
    backup.add_argument("dest", help="the new file to write (never overwritten)")
    demo = commands.add_parser("demo", help="a scripted conversation with a fake Telegram")
    demo.add_argument("--quiet", action="store_true", help="print only the summary")
    return parser


def run(settings: Settings) -> None:
    from bot.app import ALLOWED_UPDATES, UPDATE_BACKLOG, build_application
    from bot.unreadable_updates import UpdatesRequest

    app = build_application(
        settings,
        update_backlog=UPDATE_BACKLOG,
        # As PTB's default for getUpdates (one connection), but skipping unreadable updates.
        updates_request=UpdatesRequest(connection_pool_size=1),
    )
    if settings.mode is Mode.WEBHOOK:
        secret = settings.webhook_secret_token.get_secret_value()
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=WEBHOOK_PATH,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES),
        )
    else:
        app.run_polling(allowed_updates=list(ALLOWED_UPDATES))


async def migrate_database(settings: Settings) -> None:
    from storage import migrate
    from storage.engine import create_engine

    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        print(f"The database is up to date (revision {await migrate.current_revision(engine)}).")
    finally:
        await engine.dispose()


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


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from bot.demo import run_demo

        configure_logging("WARNING")
        raise SystemExit(asyncio.run(run_demo(quiet=args.quiet)))
    if args.command == "check":
        from bot.deploy_check import run_check

        raise SystemExit(asyncio.run(run_check()))
    settings = load_settings_or_exit()
    configure_logging(settings.log_level)
    if args.command == "migrate":
        asyncio.run(migrate_database(settings))
    elif args.command == "backup":
        raise SystemExit(backup_database(settings, args.dest))
    else:
        run(settings)


if __name__ == "__main__":
    main(sys.argv[1:])
