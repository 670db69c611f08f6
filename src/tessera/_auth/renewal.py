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
from typing import TypeAlias

from tessera._auth.tokens import TokenSet

Waiter: TypeAlias = "asyncio.Future[TokenSet | None]"
"""Resolved with the renewed tokens, or None when the renewal was abandoned (its loop stopped, its task
was cancelled): the waiter then asks again, and the next renewal runs on the waiter's own loop."""
Outcome: TypeAlias = "TokenSet | BaseException | None"


class Renewal:
    """A renewal task and its waiters by loop; `join` and `close` are called under the broker's lock."""

    __slots__ = ("_away", "_home", "ended", "loop", "task")

    def __init__(self, task: asyncio.Task[TokenSet]) -> None:
        self.task = task
        self.loop = task.get_loop()
        self.ended = False
        self._home: list[Waiter] = []
        """Waiters on the task's own loop: the common case, kept apart from a dict lookup."""
        self._away: dict[asyncio.AbstractEventLoop, list[Waiter]] = {}

    def join(self, loop: asyncio.AbstractEventLoop) -> tuple[Waiter, bool]:
        """A future of the caller's own; True when it is the first waiter of its loop (not the task's)."""
        waiter: Waiter = loop.create_future()
        if loop is self.loop:
            self._home.append(waiter)
            return waiter, False
        waiters = self._away.get(loop)
        if waiters is None:
            self._away[loop] = [waiter]
            return waiter, True
        waiters.append(waiter)
        return waiter, False

    def stalled(self) -> bool:
        """Whether the task's loop has stopped or closed: the task may never run again."""
        return self.loop.is_closed() or not self.loop.is_running()

    def close(self) -> dict[asyncio.AbstractEventLoop, list[Waiter]]:
        """Mark it ended and hand over its waiters: a caller that comes later starts another renewal."""
        self.ended = True
        waiters = {self.loop: self._home, **self._away}
        self._home, self._away = [], {}
        return waiters


def outcome_of(task: asyncio.Task[TokenSet]) -> Outcome:
    """What the task's waiters receive: its tokens, its error, or None for a cancelled task.

    The error is retrieved here, whoever waits: a background renewal's failure may have no waiter, and
    asyncio would log it as never retrieved.
    """
    if task.cancelled():
        return None
    return task.exception() or task.result()


def settle(waiters: dict[asyncio.AbstractEventLoop, list[Waiter]], outcome: Outcome) -> None:
    """Hand `outcome` to every waiter, each on its own loop (called on the renewal's loop)."""
    here = asyncio.get_running_loop()
    for loop, futures in waiters.items():
        if not futures:
            continue
        if loop is here:
            _settle(futures, outcome)
            continue
        # A loop closed meanwhile has no waiter left to wake.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(_settle, futures, outcome)


def _settle(futures: list[Waiter], outcome: Outcome) -> None:
    for future in futures:
        if future.done():  # cancelled, or given up at its own deadline
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(detached(outcome))
        else:
            future.set_result(outcome)


def expire(waiter: Waiter) -> None:
    """The waiter's own deadline: it stops waiting, the renewal goes on."""
    if not waiter.done():
        waiter.set_exception(TimeoutError())


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
