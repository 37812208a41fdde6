"""`equalsay check`: tells a deployer, in plain lines, what works, what the first start will do,
and what to fix. It creates and changes nothing: no database file, no key file, no table.
"""

from __future__ import annotations

from bot.config import Settings, SettingsError, load_settings
from bot.domain.keyed_hash import key_fingerprint
from bot.startup import (
    DatabaseState,
    StartupError,
    ask_telegram,
    missing_key_problem,
    plan_key,
    read_database,
    safe_url,
    sqlite_path,
    wrong_key_problem,
)
from storage import migrate

OK, NEW, NEXT, FAIL = "OK  ", "NEW ", "NEXT", "FAIL"
Line = tuple[str, str]


async def _telegram(settings: Settings) -> Line:
    answer = await ask_telegram(settings)
    if answer.problem:
        return FAIL, answer.problem
    return OK, f"Telegram accepts the token: the bot is @{answer.username}."


def _database(settings: Settings, state: DatabaseState) -> Line:
    where = str(sqlite_path(settings) or safe_url(settings))
    if not state.exists:
        return NEW, f"There is no database yet ({where}): the first start creates and sets it up."
    if state.revision == migrate.head_revision():
        return OK, "The database is reachable and up to date."
    now = f"at {state.revision}" if state.revision else "empty"
    if settings.is_sqlite:
        return NEXT, f"The database is reachable ({now}): the first start brings it up to date."
    return NEXT, (
        f"The database is reachable ({now}): run `equalsay migrate` once before starting "
        "(the compose file does it before every start)."
    )


def _key(settings: Settings, state: DatabaseState) -> Line:
    try:
        plan = plan_key(settings)
    except StartupError as error:
        return FAIL, str(error)
    if plan.key is None:
        if state.set_up:
            return FAIL, missing_key_problem(state, plan.path)
        return NEW, (
            f"There is no SECRET_KEY yet: the first start makes one and keeps it in "
            f"{plan.path}. Back that file up, apart from the database."
        )
    if state.fingerprint is None:
        return OK, f"The key ({plan.origin}) is strong; the first start records it."
    if state.fingerprint != key_fingerprint(plan.key.encode()):
        return FAIL, wrong_key_problem(plan)
    return OK, f"The key ({plan.origin}) is strong and the one this database was set up with."


async def run_check() -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"{FAIL} {error}")
        return 2
    lines: list[Line] = [(OK, f"The settings load (mode {settings.mode.value}).")]
    lines.append(await _telegram(settings))
    try:
        state = await read_database(settings)
    except StartupError as error:
        lines.append((FAIL, str(error)))
    else:
        lines += [_database(settings, state), _key(settings, state)]
    for status, line in lines:
        print(f"{status} {line}")
    problems = sum(status == FAIL for status, _ in lines)
    print("All good: the bot can start." if not problems else f"{problems} thing(s) to fix.")
    return 1 if problems else 0
