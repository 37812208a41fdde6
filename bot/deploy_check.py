"""`equalsay check`: tells a deployer, in plain lines, what works and what to fix."""

from __future__ import annotations

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.config import Settings, SettingsError, load_settings
from storage import migrate
from storage.engine import create_engine

OK, FAIL = "OK  ", "FAIL"


async def _telegram(settings: Settings) -> str | None:
    api = settings.telegram_api_url.rstrip("/")
    bot = Bot(settings.token, base_url=api if api.endswith("/bot") else f"{api}/bot")
    try:
        async with bot:
            me = await bot.get_me()
    except InvalidToken:
        return "Telegram did not accept BOT_TOKEN. Copy it again from BotFather."
    except TelegramError as error:
        return f"Telegram could not be reached at {settings.telegram_api_url}: {error}"
    print(f"{OK} Telegram accepts the token: the bot is @{me.username}.")
    return None


async def _database(settings: Settings) -> str | None:
    engine = create_engine(settings.database_url)
    try:
        current = await migrate.current_revision(engine)
    except Exception as error:  # any driver error means "not reachable"; say which
        return f"The database at DATABASE_URL cannot be reached: {type(error).__name__}: {error}"
    finally:
        await engine.dispose()
    print(f"{OK} The database is reachable.")
    if current != migrate.head_revision():
        hint = (
            "it will be migrated when the bot starts"
            if settings.is_sqlite
            else ("run `equalsay migrate`")
        )
        return f"The database is not up to date (at {current or 'nothing'}): {hint}."
    print(f"{OK} The database is up to date.")
    return None


def _secret(settings: Settings) -> str | None:
    if settings.secret_key.get_secret_value():
        print(f"{OK} SECRET_KEY is set.")
        return None
    # Without it the hashes hang on the token: a token revoked in BotFather would forget
    # every role and let everyone vote again in open polls.
    return (
        "SECRET_KEY is not set. Set it to a long random string and keep it: "
        'python -c "import secrets; print(secrets.token_urlsafe(48))"'
    )


async def run_check() -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"{FAIL} {error}")
        return 2
    print(f"{OK} The settings load (mode {settings.mode.value}).")
    checks = (_secret(settings), await _telegram(settings), await _database(settings))
    problems = [p for p in checks if p]
    for problem in problems:
        print(f"{FAIL} {problem}")
    print("All good." if not problems else f"{len(problems)} thing(s) to fix.")
    return 1 if problems else 0
