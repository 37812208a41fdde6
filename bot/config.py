"""Settings, read from the environment and an optional `.env` file (pydantic-settings).

Every setting has a plain name a deployer can type; `load_settings_or_exit` turns any problem
into one line naming the variable and how to fix it, with exit status 2 and no traceback.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, NoReturn
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as PydanticSettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.crisis import DEFAULT_CRISIS_PHRASES
from bot.domain.crisis_languages import (
    CRISIS_PHRASES_BY_LANGUAGE,
    UK_CRISIS_CONTACTS_BY_LANGUAGE,
)
from bot.domain.disclosure_audit import Bar
from bot.domain.feedback_rules import (
    DEFAULT_DAILY_LIMIT,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_URGENT_DAILY_LIMIT,
)
from bot.domain.meeting_rules import DEFAULT_AGENDA_PER_MEETING, DEFAULT_AGENDA_PER_PERSON
from bot.domain.urgent_rules import DEFAULT_REMINDER_MINUTES, ReminderHours

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./equalsay.db"
TELEGRAM_API_URL = "https://api.telegram.org"
# Where the webhook server listens for Telegram's posts (the end of WEBHOOK_URL's path).
WEBHOOK_PATH = "telegram"
UK_CRISIS_CONTACTS = (
    "Emergency: call 999",
    "NHS 111, option 2 (mental health)",
    "Samaritans: call 116 123, free, day or night",
    "Shout: text SHOUT to 85258",
)


# What a list setting looks like, for the line that says one is wrong.
_LIST_EXAMPLES = {
    "crisis_contacts": '["Emergency: call 999", "Samaritans: call 116 123"]',
    "crisis_phrases": '["suicide", "kill myself"]',
}


def default_key_file() -> Path:
    """Outside the working directory and the data folder, so a backup of the data does not
    carry the key that unlocks it: ~/.config/equalsay/secret_key (or $XDG_CONFIG_HOME)."""
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(config) / "equalsay" / "secret_key"


class Mode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class Settings(BaseSettings):
    """Everything a deployment can choose. Field names are the environment variable names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr = Field(description="the token BotFather gave you")
    database_url: str = Field(DEFAULT_DATABASE_URL, description="where Equal Say keeps its data")
    secret_key: SecretStr = Field(
        SecretStr(""),
        description="a long random secret for the keyed hashes that keep people anonymous",
    )
    secret_key_file: Path = Field(
        default_factory=lambda: default_key_file(),
        description="where the key is kept when SECRET_KEY is not set (made at first start)",
    )
    timezone: str = Field("Europe/London", description="the default time zone for groups")
    mode: Mode = Field(Mode.POLLING, description="polling or webhook")
    webhook_url: str = Field("", description="the public https URL Telegram posts updates to")
    webhook_listen: str = Field("0.0.0.0", description="the address the webhook server binds")  # noqa: S104
    webhook_port: Annotated[int, Field(ge=1, le=65535)] = 8443
    webhook_secret_token: SecretStr = Field(
        SecretStr(""), description="a secret Telegram sends with every webhook request"
    )
    telegram_api_url: str = Field(
        TELEGRAM_API_URL, description="Telegram's Bot API server, or your own"
    )
    health_file: Path | None = Field(
        None, description="the heartbeat `equalsay health` reads (default: in the temp folder)"
    )
    min_cell: Annotated[int, Field(ge=1, le=50)] = 3
    # How long after a close a facilitator may reopen a poll; its ballots stay keyed that long
    # (docs/PRIVACY.md). 0: no reopening, keys unlinked at the close itself.
    poll_reopen_minutes: Annotated[int, Field(ge=0, le=10)] = 10
    # The disclosure bar (docs/PRIVACY.md, "Results in small groups"): nobody may become
    # certain of another person's choice or role, and an insider's belief about someone may
    # rise above DISCLOSURE_POSTERIOR_BOUND in at most DISCLOSURE_CHANCE_BOUND of outcomes.
    disclosure_posterior_bound: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.9
    disclosure_chance_bound: Annotated[float, Field(ge=0.0, lt=0.5)] = 0.05
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")
    # CRISIS_CONTACTS and CRISIS_PHRASES: a JSON list (English, and every language with no
    # list of its own), or an object of lists by language: {"en": [...], "pl": [...]}.
    crisis_contacts: dict[str, tuple[str, ...]] = Field(
        default_factory=lambda: {"en": tuple(UK_CRISIS_CONTACTS)}
    )
    # Feedback matching any of these (whole words, any case) goes to facilitators, flagged.
    crisis_phrases: dict[str, tuple[str, ...]] = Field(
        default_factory=lambda: {"en": DEFAULT_CRISIS_PHRASES, **CRISIS_PHRASES_BY_LANGUAGE}
    )
    feedback_daily_limit: Annotated[int, Field(ge=1, le=100)] = DEFAULT_DAILY_LIMIT
    # Urgent (crisis) items count apart, against this higher limit; past it the person is
    # given the crisis contacts and the item is not passed on.
    feedback_urgent_daily_limit: Annotated[int, Field(ge=1, le=200)] = DEFAULT_URGENT_DAILY_LIMIT
    # Days a rejected or urgent feedback text is kept before it is deleted.
    feedback_retention_days: Annotated[int, Field(ge=1, le=3650)] = DEFAULT_RETENTION_DAYS
    # Minutes after an urgent item reached facilitators before they are reminded, if nobody
    # pressed "I've seen this"; and whether at any hour or only 08:00-22:00 in the group's zone.
    urgent_reminder_minutes: Annotated[int, Field(ge=1, le=1440)] = DEFAULT_REMINDER_MINUTES
    urgent_reminder_hours: ReminderHours = ReminderHours.ALWAYS
    # Agenda items one person may add to one meeting date (privately, and as many in the
    # group, counted apart), and items one date's agenda may hold (typed in the group or sent
    # privately, waiting for a facilitator too).
    agenda_per_person: Annotated[int, Field(ge=1, le=50)] = DEFAULT_AGENDA_PER_PERSON
    agenda_per_meeting: Annotated[int, Field(ge=1, le=200)] = DEFAULT_AGENDA_PER_MEETING

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        digits, _, rest = token.partition(":")
        if not (digits.isdigit() and rest):
            raise ValueError("it should look like 123456789:AAE..., as BotFather gave it")
        return SecretStr(token)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "it is not a database URL; use sqlite+aiosqlite:///./equalsay.db or "
                "postgresql+asyncpg://user:password@host/dbname"
            ) from None
        if url.drivername not in {"sqlite+aiosqlite", "postgresql+asyncpg"}:
            raise ValueError(
                f"the driver {url.drivername!r} is not supported; use sqlite+aiosqlite:// "
                "or postgresql+asyncpg://"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("it is not a time zone name; use one like Europe/London") from None
        return value

    @field_validator("crisis_contacts", "crisis_phrases", mode="before")
    @classmethod
    def _by_language(cls, value: Any, info: ValidationInfo) -> Any:
        """A list is English's; English keeps its default when only other languages are
        given, and the built-in phrases of languages not given stay."""
        name = str(info.field_name)
        if isinstance(value, list | tuple):
            value = {"en": value}
        if not isinstance(value, dict):
            raise ValueError(f"it must be a JSON list like {_LIST_EXAMPLES[name]}")
        if name == "crisis_contacts":
            return {"en": UK_CRISIS_CONTACTS, **value}
        return {"en": DEFAULT_CRISIS_PHRASES, **CRISIS_PHRASES_BY_LANGUAGE, **value}

    @field_validator("crisis_contacts", "crisis_phrases")
    @classmethod
    def _some_lines_each(
        cls, value: dict[str, tuple[str, ...]], info: ValidationInfo
    ) -> dict[str, tuple[str, ...]]:
        # The bot must never run without a way to tell someone where to get help, nor with
        # the crisis check switched off by an empty list, in any language.
        return {code: cls._some_lines(lines, str(info.field_name)) for code, lines in value.items()}

    def contacts_for(self, language: str) -> tuple[str, ...]:
        """The crisis contacts in `language`: its own list if one was given; the built-in
        translation while the deployment keeps the default (UK) contacts; otherwise the
        English list, since a right number in English beats a wrong one translated."""
        own = self.crisis_contacts.get(language)
        if own:
            return own
        english = self.crisis_contacts["en"]
        if english == UK_CRISIS_CONTACTS:
            return UK_CRISIS_CONTACTS_BY_LANGUAGE.get(language, english)
        return english

    @property
    def all_crisis_phrases(self) -> tuple[str, ...]:
        """Every language's phrases, always: people write in the language they think in,
        which need not be the chat's, and a false alarm costs far less than a miss."""
        return tuple(phrase for lines in self.crisis_phrases.values() for phrase in lines)

    @staticmethod
    def _some_lines(value: tuple[str, ...], name: str) -> tuple[str, ...]:
        # The bot must never run without a way to tell someone where to get help, nor with
        # the crisis check switched off by an empty list.
        lines = tuple(line.strip() for line in value)
        if not lines or not all(lines):
            raise ValueError(
                "it needs at least one line, and no empty ones; leave it unset for the "
                f"defaults, or write a JSON list like {_LIST_EXAMPLES[name]}"
            )
        return lines

    @field_validator("feedback_urgent_daily_limit")
    @classmethod
    def _urgent_not_lower(cls, value: int, info: ValidationInfo) -> int:
        # A crisis must never be refused sooner than an ordinary message would be.
        daily = info.data.get("feedback_daily_limit", DEFAULT_DAILY_LIMIT)
        if value < daily:
            raise ValueError(f"it must be at least FEEDBACK_DAILY_LIMIT ({daily})")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return level

    @property
    def token(self) -> str:
        return self.bot_token.get_secret_value()

    @property
    def hash_key(self) -> bytes:
        """The key of the anonymising HMACs (the command line fills SECRET_KEY in from the key
        file at start: bot/startup.py)."""
        secret = self.secret_key.get_secret_value()
        if not secret:
            raise RuntimeError("SECRET_KEY is not set; bot.startup.prepare() fills it in")
        return secret.encode()

    @property
    def heartbeat_file(self) -> Path:
        """One per bot (its number is public, the rest of the token is not)."""
        bot_id = self.token.partition(":")[0]
        return self.health_file or Path(tempfile.gettempdir()) / f"equalsay-{bot_id}.alive"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def disclosure_bar(self) -> Bar:
        """The bar every poll's publication is audited against (bot/domain/disclosure_audit)."""
        return Bar(
            Fraction(self.disclosure_posterior_bound).limit_denominator(1000),
            Fraction(self.disclosure_chance_bound).limit_denominator(1000),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class SettingsError(Exception):
    """A setting is missing or wrong; the message is one line for a deployer."""


def describe_error(error: ValidationError) -> str:
    """One plain line naming the first bad variable and how to fix it."""
    first: Any = error.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "SETTINGS"
    if first["type"] == "missing":
        hint = {
            "BOT_TOKEN": "set BOT_TOKEN to the token BotFather gave you (or run `equalsay demo`)",
        }.get(name, f"set {name}")
        return f"{name} is missing: {hint}."
    message = str(first.get("msg", "")).removeprefix("Value error, ")
    if name == "MODE":
        message = "use polling or webhook"
    elif name.lower() in _LIST_EXAMPLES and first["type"] != "value_error":
        message = f"write it as a JSON list of lines, like {_LIST_EXAMPLES[name.lower()]}"
    return f"{name} is not valid: {message}."


def _check_webhook_url(settings: Settings) -> None:
    """A WEBHOOK_URL Telegram would post to in vain is refused at start, not found out later."""
    url = urlsplit(settings.webhook_url)
    if url.scheme not in {"https", "http"} or not url.hostname:
        raise SettingsError(
            f"WEBHOOK_URL is not valid: it should be a full address like "
            f"https://bot.example.org/{WEBHOOK_PATH}."
        )
    official = settings.telegram_api_url.rstrip("/") == TELEGRAM_API_URL
    if official and url.scheme != "https":
        raise SettingsError("WEBHOOK_URL is not valid: Telegram only posts to https addresses.")
    # A reverse proxy may serve the bot under a prefix (/equalsay/telegram); whatever comes
    # before, the path must end where this server listens.
    if not url.path.endswith(f"/{WEBHOOK_PATH}"):
        raise SettingsError(
            f"WEBHOOK_URL is not valid: its path is {url.path or '/'!r}, but the bot listens "
            f"at /{WEBHOOK_PATH}; end the address with /{WEBHOOK_PATH}, like "
            f"https://{url.netloc}/{WEBHOOK_PATH}."
        )


def load_settings(**overrides: Any) -> Settings:
    """Load settings or raise SettingsError with one readable line."""
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_error(error)) from None
    except PydanticSettingsError as error:
        # A list setting that is not JSON; the library names the field in its message.
        field = re.search(r'field "(\w+)"', str(error))
        name = field.group(1) if field else ""
        example = _LIST_EXAMPLES.get(name, '["first line", "second line"]')
        raise SettingsError(
            f"{name.upper() or 'A list setting'} is not valid: it is not JSON; write it as "
            f"a JSON list of lines, like {example}."
        ) from None
    if settings.mode is Mode.WEBHOOK and not settings.webhook_url:
        raise SettingsError(
            "WEBHOOK_URL is missing: webhook mode needs the public https address Telegram "
            "should post to."
        )
    if settings.mode is Mode.WEBHOOK:
        _check_webhook_url(settings)
    if settings.mode is Mode.WEBHOOK and not settings.webhook_secret_token.get_secret_value():
        raise SettingsError(
            "WEBHOOK_SECRET_TOKEN is missing: webhook mode needs a secret (1-256 letters, digits, "
            "_ or -) so only Telegram can post updates."
        )
    return settings


def exit_with(message: str) -> NoReturn:
    print(f"equalsay: {message}", file=sys.stderr)
    raise SystemExit(2)


def load_settings_or_exit(**overrides: Any) -> Settings:
    """For the command line: a bad setting prints one line and exits with status 2."""
    try:
        return load_settings(**overrides)
    except SettingsError as error:
        exit_with(str(error))
