"""A copy of the SQLite files taken while the bot runs keeps no key that was unlinked or erased.

Issue 13.2: copying `equalsay.db` with its `-wal` after a poll closed gave back every closed
ballot's person, with the secret: the old keys still stood in earlier copies of the pages,
in the write-ahead log and in free pages. The bot now asks SQLite for secure_delete itself,
and empties the log into the database file after each unlinking and erasure; `equalsay
backup` takes a copy through SQLite's backup API.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from bot.domain.keyed_hash import ballot_key, member_key, person_key
from bot.harness import SandboxBot
from storage.engine import _tune_sqlite
from tests.e2e.poll_helpers import (
    button,
    end_reopen_windows,
    joined_circle,
    post_poll,
    results_posts,
    vote,
)
from tests.e2e.privacy_helpers import sqlite_files
from tests.e2e.processes import spawn


def _copy_while_running(bot: SandboxBot, into: Path) -> bytes:
    """Every file of the database, copied as they are on disk right now (no checkpoint, no
    lock: as a backup tool or a thief would), read back as raw bytes."""
    into.mkdir()
    data = b""
    for path in sqlite_files(bot.settings.database_url):
        copy = into / path.name
        shutil.copyfile(path, copy)
        data += copy.read_bytes()
    return data


def _found(data: bytes, keys: set[str]) -> set[str]:
    return {key for key in keys if key.encode() in data}


def test_every_connection_asks_for_secure_delete(tmp_path: Path) -> None:
    """Not left to how the system's SQLite was built (it is off by default upstream)."""
    connection = sqlite3.connect(tmp_path / "x.db")
    try:
        connection.execute("PRAGMA secure_delete=OFF")
        _tune_sqlite(connection, None)  # type: ignore[arg-type]
        assert connection.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        connection.close()


async def test_a_live_copy_keeps_no_closed_ballot_key_and_no_forgotten_person(
    bot: SandboxBot, tmp_path: Path
) -> None:
    circle = await joined_circle(bot)
    message = await post_poll(bot, circle, "Keep Tuesday evenings? | Yes | No")
    voters = circle.everyone()
    for n, person in enumerate(voters):
        await vote(bot, person, message, "Yes" if n % 3 else "No")
    poll_id = int(button(message, "Yes").split(":")[1], 36)
    secret = bot.settings.hash_key
    keys = {ballot_key(secret, poll_id, p.id) for p in voters}
    # The detector finds them while the poll is open: they are in the files as text.
    assert _found(_copy_while_running(bot, tmp_path / "open"), keys) == keys

    await bot.say(circle.fiona, circle.group, "/close", reply_to=message)
    assert results_posts(bot.tg, circle.group)
    await end_reopen_windows(bot)  # kept keyed 10 minutes after the close, then unlinked
    copied = _copy_while_running(bot, tmp_path / "closed")
    assert not _found(copied, keys), "a closed poll's old ballot keys survive in a live copy"

    # /forgetme: the person's membership key and person key go from the files too.
    uma = voters[0]
    group_id = await _group_id(bot, circle.group.id)
    hers = {member_key(secret, group_id, uma.id), person_key(secret, uma.id)}
    assert _found(_copy_while_running(bot, tmp_path / "before"), hers) == hers
    await bot.say(uma, bot.private(uma), "/forgetme")
    await bot.press(uma, bot.last(bot.private(uma)), text="Yes, erase my data")
    assert "erased" in bot.last_text(bot.private(uma))
    assert not _found(_copy_while_running(bot, tmp_path / "after"), hers)

    # `equalsay backup`, run beside the running bot, makes one self-contained file, without
    # the old keys, that opens and holds the poll.
    dest = tmp_path / "backup" / "equalsay-backup.db"
    dest.parent.mkdir()
    env = {
        **os.environ,
        "BOT_TOKEN": bot.settings.bot_token.get_secret_value(),
        "SECRET_KEY": bot.settings.secret_key.get_secret_value(),
        "DATABASE_URL": bot.settings.database_url,
    }
    process = await spawn(env, "backup", str(dest), cwd=tmp_path)
    output = (await process.communicate())[0].decode()
    assert process.returncode == 0, output
    assert "backup" in output.lower() and str(dest) in output
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]  # no -wal beside it
    raw = dest.read_bytes()
    assert not _found(raw, keys | hers)
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM ballots").fetchone()[0] == len(voters)
    finally:
        copy.close()

    # A second run does not overwrite what is there.
    again = await spawn(env, "backup", str(dest), cwd=tmp_path)
    said = (await again.communicate())[0].decode()
    assert again.returncode != 0 and "already exists" in said
    assert dest.read_bytes() == raw


async def _group_id(bot: SandboxBot, chat_id: int) -> int:
    from bot.services import groups

    async with bot.uow() as uow:
        group = await groups.find_group(uow, chat_id)
    assert group is not None
    return group.id
