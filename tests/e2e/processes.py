"""The real `equalsay` process (`python -m bot ...`) over real HTTP against the sandbox.

Shared by the end-to-end tests that start the bot as a process: polling, webhook, `check`,
a crash (SIGKILL) and a restart, two replicas. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

import pytest

from bot.sandbox import FakeTelegram, SandboxHttpServer
from storage.engine import create_engine, create_sessionmaker
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.e2e.poll_helpers import eventually as eventually  # shared with the in-process tests

STARTUP_SECONDS = 30.0
# A key as strong as `equalsay run` demands (a weak one is refused); tests only.
TEST_SECRET_KEY = "x9TaLq7uofMYeRiVvEyOkQ1HfjfiO_kFhNZyTKNKkO6rz4cxOPCNcsKOrk1H3wdU"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(name="server")
async def server_fixture(tg: FakeTelegram) -> AsyncIterator[SandboxHttpServer]:
    """`server`: the sandbox behind a real HTTP server on 127.0.0.1, in the test's own event
    loop. A test module imports `server_fixture` to use it."""
    http = SandboxHttpServer(tg)
    await http.start()
    yield http
    await http.stop()


def bot_env(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path, **extra: str
) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "WEBHOOK_", "MODE", "SECRET_", "HEALTH_", "XDG_CONFIG"))
    }
    env.update(
        BOT_TOKEN=tg.token,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        SECRET_KEY=TEST_SECRET_KEY,
        # Whatever a test starts, no key or heartbeat lands outside its own folder.
        SECRET_KEY_FILE=str(tmp_path / "config" / "secret_key"),
        HEALTH_FILE=str(tmp_path / "alive"),
        TELEGRAM_API_URL=f"http://127.0.0.1:{server.port}",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


def served_env(
    tg: FakeTelegram, server: SandboxHttpServer, tmp_path: Path, mode: str, **extra: str
) -> dict[str, str]:
    """`bot_env` for serving in `mode`; for webhook mode, on a free local port."""
    port = free_port()
    webhook = {
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET_TOKEN": "only-telegram-knows",
    }
    return bot_env(
        tg, server, tmp_path, MODE=mode, **(webhook if mode == "webhook" else {}), **extra
    )


async def spawn(env: dict[str, str], *args: str, cwd: Path) -> asyncio.subprocess.Process:
    """`python -m bot <args>` with its output in a pipe: for short runs (read by `stop`)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def stop(process: asyncio.subprocess.Process) -> str:
    """SIGINT (Ctrl-C, a clean shutdown), SIGKILL after 20 s; returns everything it printed."""
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()
    assert process.stdout is not None
    return (await process.stdout.read()).decode(errors="replace")


async def stop_when_done(process: asyncio.subprocess.Process) -> str:
    """Wait (up to a minute) for a command that ends by itself; returns what it printed."""
    await asyncio.wait_for(process.wait(), 60)
    assert process.stdout is not None
    return (await process.stdout.read()).decode(errors="replace")


class BotProcess:
    """A long-running `python -m bot run` whose output goes to a file.

    A pipe that nobody reads fills up (64 KiB) and then blocks the bot on its next log line;
    a file never does, and it keeps what a killed process printed.
    """

    def __init__(self, process: asyncio.subprocess.Process, log: Path, sink: IO[bytes]) -> None:
        self.process = process
        self.log = log
        self._sink = sink

    @classmethod
    async def start(cls, env: dict[str, str], *args: str, cwd: Path, log: Path) -> BotProcess:
        sink = log.open("ab")
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                *args,
                env=env,
                cwd=cwd,
                stdout=sink,
                stderr=asyncio.subprocess.STDOUT,
            )
        except BaseException:
            sink.close()
            raise
        return cls(process, log, sink)

    @property
    def running(self) -> bool:
        return self.process.returncode is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    async def wait_for(
        self, check: Callable[[], bool], what: str, seconds: float = STARTUP_SECONDS
    ) -> None:
        """Like `eventually`, but fails at once if the process ends, and shows its output."""
        try:
            await eventually(lambda: check() or not self.running, what, seconds)
        except AssertionError as timeout:
            raise AssertionError(
                f"{timeout}; the bot printed:\n{self.output()[-20_000:]}"
            ) from None
        if not check():
            raise AssertionError(
                f"the bot ended (exit status {self.process.returncode}) while waiting for "
                f"{what}:\n{self.output()[-20_000:]}"
            )

    def kill_now(self) -> None:
        """SIGKILL, synchronously: nothing else in the test's event loop runs in between."""
        if self.running:
            self.process.kill()

    async def kill(self) -> str:
        """SIGKILL: no shutdown, no flush, no goodbye; returns what it printed."""
        self.kill_now()
        await self.process.wait()
        self._sink.close()
        return self.output()

    async def interrupt(self, seconds: float = 30.0) -> str:
        """SIGINT (Ctrl-C), a clean shutdown; SIGKILL if it has not ended within `seconds`."""
        if self.running:
            self.process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.process.wait(), seconds)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        self._sink.close()
        return self.output()


def assert_clean(output: str, what: str) -> None:
    """No unhandled exception was printed by the process."""
    assert "Traceback" not in output, f"{what} printed a traceback:\n{output[-20_000:]}"


@asynccontextmanager
async def database(url: str) -> AsyncIterator[UnitOfWork]:
    """A unit of work on the bot's database from the test's side, with its own engine (the
    bot's is in another process): to set things up while it is down, and to look after."""
    engine = create_engine(url)
    try:
        async with UnitOfWorkFactory(create_sessionmaker(engine))() as uow:
            yield uow
    finally:
        await engine.dispose()
