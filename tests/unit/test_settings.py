"""A deployer with a wrong setting gets one clear line, exit status 2 and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Mode, SettingsError, load_settings

_VARS = (
    "BOT_TOKEN",
    "DATABASE_URL",
    "MODE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET_TOKEN",
    "TIMEZONE",
    "CRISIS_CONTACTS",
    "CRISIS_PHRASES",
)


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in _VARS}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,  # no .env there
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "variable", "hint"),
    [
        ({}, "BOT_TOKEN", "BotFather"),
        ({"BOT_TOKEN": "123:abc", "DATABASE_URL": "not a url"}, "DATABASE_URL", "sqlite+aiosqlite"),
        ({"BOT_TOKEN": "123:abc", "MODE": "carrier-pigeon"}, "MODE", "polling or webhook"),
        ({"BOT_TOKEN": "123:abc", "TIMEZONE": "Mars/Olympus"}, "TIMEZONE", "Europe/London"),
        ({"BOT_TOKEN": "123:abc", "MODE": "webhook"}, "WEBHOOK_URL", "https"),
        # Accepted once, but could never work: refused at start (issue 14.11, issue 18.1).
        (
            {"BOT_TOKEN": "123:abc", "MODE": "webhook", "WEBHOOK_SECRET_TOKEN": "s3cret"}
            | {"WEBHOOK_URL": "https://bot.example.org/webhook"},
            "WEBHOOK_URL",
            "listens at /telegram",
        ),
        (
            {"BOT_TOKEN": "123:abc", "MODE": "webhook", "WEBHOOK_SECRET_TOKEN": "s3cret"}
            | {"WEBHOOK_URL": "http://bot.example.org/telegram"},
            "WEBHOOK_URL",
            "only posts to https",
        ),
        ({"BOT_TOKEN": "123:abc", "CRISIS_CONTACTS": "[]"}, "CRISIS_CONTACTS", "at least one"),
        ({"BOT_TOKEN": "123:abc", "CRISIS_CONTACTS": '[" "]'}, "CRISIS_CONTACTS", "no empty"),
        (
            {"BOT_TOKEN": "123:abc", "CRISIS_CONTACTS": "Call 999"},
            "CRISIS_CONTACTS",
            "not JSON",
        ),
        ({"BOT_TOKEN": "123:abc", "CRISIS_CONTACTS": '"999"'}, "CRISIS_CONTACTS", "JSON list"),
        ({"BOT_TOKEN": "123:abc", "CRISIS_PHRASES": "[]"}, "CRISIS_PHRASES", "at least one"),
        # Given by language: no language may be left without a way to get help (issue 15.4).
        (
            {"BOT_TOKEN": "123:abc", "CRISIS_CONTACTS": '{"en": ["Call 999"], "pl": []}'},
            "CRISIS_CONTACTS",
            "at least one",
        ),
        ({"BOT_TOKEN": "123:abc", "CRISIS_PHRASES": '{"ar": [""]}'}, "CRISIS_PHRASES", "no empty"),
    ],
)
def test_bad_setting_prints_one_line_and_exits_2(
    tmp_path: Path, env: dict[str, str], variable: str, hint: str
) -> None:
    result = run_cli(tmp_path, "run", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert hint in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_a_token_that_is_not_a_token_is_named() -> None:
    with pytest.raises(SettingsError, match="BOT_TOKEN is not valid"):
        load_settings(bot_token="hello")


def test_defaults_are_the_embedded_ones(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in _VARS:
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(bot_token="123:abc")
    assert settings.database_url == "sqlite+aiosqlite:///./equalsay.db"
    assert settings.mode is Mode.POLLING
    assert settings.timezone == "Europe/London"
    assert settings.min_cell == 3


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in _VARS:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text("BOT_TOKEN=42:fromdotenv\nMIN_CELL=5\n")
    settings = load_settings()
    assert settings.token == "42:fromdotenv"
    assert settings.min_cell == 5


def test_token_never_shows_in_the_settings_repr() -> None:
    settings = load_settings(bot_token="123:very-secret")
    assert "very-secret" not in repr(settings)


@pytest.mark.parametrize(
    "url",
    [
        "https://bot.example.org/telegram",
        "https://bot.example.org:8443/equalsay/telegram",  # behind a proxy, under a prefix
    ],
)
def test_a_webhook_url_ending_where_the_bot_listens_is_accepted(url: str) -> None:
    settings = load_settings(
        bot_token="123:abc", mode="webhook", webhook_url=url, webhook_secret_token="s3cret"
    )
    assert settings.webhook_url == url


def test_crisis_contacts_are_kept_tidy() -> None:
    settings = load_settings(bot_token="123:abc", crisis_contacts=["  Call 999 ", "NHS 111"])
    assert settings.contacts_for("en") == ("Call 999", "NHS 111")


def test_crisis_contacts_can_be_given_per_language() -> None:
    settings = load_settings(
        bot_token="123:abc",
        crisis_contacts={"en": ["Call 112"], "pl": ["Zadzwoń pod 112"]},
    )
    assert settings.contacts_for("en") == ("Call 112",)
    assert settings.contacts_for("pl") == ("Zadzwoń pod 112",)
    # No Arabic list, and the English one is not the default: the deployment's own numbers,
    # in English, rather than a translation of numbers it replaced.
    assert settings.contacts_for("ar") == ("Call 112",)


def test_the_default_contacts_come_translated() -> None:
    settings = load_settings(bot_token="123:abc")
    assert any("116 123" in line and "zadzwoń" in line for line in settings.contacts_for("pl"))
    assert any("116 123" in line for line in settings.contacts_for("ar"))
    assert settings.contacts_for("en")[0] == "Emergency: call 999"


def test_every_language_s_crisis_phrases_are_checked_together() -> None:
    settings = load_settings(bot_token="123:abc", crisis_phrases={"pl": ["mam dość"]})
    phrases = settings.all_crisis_phrases
    assert "kill myself" in phrases  # English kept
    assert "mam dość" in phrases  # the deployment's Polish
    assert "انتحار" in phrases  # the built-in Arabic, not given, kept
