"""A burst of presses: few edits, the final state shown; the tally is one query; no ids kept."""

from __future__ import annotations

import logging
import random
import re
import time
from typing import Any

import pytest
from sqlalchemy import event, select

from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.logs import hold_back_library_logs
from bot.scheduling.edits import EDIT_INTERVAL
from bot.services import polls
from storage.models import Ballot
from tests.e2e.poll_helpers import button, close_by_button, eventually, joined_circle, post_poll
from tests.e2e.test_membership_privacy import dump_tables, holds_any


async def test_a_thousand_presses_give_few_edits_and_the_final_tally(bot: SandboxBot) -> None:
    sizes = {Role.SERVICE_USER: 8, Role.CARER: 6, Role.STAFF: 16}
    circle = await joined_circle(bot, sizes)
    poll = await post_poll(bot, circle, "Where should we meet? | Library | Café | Online")
    edit_times: list[float] = []
    real_call = bot.tg.call

    async def recording_call(method: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        status, body = await real_call(method, params, **kw)
        if method == "editMessageText" and params and params.get("chat_id") == circle.group.id:
            edit_times.append(time.monotonic())
        assert status != 429, "the bot must stay inside the flood limits"
        return status, body

    bot.tg.call = recording_call  # type: ignore[method-assign]
    rng = random.Random(7)
    voters = circle.everyone()
    labels = ["Library", "Café", "Online"]
    for _burst in range(20):  # 20 bursts of 50 queued presses
        for _ in range(50):
            bot.tg.press(rng.choice(voters), poll, data=button(poll, rng.choice(labels)))
        await bot.deliver()
    assert bot.tg.unanswered_callbacks() == []

    async with bot.uow() as uow:
        final = await polls.snapshot(uow, 1, min_cell=3)
    assert final is not None and final.total_voters == len(voters)
    expected = f"{len(voters)} people have voted"
    await eventually(lambda: expected in (poll.text or ""), "the final count", EDIT_INTERVAL * 3)
    window = [t for t in edit_times if t >= edit_times[-1] - 60]
    assert len(window) <= 20
    assert len(edit_times) <= 20 * (1 + int((edit_times[-1] - edit_times[0]) // 60))
    # Nothing changes after the last edit: the message shows the final state.
    settled = poll.text
    await eventually(lambda: not bot.app.bot_data.coalescer.pending(1), "nothing pending")
    assert poll.text == settled


async def test_the_tally_is_one_aggregate_query(bot_on: SandboxBot) -> None:
    circle = await joined_circle(bot_on)
    poll = await post_poll(bot_on, circle, "Meet monthly? | Yes | No | Maybe")
    for index, user in enumerate(circle.everyone()):
        await bot_on.press(user, poll, data=button(poll, ["Yes", "No", "Maybe"][index % 3]))
    engine = bot_on.app.bot_data.engine
    assert engine is not None
    statements: list[tuple[Any, str]] = []

    def record(*args: Any) -> None:
        statements.append((args[0], str(args[2])))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with bot_on.uow() as uow:
            ours = (await uow.session.connection()).sync_connection
            snap = await polls.snapshot(uow, 1, min_cell=3)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert snap is not None and snap.total_voters == len(circle.everyone())
    # Only this snapshot's statements: the bot may be rendering the poll message at the same
    # moment (the last press's edit), on another connection, with a tally of its own.
    ballot_queries = [s for conn, s in statements if conn is ours and "ballots" in s.lower()]
    assert len(ballot_queries) == 1
    assert "group by" in ballot_queries[0].lower()


async def test_no_user_id_in_ballots_or_beside_a_choice_in_logs(
    bot_on: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    hold_back_library_logs("DEBUG")
    bot = bot_on
    circle = await joined_circle(bot)
    poll = await post_poll(bot, circle, "Meet monthly? | Yes | No")
    for index, user in enumerate(circle.everyone()):
        await bot.press(user, poll, data=button(poll, "Yes" if index % 2 else "No"))
    await bot.press(circle.members[Role.CARER][0], poll, data=button(poll, "Withdraw"))
    await close_by_button(bot, circle.fiona, poll)

    people = [circle.fiona, *circle.everyone()]
    identifiers = {str(p.id) for p in people} | {p.username for p in people if p.username}
    rows = await dump_tables(bot.settings.database_url)
    ballot_rows = [row for table, row in rows if table == "ballots"]
    assert len(ballot_rows) == len(circle.everyone()) - 1
    for row in ballot_rows:
        assert not holds_any(" ".join(map(str, row)), identifiers), row
    async with bot.uow() as uow:
        keys = list(await uow.session.scalars(select(Ballot.ballot_key)))
    assert len(set(keys)) == len(keys)
    choice_words = ("Yes", "No", "choice", "chose", "vote")
    for record in caplog.records:
        line = record.getMessage()
        if any(word in line for word in choice_words):
            assert not holds_any(line, identifiers), line
    assert not any(re.search(r"\b(chose|voted)\b", r.getMessage()) for r in caplog.records)
