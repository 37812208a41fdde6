"""Group titles are typed by people too: any title, through joining, roles, feedback and data.

A new group with a hostile title (Unicode, right-to-left, emoji, control characters, HTML, up
to Telegram's 128 characters) adds the bot; a member joins through the Join link and picks a
role, asks /feedback (whose group buttons carry the title) and /mydata, and the facilitator
asks /members. Besides the checks every example gets (see world.py), the person reads the
title back as it is, wherever the bot names the group.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.roles import ROLES
from tests.e2e.poll_helpers import ROLE_BUTTON
from tests.property.strategies import exactly, hostile_text
from tests.property.world import World, running_world

CI = settings.get_profile("ci")
EXAMPLES = 60

titles = st.one_of(hostile_text(max_size=10), exactly(128)).map(
    lambda title: title.strip()[:128] or "?"
)


async def join_a_group_named(world: World, title: str, role_index: int) -> None:
    w = world
    what = f"a group called {title!r}"
    before = w.mark()
    fiona = w.tg.create_user("Fiona")
    member = w.tg.create_user("Member")
    group = w.tg.create_group(title, members=[member], admins=[fiona])
    await w.bot.add_to_group(group, by=fiona)
    welcome = w.join_message_in(group)
    await w.bot.follow_join(member, welcome)
    role = ROLES[role_index % len(ROLES)]
    private = w.bot.private(member)
    await w.bot.press(member, w.bot.last(private), text=ROLE_BUTTON[role])
    await w.bot.say(member, private, "/feedback")
    await w.bot.say(member, private, "/mydata")
    await w.bot.start(fiona)
    await w.bot.say(fiona, group, "/members")
    await w.check(before, what)
    shown = [m.text or "" for m in w.tg.messages(private)]
    assert any(title in text for text in shown), f"{what}: the title is never shown as it is"


def test_any_group_title_is_shown_as_it_is(tmp_path: Path) -> None:
    with running_world(tmp_path / "equalsay.db") as (world, run):

        @settings(CI, max_examples=EXAMPLES)
        @given(title=titles, role=st.integers(0, 2))
        def group(title: str, role: int) -> None:
            run(lambda w: join_a_group_named(w, title, role))

        group()
        assert world.examples >= EXAMPLES  # what __init__.py counts really ran
