"""The ballot batcher: alone at once, queued presses in one transaction, failures to each."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any, cast

import pytest

from bot.services.ballot_batch import BallotBatcher, BallotBatchError
from storage.uow import UnitOfWork, UnitOfWorkFactory


class FakeUnitOfWork:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    async def __aenter__(self) -> FakeUnitOfWork:
        self.log.append("begin")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.log.append("end")

    async def commit(self) -> None:
        self.log.append("commit")


def batcher(log: list[str]) -> BallotBatcher:
    return BallotBatcher(cast(UnitOfWorkFactory, lambda: FakeUnitOfWork(log)))


def work(log: list[str], name: str, gate: asyncio.Event | None = None, fail: bool = False) -> Any:
    async def run(uow: UnitOfWork) -> str:
        if gate is not None:
            await gate.wait()
        if fail:
            raise RuntimeError(f"{name} broke")
        log.append(name)
        return name

    return run


async def test_a_press_alone_is_written_at_once_in_its_own_transaction() -> None:
    log: list[str] = []
    assert await batcher(log).apply(work(log, "a")) == "a"
    assert log == ["begin", "a", "commit", "end"]


async def test_presses_queued_meanwhile_share_one_commit_in_arrival_order() -> None:
    log: list[str] = []
    ballots = batcher(log)
    gate = asyncio.Event()
    first = asyncio.create_task(ballots.apply(work(log, "a", gate)))
    await asyncio.sleep(0)
    rest = [asyncio.create_task(ballots.apply(work(log, name))) for name in "bcd"]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(first, *rest) == ["a", "b", "c", "d"]
    assert log == ["begin", "a", "commit", "end", "begin", "b", "c", "d", "commit", "end"]
    await ballots.close()


async def test_a_batch_is_written_in_lock_order_a_persons_presses_in_arrival_order() -> None:
    """Every replica locks ballots in the same order (no deadlock between two batches); one
    person's two presses keep their order, so the later one stands."""
    log: list[str] = []
    ballots = batcher(log)
    gate = asyncio.Event()
    first = asyncio.create_task(ballots.apply(work(log, "a", gate)))
    await asyncio.sleep(0)
    queued = [("p9", (1, 9)), ("p2-first", (1, 2)), ("claim", ()), ("p2-then", (1, 2))]
    rest = [asyncio.create_task(ballots.apply(work(log, name), order)) for name, order in queued]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(first, *rest) == ["a", "p9", "p2-first", "claim", "p2-then"]
    assert log[4:] == ["begin", "claim", "p2-first", "p2-then", "p9", "commit", "end"]
    await ballots.close()


async def test_a_failed_batch_is_written_again_press_by_press() -> None:
    """One press that breaks (or a deadlock between replicas) must not cost its neighbours
    their votes: the batch is rolled back, then each press is written alone."""
    log: list[str] = []
    ballots = batcher(log)
    gate = asyncio.Event()
    first = asyncio.create_task(ballots.apply(work(log, "a", gate)))
    await asyncio.sleep(0)
    rest = [asyncio.create_task(ballots.apply(work(log, name, fail=name == "c"))) for name in "bcd"]
    await asyncio.sleep(0)
    gate.set()
    assert await first == "a"
    assert await rest[0] == "b"
    with pytest.raises(BallotBatchError):
        await rest[1]
    assert await rest[2] == "d"
    assert log == [
        *("begin", "a", "commit", "end"),
        *("begin", "b", "end"),  # the batch: c broke it, nothing committed
        *("begin", "b", "commit", "end"),  # then each alone
        *("begin", "end"),  # c fails alone too: only c's person is told
        *("begin", "d", "commit", "end"),
    ]
    # The batcher carries on: the next press is written.
    assert await ballots.apply(work(log, "e")) == "e"


async def test_cancelled_while_writing_press_by_press_fails_the_rest_never_strands_them() -> None:
    log: list[str] = []
    ballots = batcher(log)
    gate, hang, alone = asyncio.Event(), asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(ballots.apply(work(log, "a", gate)))
    await asyncio.sleep(0)
    calls = {"b": 0}

    async def b_then_hang(uow: UnitOfWork) -> str:
        calls["b"] += 1
        if calls["b"] == 2:  # written alone, after the batch failed: the drain is cancelled
            alone.set()
            await hang.wait()
        return "b"

    rest = [
        asyncio.create_task(ballots.apply(b_then_hang)),
        asyncio.create_task(ballots.apply(work(log, "c", fail=True))),
        asyncio.create_task(ballots.apply(work(log, "d"))),
    ]
    await asyncio.sleep(0)
    gate.set()
    assert await first == "a"
    await alone.wait()
    drainer = ballots._drainer
    assert drainer is not None
    drainer.cancel()
    done, pending = await asyncio.wait(rest, timeout=1)
    assert not pending, "every press in the batch is resolved"
    for task in done:
        with pytest.raises(BallotBatchError):
            task.result()
