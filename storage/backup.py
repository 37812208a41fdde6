"""`equalsay backup <dest>`: a copy of an SQLite database that is safe to keep.

Copying `equalsay.db` (and its `-wal`) while the bot runs takes whatever the files hold,
earlier copies of pages included, and can catch a write half done. SQLite's online backup
API copies the database as one consistent snapshot, page by page, whatever the bot is
doing; the copy is then made a single file (no write-ahead log) and vacuumed, so no free
page rides along. PostgreSQL has its own tools: docs/PRIVACY.md says how.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupRefusedError(Exception):
    """The backup was not made; the message says why, in plain words."""


def sqlite_path(database_url: str) -> Path | None:
    """The database file of an SQLite URL; None for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database)


def backup_sqlite(source: Path, dest: Path) -> None:
    """Copy `source` into a new file `dest`. Never overwrites: an old backup stays."""
    if dest.exists():
        raise BackupRefusedError(f"{dest} already exists; choose a new name, nothing was changed.")
    if not source.is_file():
        raise BackupRefusedError(f"There is no database at {source}.")
    if not dest.parent.is_dir():
        raise BackupRefusedError(f"The folder {dest.parent} does not exist.")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    # Read only: the backup never writes to the bot's database.
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader:
        target = sqlite3.connect(partial)
        try:
            reader.backup(target)
            target.execute("PRAGMA secure_delete=ON")
            target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            target.execute("VACUUM")  # no free pages, so nothing deleted comes along
        finally:
            target.close()
    partial.replace(dest)
