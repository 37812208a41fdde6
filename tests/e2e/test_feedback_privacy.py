"""After a feedback scenario, no table row or log line puts the sender beside their feedback."""

from __future__ import annotations

import logging

import pytest

from bot.harness import SandboxBot
from bot.logs import hold_back_library_logs
from bot.scheduling.feedback_sweep import sweep
from tests.e2e.feedback_helpers import send_feedback, set_delivery, stored
from tests.e2e.poll_helpers import Circle, context_of, joined_circle
from tests.e2e.test_membership_privacy import dump_tables, holds_any


async def test_nothing_links_the_sender_to_their_feedback(
    bot_on: SandboxBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    hold_back_library_logs("DEBUG")
    bot = bot_on
    circle: Circle = await joined_circle(bot)
    sender = bot.tg.create_user("Sender", "sender_sue")
    bot.tg.add_member(circle.group, sender)
    await bot.follow_join(sender, next(m for m in bot.tg.messages(circle.group) if m.buttons))
    await bot.press(sender, bot.last(bot.private(sender)), text="Service user")

    texts = ["Moderated words zebra", "Crisis words I want to end my life", "Direct words okapi"]
    await send_feedback(bot, sender, texts[0])
    await bot.press(circle.fiona, bot.last(bot.private(circle.fiona)), text="Publish in the group")
    await send_feedback(bot, sender, texts[1])
    await set_delivery(bot, circle, "Straight to the group")
    await send_feedback(bot, sender, texts[2])
    await sweep(context_of(bot))
    items = await stored(bot)
    assert [i.text for i in items] == texts

    identifiers = {str(sender.id), "sender_sue"}
    feedback_ids = {str(i.id) for i in items}
    rows = await dump_tables(bot.settings.database_url)
    assert any(table == "feedback" for table, _ in rows)
    for table, row in rows:
        cells = " ".join(str(cell) for cell in row)
        if any(text in cells for text in texts) or table == "feedback":
            assert not holds_any(cells, identifiers), f"{table} links the sender: {row}"
    # The sender is not even findable by keyed hash beside their feedback: feedback rows hold
    # only these columns.
    feedback_columns = {"id", "group_id", "text", "role_tag", "status", "urgent"}
    assert feedback_columns <= set(_columns(bot))

    assert caplog.records, "the scenario logged something"
    for record in caplog.records:
        line = record.getMessage()
        for text in texts:
            assert text not in line, f"feedback text in a log line: {line}"
        assert "zebra" not in line and "okapi" not in line and "end my life" not in line
        if "feedback" in line.lower() or holds_any(line, feedback_ids):
            assert not holds_any(line, identifiers), line


def _columns(bot: SandboxBot) -> list[str]:
    from storage.models import Feedback

    columns = [c.name for c in Feedback.__table__.columns]
    assert not any("user" in c or "key" in c or "sender" in c for c in columns), columns
    return columns
