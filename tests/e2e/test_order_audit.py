"""The join-order attack, on a copy of the database, without the secret.

Telegram shows every member of a group "X joined the group", with the day. A copy of the
database that kept the day each person joined, or numbered memberships as they came, gave
back every role by lining the two up (issue 13.1: 9 of 9). Here eighteen people join on
eighteen different days, in a known order, and vote in that order; the attacker then reads
the copy every way that could carry order: dates beside a role, `ORDER BY id`, the order
rows come back in, SQLite's rowid, PostgreSQL's physical position (ctid) and transaction
number (xmin). No way gives back the roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import time_machine
from sqlalchemy import text

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeChat, FakeUser
from storage.engine import create_engine
from tests.e2e.poll_helpers import ROLE_BUTTON, end_reopen_windows, vote
from tests.e2e.privacy_helpers import dump_rows

Row = dict[str, Any]
PER_ROLE = 6  # 18 people: the chance that a random order gives back every role is 6e-8
PERSON_TABLES = ("memberships", "ballots")


async def _as_copied(database_url: str, table: str) -> dict[str, list[Row]]:
    """The table's rows in every order a holder of a copy could read them in."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                query = f"SELECT ctid::text AS _ctid, xmin::text::bigint AS _xmin, * FROM {table}"  # noqa: S608
            else:
                query = f"SELECT rowid AS _rowid, * FROM {table}"  # noqa: S608
            rows = [dict(row._mapping) for row in await connection.execute(text(query))]
    finally:
        await engine.dispose()

    def by(key: Callable[[Row], Any]) -> list[Row]:
        return sorted(rows, key=key)

    orders = {"as stored": rows, "by id": by(lambda r: r["id"])}
    if "_ctid" in rows[0]:
        orders["by position (ctid)"] = by(
            lambda r: tuple(int(n) for n in re.findall(r"\d+", r["_ctid"]))
        )
        orders["by transaction (xmin)"] = by(lambda r: (r["_xmin"], r["_ctid"]))
    else:
        orders["by rowid"] = by(lambda r: r["_rowid"])
    return orders


def _guessed_right(rows: list[Row], roles_in_order: list[str]) -> int:
    """How many people the attack gets right by giving the n-th row's role to the n-th."""
    return sum(row["role"] == role for row, role in zip(rows, roles_in_order, strict=True))


async def _join_on_the_days(
    bot: SandboxBot,
) -> tuple[FakeChat, FakeUser, list[FakeUser], list[str], list[date]]:
    """Eighteen people, six of each role, joining one a day (roles interleaved, as people
    come); Telegram shows the group who joined on which day."""
    fiona = bot.tg.create_user("Fiona", "fiona_f")
    roles = [role for _ in range(PER_ROLE) for role in (Role.CARER, Role.STAFF, Role.SERVICE_USER)]
    people = [bot.tg.create_user(f"Person{n}") for n in range(len(roles))]
    group = bot.tg.create_group("Co-production", members=people, admins=[fiona])
    first_day = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)
    await bot.add_to_group(group, by=fiona)
    welcome = bot.last(group)
    days = []
    for n, (person, role) in enumerate(zip(people, roles, strict=True)):
        moment = first_day + timedelta(days=n, minutes=7 * n)
        days.append(moment.date())
        with time_machine.travel(moment, tick=True):
            await bot.follow_join(person, welcome)
            await bot.press(person, bot.last(bot.private(person)), text=ROLE_BUTTON[role])
    return group, fiona, people, [role.value for role in roles], days


def _dates_in(row: Row) -> list[object]:
    return [value for value in row.values() if isinstance(value, date | datetime)]


async def test_a_copy_does_not_give_roles_by_join_day_or_order(bot_on: SandboxBot) -> None:
    bot = bot_on
    group, fiona, people, roles, days = await _join_on_the_days(bot)
    url = bot.settings.database_url

    # Dates: no row that holds a role holds a date (or a time) as well.
    rows = await dump_rows(url)
    assert sum(table == "memberships" for table, _ in rows) == len(people)
    for table, row in rows:
        if "role" in row:
            assert not _dates_in(row), f"{table} keeps a date beside a role: {row}"

    # Order: lining the rows up with the order people joined in gives back no one's role.
    for order, listed in (await _as_copied(url, "memberships")).items():
        right = _guessed_right(listed, roles)
        assert right < len(people), f"memberships {order}: every role recovered"

    # The same people vote in the same order; once the poll is closed (and its reopen window
    # is over), their ballots are in no order either (while it is open, see docs/PRIVACY.md,
    # residual risks).
    await bot.say(fiona, group, "/poll Keep Tuesdays? | Yes | No")
    poll = bot.last(group)
    for person in people:
        await vote(bot, person, poll, "Yes")
    await bot.say(fiona, group, "/close", reply_to=poll)
    await end_reopen_windows(bot, at_once=True)
    for order, listed in (await _as_copied(url, "ballots")).items():
        assert len(listed) == len(people)
        assert _guessed_right(listed, roles) < len(people), f"ballots {order}: roles in order"
    assert days == sorted(set(days))  # one a day: the dates the attack would have used
