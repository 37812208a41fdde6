"""Concurrent presses through the real Application: group commit keeps one ballot per voter.

PTB's concurrent updates on (as `python -m bench` runs it): presses that are in flight
together are written in one transaction (bot/services/ballot_batch.py). Two presses of one
person in the same batch must still get the statuses they would get one after the other.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import text
from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.domain.keyed_hash import ballot_key
from bot.domain.poll_rules import PollKind
from bot.domain.roles import Role
from bot.harness import SandboxBot
from bot.sandbox import FakeTelegram, SandboxRequest
from bot.services import ballot_presses, polls
from bot.services.ballot_batch import BallotBatcher
from bot.services.ballot_presses import BallotPress
from tests.conftest import make_settings
from tests.e2e.poll_helpers import button, joined_circle, post_poll
from tests.e2e.test_poll_kinds import posted

VoteStatus = polls.VoteStatus


class ConcurrentBot(SandboxBot):
    """The tests' SandboxBot with PTB's concurrent updates on (256 at a time)."""

    def __init__(self, tg: FakeTelegram, settings: Settings) -> None:
        self.tg = tg
        self.settings = settings
        self.app = build_application(
            settings,
            request=SandboxRequest(tg),
            updates_request=SandboxRequest(tg),
            concurrent_updates=True,
        )


async def _raw_ballots(bot: SandboxBot, poll_id: int) -> dict[str, int]:
    async with bot.uow() as uow:
        rows = await uow.session.execute(
            text("SELECT ballot_key, choices FROM ballots WHERE poll_id = :poll"),
            {"poll": poll_id},
        )
        return {str(key): int(choices) for key, choices in rows}


async def test_concurrent_presses_are_batched_and_each_counted_once(
    tg: FakeTelegram, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tg, db_url)
    if not settings.is_sqlite:
        from storage import migrate
        from storage.engine import create_engine

        engine = create_engine(db_url)
        await migrate.upgrade(engine)
        await engine.dispose()

    batches: list[int] = []
    real_write = BallotBatcher._write

    async def counting_write(self: BallotBatcher, batch: list[Any]) -> None:
        batches.append(len(batch))
        await real_write(self, batch)

    monkeypatch.setattr(BallotBatcher, "_write", counting_write)
    applied: dict[tuple[int, int], list[tuple[int, VoteStatus]]] = defaultdict(list)
    real_apply = polls.apply_vote

    async def recording_apply(*args: Any, **kwargs: Any) -> polls.VoteOutcome:
        outcome = await real_apply(*args, **kwargs)
        applied[kwargs["poll_id"], kwargs["user_id"]].append((kwargs["option"], outcome.status))
        return outcome

    monkeypatch.setattr(polls, "apply_vote", recording_apply)
    real_bulk = ballot_presses.apply_presses

    async def recording_bulk(
        uow: Any, secret: bytes, presses: list[BallotPress], now: Any
    ) -> list[polls.VoteOutcome]:
        outcomes = await real_bulk(uow, secret, presses, now)
        bulk_sizes.append(len(presses))
        for press, outcome in zip(presses, outcomes, strict=True):
            applied[press.poll_id, press.user_id].append((press.option or 0, outcome.status))
        return outcomes

    bulk_sizes: list[int] = []
    monkeypatch.setattr(ballot_presses, "apply_presses", recording_bulk)

    async with ConcurrentBot(tg, settings) as bot:
        circle = await joined_circle(bot, {Role.SERVICE_USER: 8, Role.CARER: 8, Role.STAFF: 16})
        single = await post_poll(bot, circle, "Where should we meet? | Library | Café | Online")
        multiple = await posted(
            bot, circle, PollKind.MULTIPLE, "Which topics?", ("Food", "Sleep", "Art"), 2
        )
        voters = circle.everyone()
        applied.clear()
        # Every voter presses twice on each poll in one burst: first presses, then seconds,
        # so a person's two presses are queued together and may share a transaction.
        for round_ in range(2):
            for n, person in enumerate(voters):
                single_label = ("Library", "Café", "Online")[(n + round_) % 3]
                tg.press(person, single, data=button(single, single_label))
                # Even voters tick Food twice (ticked, then unticked: no ballot at all);
                # odd voters tick Food, then Sleep (one ballot holding both).
                multi_label = "Food" if round_ == 0 or n % 2 == 0 else "Sleep"
                tg.press(person, multiple, data=button(multiple, multi_label))
        updates = tg.take_updates()
        for raw in updates:
            bot.app.update_queue.put_nowait(Update.de_json(raw, bot.app.bot))
        await bot.app.update_queue.join()
        assert tg.unanswered_callbacks() == []

        # More presses in one batch than there are (person, poll) pairs: some person's two
        # presses on one poll shared a transaction (pigeonhole).
        assert max(batches) > 2 * len(voters), f"batches too small: {batches}"
        assert sum(batches) <= len(updates)
        # And a batch's presses were written together, not one by one.
        assert max(bulk_sizes) > 2 * len(voters), f"bulk writes too small: {bulk_sizes}"

        secret = bot.settings.hash_key
        single_ballots = await _raw_ballots(bot, 1)
        multiple_ballots = await _raw_ballots(bot, 2)
        # One ballot per voter on the single-answer poll, holding the press applied last.
        assert len(single_ballots) == len(voters)
        for person in voters:
            presses = applied[1, person.id]
            assert [status for _, status in presses] == [VoteStatus.RECORDED, VoteStatus.CHANGED]
            last_option = presses[-1][0]
            assert single_ballots[ballot_key(secret, 1, person.id)] == 1 << last_option
        # Multiple choice toggles, in order, even within one batch.
        for n, person in enumerate(voters):
            statuses = [status for _, status in applied[2, person.id]]
            key = ballot_key(secret, 2, person.id)
            if n % 2 == 0:
                assert statuses == [VoteStatus.RECORDED, VoteStatus.WITHDRAWN]
                assert key not in multiple_ballots
            else:
                assert statuses == [VoteStatus.RECORDED, VoteStatus.CHANGED]
                assert multiple_ballots[key] == 0b011
        # The recount from the raw rows equals the tally the bot shows.
        for poll_id, ballots in ((1, single_ballots), (2, multiple_ballots)):
            recount = [sum(1 for c in ballots.values() if c >> i & 1) for i in range(3)]
            async with bot.uow() as uow:
                snap = await polls.snapshot(uow, poll_id, min_cell=3)
            assert snap is not None and list(snap.tally.raw) == recount
            assert snap.total_voters == len(ballots)
