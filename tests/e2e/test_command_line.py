"""The real `equalsay` command in a subprocess: one line for what a deployer got wrong, the
secret key kept safe and never silently replaced (issues 13.6, 14.9).

Every run here is `python -m bot ...` with its own folder, key file and heartbeat file.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.keyed_hash import member_key
from bot.domain.roles import Role
from bot.sandbox import FakeTelegram, SandboxHttpServer
from bot.services import groups
from storage import migrate
from storage.engine import create_engine
from tests.e2e.processes import (
    BotProcess,
    bot_env,
    database,
    eventually,
    free_port,
    served_env,
    server_fixture,  # noqa: F401 - provides the `server` fixture
    spawn,
    stop_when_done,
)

SECRET_FLOOD = ("Traceback", 'File "')


def one_line(output: str) -> str:
    """What a failed start printed: exactly one line, beginning `equalsay:`."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("equalsay: "), output
    assert not any(flood in output for flood in SECRET_FLOOD), output
    return lines[0]


async def failed_start(env: dict[str, str], tmp_path: Path, *args: str) -> str:
    process = await spawn(env, *args, cwd=tmp_path)
    output = await stop_when_done(process)
    assert process.returncode == 2, output
    return one_line(output)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_of(path: Path) -> str | None:
    """The file's text without its line end; None when there is no file."""
    return path.read_text().strip() if path.exists() else None


def write_key(path: Path, key: str) -> None:
    """As a deployer restoring a key would: readable by its owner only."""
    path.write_text(key + "\n")
    path.chmod(0o600)


def modes(path: Path) -> tuple[int, int]:
    """The permission bits of the file and of its folder."""
    return stat.S_IMODE(path.stat().st_mode), stat.S_IMODE(path.parent.stat().st_mode)


# ------------------------------------------------------------------------------ 14.9


async def test_a_rejected_token_is_one_line_without_the_token(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    token = "987654321:AAE-this-token-was-revoked-in-BotFather"
    for mode in ("polling", "webhook"):
        env = served_env(tg, server, tmp_path, mode, BOT_TOKEN=token)
        process = await spawn(env, "run", cwd=tmp_path)
        output = await stop_when_done(process)
        assert process.returncode == 2, output
        assert "equalsay: BOT_TOKEN was not accepted by Telegram" in output
        assert token not in output and "this-token-was-revoked" not in output
        assert not any(flood in output for flood in SECRET_FLOOD), output


@pytest.mark.parametrize("command", ["run", "migrate"])
async def test_an_unreachable_database_is_one_line_without_its_password(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path, command: str
) -> None:
    closed = free_port()  # nothing listens there
    url = f"postgresql+asyncpg://equalsay:hunter2-password@127.0.0.1:{closed}/equalsay"
    line = await failed_start(bot_env(tg, server, tmp_path, DATABASE_URL=url), tmp_path, command)
    assert f"PostgreSQL at 127.0.0.1:{closed} refused the connection" in line
    assert "hunter2" not in line


async def test_a_missing_data_folder_is_one_line(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'equalsay.db'}"
    line = await failed_start(bot_env(tg, server, tmp_path, DATABASE_URL=url), tmp_path, "run")
    assert "DATABASE_URL" in line and "does not exist" in line
    assert not (tmp_path / "data").exists()


def test_a_data_folder_this_user_cannot_write_is_one_line(tmp_path: Path) -> None:
    """As in a container whose bind-mounted /data belongs to another user. As root (CI), the
    command runs without the power to override file modes, so the folder is not writable
    for it either."""
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o555)
    tmp_path.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "SECRET_"))}
    env |= {
        "BOT_TOKEN": "123456:AAE-not-used",
        "DATABASE_URL": f"sqlite+aiosqlite:///{data / 'equalsay.db'}",
        "SECRET_KEY_FILE": str(tmp_path / "key" / "secret_key"),
        "HOME": str(tmp_path),
    }
    as_plain_user = (
        ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]
        if os.getuid() == 0
        else []
    )
    result = subprocess.run(
        [*as_plain_user, sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    line = one_line(result.stderr)
    assert "DATABASE_URL" in line and "cannot write to" in line and "chown" in line
    assert not list(data.iterdir())
    assert not (tmp_path / "key").exists()  # no key made for a database that cannot be


# ------------------------------------------------------------------------------ 13.6


async def test_a_weak_key_is_refused(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    for weak in ("x", "changeme", "my-equalsay-secret-2026", "abcdefghij" * 8):
        env = bot_env(tg, server, tmp_path, SECRET_KEY=weak)
        line = await failed_start(env, tmp_path, "run")
        assert "SECRET_KEY is not valid: it is too weak" in line and "token_urlsafe" in line
        checked = await spawn(env, "check", cwd=tmp_path)
        assert "FAIL SECRET_KEY is not valid" in await stop_when_done(checked)
        assert checked.returncode == 1
    assert not (tmp_path / "bot.db").exists()


async def test_first_start_makes_a_key_outside_the_data_folder_and_keeps_to_it(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    env = bot_env(tg, server, tmp_path, SECRET_KEY="")
    key_file = Path(env["SECRET_KEY_FILE"])
    first = await spawn(env, "migrate", cwd=tmp_path)
    first_out = await stop_when_done(first)
    assert first.returncode == 0, first_out
    assert f"A new SECRET_KEY was made and kept in {key_file}" in first_out
    assert modes(key_file) == (0o600, 0o700)
    key = text_of(key_file)
    assert key is not None and len(key) >= 64 and key not in first_out

    bot = await BotProcess.start(env, "run", cwd=tmp_path, log=tmp_path / "run.log")
    try:
        await bot.wait_for(lambda: bool(tg.calls_to("getUpdates")), "polling with the same key")
    finally:
        output = await bot.interrupt()
    assert "A new SECRET_KEY" not in output and text_of(key_file) == key

    # The key file lost (a container recreated, a restore without it): refused, not replaced.
    db = tmp_path / "bot.db"
    before = digest(db)
    os.remove(key_file)
    line = await failed_start(env, tmp_path, "run")
    assert "SECRET_KEY is missing" in line and "Nothing was changed" in line
    assert text_of(key_file) is None and digest(db) == before

    # Another strong key: refused too, whether from SECRET_KEY or the file.
    other = "fDnH_ahTNqUltV_9VJfwE6npUCKUV9PIz1C49_YY5cbVk5UhrFDE378PgzgklDJ9"
    line = await failed_start(env | {"SECRET_KEY": other}, tmp_path, "run")
    assert "is not the one this database was set up with" in line
    write_key(key_file, other)
    line = await failed_start(env, tmp_path, "migrate")
    assert f"The key in SECRET_KEY_FILE {key_file} is not the one" in line
    assert digest(db) == before


async def _older_deployment(db_url: str, tg: FakeTelegram, title: str, user_id: int) -> None:
    """A database as a version before key checks left it, once migrated: no key fingerprint
    stored (0013 adds the table empty), and one member whose role is keyed under the key
    derived from BOT_TOKEN (SECRET_KEY was not set). Migrated to the head so that the current
    models can write the member, as the old version's own code once did."""
    engine = create_engine(db_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    group = tg.create_group(title, members=[], admins=[])
    async with database(db_url) as uow:
        info = await groups.bot_added(uow, group.id, title, is_forum=False, timezone="UTC")
        derived = f"equalsay:{tg.token}".encode()
        await uow.members.put_many(
            info.id, {member_key(derived, info.id, user_id): Role.CARER.value}
        )
        await uow.commit()


async def test_a_deployment_on_the_token_derived_key_keeps_every_role_explicitly(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path
) -> None:
    cara = tg.create_user("Cara")
    env = bot_env(tg, server, tmp_path, SECRET_KEY="")
    key_file = Path(env["SECRET_KEY_FILE"])
    await _older_deployment(env["DATABASE_URL"], tg, "Carers' circle", cara.id)

    line = await failed_start(env, tmp_path, "run")  # never a new key over old roles
    assert "equalsay keep-legacy-key" in line and text_of(key_file) is None
    checked = await spawn(env, "check", cwd=tmp_path)
    assert "FAIL SECRET_KEY is not set" in await stop_when_done(checked)

    kept = await spawn(env, "keep-legacy-key", cwd=tmp_path)
    kept_out = await stop_when_done(kept)
    assert kept.returncode == 0, kept_out
    assert text_of(key_file) == f"equalsay:{tg.token}"
    assert tg.token not in kept_out
    again = await spawn(env, "keep-legacy-key", cwd=tmp_path)  # never overwrites a key
    assert "already holds a key" in await stop_when_done(again)

    bot = await BotProcess.start(env, "run", cwd=tmp_path, log=tmp_path / "run.log")
    try:
        await bot.wait_for(lambda: bool(tg.calls_to("getUpdates")), "polling")
        dm = tg.private_chat(cara)
        tg.start_bot(cara)
        tg.send_text(cara, dm, "/mydata")
        await eventually(
            lambda: any("Carers' circle" in (m.text or "") for m in tg.messages(dm)),
            "Cara's role still known",
        )
    finally:
        output = await bot.interrupt()
    assert "Traceback" not in output


# ------------------------------------------------------------------------------ 14.12


def make_stale(path: Path, seconds: float) -> None:
    old = path.stat().st_mtime - seconds
    os.utime(path, (old, old))


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_health_passes_while_serving_and_fails_once_stopped_or_stuck(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path, mode: str
) -> None:
    env = served_env(tg, server, tmp_path, mode)
    heartbeat = Path(env["HEALTH_FILE"])
    probe = await spawn(env, "health", cwd=tmp_path)
    assert "not running" in await stop_when_done(probe) and probe.returncode == 1

    bot = await BotProcess.start(env, "run", cwd=tmp_path, log=tmp_path / "run.log")
    try:
        await bot.wait_for(lambda: text_of(heartbeat) == mode, "the first heartbeat")
        probe = await spawn(env, "health", cwd=tmp_path)
        assert "alive" in await stop_when_done(probe) and probe.returncode == 0
        make_stale(heartbeat, 120)  # as if the loop had stopped beating two minutes ago
        probe = await spawn(env, "health", cwd=tmp_path)
        assert "not answering" in await stop_when_done(probe) and probe.returncode == 1
        await bot.wait_for(lambda: not stale(heartbeat), "the next beat", seconds=30)
    finally:
        output = await bot.interrupt()
    assert "Traceback" not in output
    assert text_of(heartbeat) is None  # a clean stop takes it away
    probe = await spawn(env, "health", cwd=tmp_path)
    assert "not running" in await stop_when_done(probe) and probe.returncode == 1


def stale(path: Path) -> bool:
    from bot.liveness import health

    return not health(path)[0]


def test_every_command_has_its_own_help() -> None:
    from bot.__main__ import _COMMANDS

    texts = {}
    for command in _COMMANDS:
        result = subprocess.run(
            [sys.executable, "-m", "bot", command, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        texts[command] = result.stdout
        assert result.stdout.startswith(f"usage: equalsay {command}"), result.stdout
        assert len(result.stdout.splitlines()) >= 5, result.stdout  # more than a usage line
    assert len(set(texts.values())) == len(texts)
    main = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=True
    )
    assert all(command in main.stdout for command in _COMMANDS)
