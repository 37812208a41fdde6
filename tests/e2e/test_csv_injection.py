"""A member-typed formula cannot run in a facilitator's spreadsheet, whatever its separator.

The attack goes through Telegram: a poll whose question and options hide a formula after a
`;`, a tab or a `|`; the facilitator exports the results and the decision log.
"""

from __future__ import annotations

from bot.harness import SandboxBot
from tests.e2e.poll_helpers import button, close_by_button, joined_circle, post_poll, vote
from tests.unit.views.test_poll_export import assert_no_cell_is_a_formula


async def test_exported_polls_hide_no_formula_after_a_separator(bot: SandboxBot) -> None:
    circle = await joined_circle(bot)
    poll = await post_poll(
        bot, circle, 'Budget;=HYPERLINK("http://evil.example","Open") | Yes;@SUM(A1) | No\t=1+1'
    )
    for user in circle.everyone():
        await vote(bot, user, poll, "Yes")
    assert "closed" in (await close_by_button(bot, circle.fiona, poll)).lower()
    await bot.press(circle.fiona, poll, data=button(poll, "CSV"))
    await bot.say(circle.fiona, circle.group, "/decisions")

    files = [m.document for m in bot.tg.messages(bot.private(circle.fiona)) if m.document]
    assert len(files) == 2
    for document in files:
        text = document.data.decode("utf-8-sig")
        assert "HYPERLINK" in text and "SUM(A1)" in text  # kept, as text
        assert_no_cell_is_a_formula(document.data)
