"""Fixtures: a FakeTelegram checked against the Bot API spec, and a PTB Bot wired to it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.sandbox import FakeTelegram, SandboxRequest

_SHARED_SPEC = Path(__file__).resolve().parents[4] / "shared/telegram-bot-api/api-10.0.json"


def spec_path() -> Path | None:
    """The spec from TELEGRAM_BOT_API_SPEC, else the shared checkout next to the repo."""
    value = os.environ.get("TELEGRAM_BOT_API_SPEC")
    path = Path(value) if value else _SHARED_SPEC
    return path if path.is_file() else None


class FakeClock:
    """An injectable monotonic clock for flood-limit tests."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def tg(clock: FakeClock) -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(spec_path=spec_path(), clock=clock)
    yield fake
    await fake.aclose()
    # Every call the tests make through PTB must fit the published Bot API.
    assert fake.spec_violations == []


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(
        tg.token, request=SandboxRequest(tg), get_updates_request=SandboxRequest(tg)
    ) as ptb_bot:
        yield ptb_bot
