"""Group commit for ballot presses: presses in flight at the same time share ONE transaction.

Why: on SQLite the process is CPU-bound, and every statement costs several hand-offs to
aiosqlite's thread; a press alone pays for its own session, its own commit and its own
connection check-out and reset. With PTB's concurrent updates many presses wait at once, so
the ones that queue up while a transaction is being written are applied together in the
next one, and answered after its single commit.

How, and what stays true:
- A press that finds nothing in flight is written at once, in its own task and its own
  transaction, exactly as before: one press at a time costs no more than it did.
- A press that arrives while a transaction is being written joins the queue; one drain task
  takes everything queued (up to `MAX_BATCH`) into the next transaction, in arrival order.
  The presses that came with a `press` (ballot presses) are written together by `bulk`
  (bot/services/ballot_presses.py: one claim, three reads and at most three writes for the
  run, each press judged in order on what the ones before it left); any other work runs
  alone inside the same transaction. Either way two presses of one person in a batch get the
  statuses they would get one after the other. The unique key on (poll, ballot key) still
  arbitrates against other processes.
- Nothing is answered before the commit. If anything in a batch fails (one press's
  error, or PostgreSQL breaking a deadlock between two replicas' batches), the whole
  transaction is rolled back and each of its presses is written again alone, in its own
  transaction (each press re-reads what it needs, so running it again is safe): the presses
  that succeed alone are counted, and only one that fails alone gets `BallotBatchError`
  (the error handler tells that person). None is silently dropped or half-written.
- Row locks are taken in one fixed order (PostgreSQL, several replicas): each press comes with
  a `lock_order` key, (poll, person, update), and a batch is written sorted by it (a stable
  sort, so one person's presses keep their order). Two replicas' batches that touch the same
  ballots therefore lock them in the same order, and one waits for the other instead of
  deadlocking (tests/integration/test_batch_lock_order.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from storage.uow import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")
Work = Callable[[UnitOfWork], Awaitable[T]]
# The rows a press locks, as a sort key: (poll id, user id, update id) for a ballot; () for a
# write that locks no ballot (an update's claim), which goes first, in arrival order.
LockOrder = tuple[int, ...]
# Writes a run of presses (their `press` values) in one go, one result each, in order:
# bot/services/ballot_presses.py. Each press's `work` does the same alone.
Bulk = Callable[[UnitOfWork, list[Any]], Awaitable[list[Any]]]


@dataclass(slots=True)
class Queued:
    lock_order: LockOrder
    work: Work[Any]
    future: asyncio.Future[Any]
    press: Any = None  # what `Bulk` takes in place of `work`, when this press has one


log = logging.getLogger(__name__)


class BallotBatchError(RuntimeError):
    """The shared transaction this press was in failed; nothing of it was written."""


class BallotBatcher:
    """Runs ballot writes (`apply_vote`, `apply_withdrawal`) and commits them, in groups."""

    MAX_BATCH = 256  # PTB's concurrent_updates(True): at most this many presses wait at once

    def __init__(
        self, uow: UnitOfWorkFactory, *, batching: bool = True, bulk: Bulk | None = None
    ) -> None:
        self._uow = uow
        self._batching = batching
        self._bulk = bulk
        self._queue: list[Queued] = []
        self._busy = False  # a transaction of presses is being written
        self._drainer: asyncio.Task[None] | None = None

    async def apply(self, work: Work[T], lock_order: LockOrder = (), press: Any = None) -> T:
        """Run `work` in a transaction, commit, and return its result. `lock_order`: where it
        goes in a batch (see the module's doc); equal keys keep their arrival order. `press`:
        the same work as data, for the batcher's `bulk` to write with the presses around it."""
        if not self._batching:
            return await self._alone(work)
        if not self._busy and not self._queue:
            # Nothing in flight: no hand-off to another task, no waiting.
            self._busy = True
            try:
                return await self._alone(work)
            finally:
                self._busy = False
                self._start_drain()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append(Queued(lock_order, work, future, press))
        self._start_drain()
        return await future

    async def close(self) -> None:
        """post_shutdown: let the presses already queued be written and answered."""
        while self._drainer is not None:
            await asyncio.shield(self._drainer)

    async def _alone(self, work: Work[T]) -> T:
        async with self._uow() as uow:
            result = await work(uow)
            await uow.commit()
            return result

    def _start_drain(self) -> None:
        if self._queue and not self._busy and self._drainer is None:
            self._drainer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        self._busy = True
        try:
            while self._queue:  # presses queue up while each batch is written
                batch = self._queue[: self.MAX_BATCH]
                del self._queue[: self.MAX_BATCH]
                batch.sort(key=lambda queued: queued.lock_order)  # stable: a person's in order
                await self._write(batch)
        except BaseException:
            self._fail(self._queue, asyncio.CancelledError())  # cancelled: fail, not strand
            self._queue.clear()
            raise
        finally:
            # No await between the last look at the queue and here: no press is stranded.
            self._busy = False
            self._drainer = None

    async def _write(self, batch: list[Queued]) -> None:
        results: list[Any] = []
        try:
            async with self._uow() as uow:
                for run in self._runs(batch):  # lock order; each sees the ones before it
                    if len(run) > 1 and self._bulk is not None:
                        results.extend(await self._bulk(uow, [queued.press for queued in run]))
                    else:
                        results.append(await run[0].work(uow))
                await uow.commit()
        except Exception as error:
            if len(batch) == 1:
                self._fail(batch, error)
            else:
                # Only the kind of error: nothing here may name a person or a choice.
                log.warning(
                    "a batch of %d ballot writes failed (%s); writing each alone",
                    len(batch),
                    _root(error),
                )
                await self._each_alone(batch)
            return
        except BaseException as error:
            self._fail(batch, error)
            raise  # cancelled: the presses are failed, the drain stops
        for queued, result in zip(batch, results, strict=True):
            if not queued.future.done():  # its handler may have been cancelled meanwhile
                queued.future.set_result(result)

    def _runs(self, batch: list[Queued]) -> Iterator[list[Queued]]:
        """The batch cut into runs written together: each unbroken run of presses that come
        with a `press` is one run (for `bulk`); any other work is a run of its own."""
        run: list[Queued] = []
        for queued in batch:
            if queued.press is not None and self._bulk is not None:
                run.append(queued)
                continue
            if run:
                yield run
                run = []
            yield [queued]
        if run:
            yield run

    async def _each_alone(self, batch: list[Queued]) -> None:
        """The batch failed as a whole: each press again, in its own transaction."""
        for index, queued in enumerate(batch):
            try:
                result = await self._alone(queued.work)
            except Exception as error:
                self._fail([queued], error)
                continue
            except BaseException as error:
                self._fail(batch[index:], error)  # cancelled: fail the rest, never strand it
                raise
            if not queued.future.done():
                queued.future.set_result(result)

    @staticmethod
    def _fail(batch: list[Queued], error: BaseException) -> None:
        for queued in batch:
            if not queued.future.done():
                failure = BallotBatchError("a ballot write failed; nothing of it was written")
                failure.__cause__ = error
                queued.future.set_exception(failure)


def _root(error: BaseException) -> str:
    """The driver's own error under SQLAlchemy's wrappers, e.g. DeadlockDetectedError."""
    while error.__cause__ is not None:
        error = error.__cause__
    return type(error).__name__
