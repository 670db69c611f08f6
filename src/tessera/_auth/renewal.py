"""One renewal in flight for a credential, and the callers waiting for it on any thread's event loop.

The renewal runs as a task on the loop of the caller that started it. Each waiter awaits a future of
its own, made on its own loop: when the task ends, the waiters of its loop are settled directly and
those of every other loop through that loop's `call_soon_threadsafe`, one call per loop. A waiter's
future is the only thing its cancellation touches, so cancelling a waiter on any loop cancels neither
the renewal nor another waiter.

What a waiter receives carries no frame of the renewal: a failure is handed to each waiter as a copy
of its own without a traceback (see `detached`), so an error a caller keeps, or a refusal the broker
remembers, pins neither the login's frames (its body holds the password) nor another caller's.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
from typing import TypeAlias

from tessera._auth.tokens import TokenSet

Waiter: TypeAlias = "asyncio.Future[TokenSet | None]"
"""Resolved with the renewed tokens, or None when the renewal was abandoned (its loop stopped, its task
was cancelled): the waiter then asks again, and the next renewal runs on the waiter's own loop."""
Outcome: TypeAlias = "TokenSet | BaseException | None"


class Renewal:
    """A renewal task and its waiters by loop; `join` and `close` are called under the broker's lock."""

    __slots__ = ("_waiting", "ended", "loop", "task")

    def __init__(self, task: asyncio.Task[TokenSet]) -> None:
        self.task = task
        self.loop = task.get_loop()
        self.ended = False
        self._waiting: dict[asyncio.AbstractEventLoop, Waiting] = {}

    def join(self, loop: asyncio.AbstractEventLoop, deadline: float | None) -> tuple[Waiter, bool]:
        """A future of the caller's own, given up at `deadline` (loop time); True if first of a loop not the task's."""
        waiting = self._waiting.get(loop)
        first = waiting is None
        if waiting is None:
            waiting = self._waiting[loop] = Waiting(loop)
        return waiting.add(deadline), first and loop is not self.loop

    def stalled(self) -> bool:
        """Whether the task's loop has stopped or closed: the task may never run again."""
        return self.loop.is_closed() or not self.loop.is_running()

    def close(self) -> list[Waiting]:
        """Mark it ended and hand over its waiters: a caller that comes later starts another renewal."""
        self.ended = True
        waiting, self._waiting = list(self._waiting.values()), {}
        return waiting


class Waiting:
    """The waiters of one loop, and their deadlines: one timer for all of them, at the earliest.

    A timer handle per waiter would cost 10,000 of them under 10,000 waiters (bench/broker.py); deadlines
    come in nearly sorted (a join's time plus a handful of distinct timeouts), so the heap is cheap.
    Touched only on its own loop, but for `close`, under the broker's lock.
    """

    __slots__ = ("_deadlines", "_serial", "_timer", "futures", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.futures: list[Waiter] = []
        self._deadlines: list[tuple[float, int, Waiter]] = []
        self._serial = 0
        self._timer: asyncio.TimerHandle | None = None

    def add(self, deadline: float | None) -> Waiter:
        waiter: Waiter = self.loop.create_future()
        self.futures.append(waiter)
        if deadline is not None:
            self._serial += 1
            heapq.heappush(self._deadlines, (deadline, self._serial, waiter))
            if self._timer is None or deadline < self._timer.when():
                if self._timer is not None:
                    self._timer.cancel()
                self._timer = self.loop.call_at(deadline, self._expire)
        return waiter

    def _expire(self) -> None:
        """The earliest deadline has come: those waiters stop waiting, the renewal goes on."""
        now, deadlines = self.loop.time(), self._deadlines
        while deadlines and deadlines[0][0] <= now:
            waiter = heapq.heappop(deadlines)[2]
            if not waiter.done():
                waiter.set_exception(TimeoutError())
        self._timer = self.loop.call_at(deadlines[0][0], self._expire) if deadlines else None

    def settle(self, outcome: Outcome) -> None:
        """Hand `outcome` to every waiter still waiting (on this loop)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._deadlines.clear()
        for future in self.futures:
            if future.done():  # cancelled, or given up at its own deadline
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(detached(outcome))
            else:
                future.set_result(outcome)


def outcome_of(task: asyncio.Task[TokenSet]) -> Outcome:
    """What the task's waiters receive: its tokens, its error, or None for a cancelled task.

    The error is retrieved here, whoever waits: a background renewal's failure may have no waiter, and
    asyncio would log it as never retrieved.
    """
    if task.cancelled():
        return None
    return task.exception() or task.result()


def settle(waiting: list[Waiting], outcome: Outcome) -> None:
    """Hand `outcome` to every waiter, each on its own loop (called on a running loop)."""
    here = asyncio.get_running_loop()
    for each in waiting:
        if each.loop is here:
            each.settle(outcome)
            continue
        # A loop closed meanwhile has no waiter left to wake.
        with contextlib.suppress(RuntimeError):
            each.loop.call_soon_threadsafe(each.settle, outcome)


def detached(error: BaseException) -> BaseException:
    """A copy of `error` for one caller: no traceback, and causes stripped of theirs.

    Raising one error object from many callers would give it the frames of whichever raised it last,
    and the renewal's own frames hold the login body. A copy each keeps every caller's traceback to
    its own frames. Made without calling `__init__` (tessera's errors take keyword-only fields).
    """
    try:
        copy = type(error).__new__(type(error), *error.args)
        copy.__dict__.update(error.__dict__)
    except (TypeError, AttributeError):  # an exception type that cannot be copied: stripped in place
        copy = error
    copy.__traceback__ = None
    copy.__cause__, copy.__context__ = error.__cause__, error.__context__
    copy.__suppress_context__ = error.__suppress_context__
    pending, stripped = [error.__cause__, error.__context__], set()
    while pending:
        cause = pending.pop()
        if cause is None or id(cause) in stripped:
            continue
        stripped.add(id(cause))
        cause.__traceback__ = None
        pending += [cause.__cause__, cause.__context__]
    return copy
