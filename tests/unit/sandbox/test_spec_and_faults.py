"""The spec check catches malformed calls; injected faults fail calls the way networks do."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut

from bot.sandbox import FakeTelegram, SandboxRequest, spec_check

from .conftest import spec_path

# Outside CI a checkout may lack ../shared; under CI the spec must be there, so never skip.
needs_spec = pytest.mark.skipif(
    spec_path() is None and not os.environ.get("CI"), reason="Bot API spec file not available"
)


@needs_spec
async def test_unknown_parameter_is_recorded_and_refused() -> None:
    tg = FakeTelegram(spec_path=spec_path())
    user = tg.create_user("Ann")
    tg.start_bot(user)
    status, body = await tg.call("sendMessage", {"chat_id": user.id, "text": "hi", "colour": 1})
    assert status == 400
    assert body["description"].startswith("Bad Request: sandbox spec violation: ")
    assert tg.spec_violations == ["sendMessage: unknown parameter 'colour'"]
    assert tg.messages(tg.private_chat(user)) == []


@needs_spec
@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"text": "hi"}, "missing required parameter 'chat_id'"),
        ({"chat_id": 1.5, "text": "hi"}, "sendMessage.chat_id: 1.5 is none of Integer or String"),
        ({"chat_id": 1, "text": 5}, "sendMessage.text: expected String, got int"),
        ({"chat_id": 1, "text": "x", "disable_notification": "yes"}, "expected Boolean"),
        (
            {
                "chat_id": 1,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "a", "cb": "x"}]]},
            },
            "unknown parameter 'cb'",
        ),
        (
            {
                "chat_id": 1,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"callback_data": "x"}]]},
            },
            "missing required parameter 'text'",
        ),
    ],
)
async def test_spec_type_checks(params: dict[str, object], problem: str) -> None:
    tg = FakeTelegram(spec_path=spec_path())
    status, _ = await tg.call("sendMessage", params)
    assert status == 400
    assert any(problem in v for v in tg.spec_violations), tg.spec_violations


@needs_spec
async def test_abstract_types_accept_any_subtype() -> None:
    tg = FakeTelegram(spec_path=spec_path())
    commands = [{"command": "vote", "description": "Vote"}]
    scope = {"type": "all_group_chats"}
    status, _ = await tg.call("setMyCommands", {"commands": commands, "scope": scope})
    assert status == 200
    assert tg.commands("all_group_chats") == commands
    status, _ = await tg.call("setMyCommands", {"commands": commands, "scope": {"type": 1}})
    assert status == 400


async def test_missing_spec_logs_one_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spec_check, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="bot.sandbox"):
        FakeTelegram(spec_path=Path("/nonexistent/spec.json"))
        FakeTelegram(spec_path=None)
    warnings = [r for r in caplog.records if "SPEC CHECK DISABLED" in r.getMessage()]
    assert len(warnings) == 1
    tg = FakeTelegram(spec_path=None)
    status, _ = await tg.call("getMe", {"bogus": 1})
    assert status == 200


async def test_faults(tg: FakeTelegram, bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    user = tg.create_user("Ann")
    tg.start_bot(user)
    tg.faults.inject("sendMessage", "429", retry_after=7)
    tg.faults.inject("sendMessage", "500")
    tg.faults.inject("sendMessage", "timeout")
    tg.faults.inject("sendMessage", "reset")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(user.id, "1")
    assert caught.value.retry_after.total_seconds() == 7  # type: ignore[union-attr]
    with pytest.raises(TelegramError, match="Internal Server Error"):
        await bot.send_message(user.id, "2")
    with pytest.raises(TimedOut):
        await bot.send_message(user.id, "3")
    with pytest.raises(NetworkError) as reset:
        await bot.send_message(user.id, "4")
    assert not isinstance(reset.value, TimedOut)
    await bot.send_message(user.id, "5")
    assert [m.text for m in tg.messages(tg.private_chat(user))] == ["5"]
    assert tg.faults.pending() == 0
    assert (await tg.call("getMe"))[0] == 200
    tg.faults.inject("getMe", "500", times=2)
    assert (await tg.call("getMe"))[1] == {
        "ok": False,
        "error_code": 500,
        "description": "Internal Server Error",
    }
    assert (await tg.call("getMe"))[0] == 500
    assert (await tg.call("getMe"))[0] == 200


async def test_calls_are_recorded(tg: FakeTelegram) -> None:
    async with Bot(tg.token, request=SandboxRequest(tg)) as bot:
        await bot.get_me()
    assert [name for name, _ in tg.calls] == ["getMe", "getMe"]
    assert tg.calls_to("getMe") == [{}, {}]
