"""After a membership scenario, no table row or log line puts a user id beside a role."""

from __future__ import annotations

import logging

import pytest

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.logs import hold_back_library_logs

# Re-exported: other privacy tests import them from here too.
from tests.e2e.privacy_helpers import dump_tables as dump_tables
from tests.e2e.privacy_helpers import holds_any as holds_any


async def test_no_user_id_beside_a_role(
    bot_on: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    # The worst case a deployer can choose: LOG_LEVEL=DEBUG, with the bot's own log set-up.
    caplog.set_level(logging.DEBUG)
    hold_back_library_logs("DEBUG")
    bot = bot_on
    fiona = bot.tg.create_user("Fiona", "fiona_f")
    people = [bot.tg.create_user(n, n.lower()) for n in ("Sam", "Cara", "Stan")]
    group = bot.tg.create_group("Co-production", members=people, admins=[fiona])
    await bot.add_to_group(group, by=fiona)
    for person, role in zip(people, ["Service user", "Carer", "Staff"], strict=True):
        await bot.follow_join(person, bot.last(group))
        await bot.press(person, bot.last(bot.private(person)), text=role)
    await bot.say(people[1], bot.private(people[1]), "/role")
    await bot.press(people[1], bot.last(bot.private(people[1])), text="Staff")
    await bot.say(fiona, group, "/members")
    await bot.say(people[0], bot.private(people[0]), "/mydata")

    identifiers = {str(p.id) for p in [fiona, *people]} | {p.username or "" for p in people}
    identifiers.discard("")
    role_words = {r.value for r in Role}
    rows = await dump_tables(bot.settings.database_url)
    assert any(table == "memberships" for table, _ in rows), "the scenario stored memberships"
    for table, row in rows:
        cells = " ".join(str(cell) for cell in row)
        if any(word in cells for word in role_words):
            assert not holds_any(cells, identifiers), f"{table} links a person to a role: {row}"

    for record in caplog.records:
        line = record.getMessage()
        mentions_role = any(w in line.lower() for w in (*role_words, "carer", "service user"))
        assert not (mentions_role and holds_any(line, identifiers)), line
