"""The token broker: one renewal in flight per credential, shared by every coroutine and client.

- Single flight: a renewal runs as its own task, one per credential and event loop; every caller
  that needs it awaits that task. Starting it is a check-and-set with no await in between, under a
  threading lock because the registry hands the same broker to every thread's loop.
- Proactive: inside the renewal window the current token is still served while a background task
  renews it, so traffic rarely meets an expired token.
- Cancellation-safe: each waiter awaits a future of its own, which the task's done callback resolves
  with the task's outcome, so cancelling a waiter (even the one that started it) cancels neither the
  renewal nor the other waiters. One future per waiter is the least that allows this: awaiting the
  task itself would cancel it with the first waiter cancelled, `asyncio.shield` costs two futures and
  a callback, and `asyncio.Event.wait` a coroutine more; at 10,000 waiters those tripled or doubled
  their latency (bench/broker.py).
- Stale 401s: a refusal of a token that is no longer current only asks the caller to retry with the
  current one; a refusal of the current token starts (at most) one renewal.
- Failures: a refused login is remembered and answered from memory, with a backoff that doubles,
  so a wrong password costs a handful of requests however many callers there are. A renewal that
  fails for a passing reason (5xx, timeout, connection) while the token is still good keeps serving
  it and tries again later.
- Timeouts: a waiter whose timeout is shorter than what the renewal's requests may take (a per-call
  timeout, another client's renewal) stops waiting at its own timeout; the renewal goes on.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading

import attrs

from tessera._auth.rejection import Rejection
from tessera._auth.secrets import Secret
from tessera._auth.shared import SharedTokens, TokenSource
from tessera._auth.tokens import TokenSet
from tessera.clock import Clock
from tessera.errors import AuthenticationError, RateLimited, ServerError, TesseraError, TransportError

logger = logging.getLogger("tessera")

_RETRY_PASSING_FAILURE = 5.0
"""Seconds before a renewal that failed for a passing reason is tried again."""
_REFUSAL_BACKOFF_START = 1.0
_REFUSAL_BACKOFF_CAP = 60.0


@attrs.frozen
class _Renewal:
    task: asyncio.Task[TokenSet]
    timeout: float
    """What each of its requests may take: a waiter allowing as long needs no timer of its own."""
    waiters: list[asyncio.Future[TokenSet]] = attrs.field(factory=list)

    def outcome(self) -> asyncio.Future[TokenSet]:
        """A future of the waiter's own that ends as the task does (see _ended)."""
        waiter: asyncio.Future[TokenSet] = self.task.get_loop().create_future()
        self.waiters.append(waiter)
        return waiter


@attrs.define
class _Refusal:
    error: TesseraError
    until: float
    backoff: float


class TokenBroker:
    """Token state and the single-flight renewal of one credential."""

    def __init__(self, name: str, clock: Clock, shared: SharedTokens) -> None:
        self.name = name
        """For logs: the vendor, scheme and credential fingerprint, never the secret."""
        self._clock = clock
        self._shared = shared
        self._state: TokenSet | None = None
        self._renewals: dict[asyncio.AbstractEventLoop, _Renewal] = {}
        self._refusal: _Refusal | None = None
        self._lock = threading.Lock()

    async def token(self, source: TokenSource, *, within: float | None = None) -> Secret:
        """The token to send now; waits for a renewal only when the current one is not usable.

        `within` bounds that wait (TimeoutError) when the renewal's requests may take longer: a caller
        with a short timeout does not wait out a renewal started under a longer one. Only the waiter
        gives up; the renewal goes on for the others. Waiters allowing as long as the renewal's requests
        wait for its own outcome, so that a failure reaches each of them as the same error.
        """
        state = self._state
        if state is not None:
            now = self._clock.now()
            if now < state.renew_at:
                return state.access
            if now < state.usable_until:
                self._renewal(source)  # in the background: this caller goes on with the current token
                return state.access
        renewal = self._renewal(source)
        if within is None or within >= renewal.timeout:
            return (await renewal.outcome()).access
        async with asyncio.timeout(within):
            return (await renewal.outcome()).access

    def rejected(self, token: Secret, source: TokenSource, *, may_renew: bool) -> Rejection:
        """The vendor refused `token`: retry with the current token, or (if `may_renew`) with a renewed one."""
        state = self._state
        if state is not None and state.access != token:
            return Rejection.STALE  # replaced after the request left: no renewal, retry with the current one
        if not may_renew:
            return Rejection.FINAL
        if state is not None:
            self._state = state.refused(self._clock.now())
        self._renewal(source)
        return Rejection.RENEWING

    async def drain(self) -> None:
        """Wait for this loop's renewal in flight, so that closing a client leaves no task pending."""
        renewal = self._renewals.get(asyncio.get_running_loop())
        if renewal is not None:
            await asyncio.wait([renewal.task])  # its outcome is its waiters' business; wait() cancels nothing

    def _renewal(self, source: TokenSource) -> _Renewal:
        loop = asyncio.get_running_loop()
        renewal = self._renewals.get(loop)
        if renewal is not None and not renewal.task.done():
            return renewal  # joining this loop's renewal in flight: only starting one needs the lock
        with self._lock:
            renewal = self._renewals.get(loop)
            if renewal is None or renewal.task.done():
                self._forget_closed_loops()
                task = loop.create_task(self._renew(source), name=f"tessera renewal {self.name}")
                renewal = _Renewal(task, source.timeout)
                task.add_done_callback(functools.partial(_ended, renewal.waiters))
                self._renewals[loop] = renewal
        return renewal

    def _forget_closed_loops(self) -> None:
        for loop in [loop for loop in self._renewals if loop.is_closed()]:
            del self._renewals[loop]

    async def _renew(self, source: TokenSource) -> TokenSet:
        now = self._clock.now()
        refusal = self._refusal
        if refusal is not None and now < refusal.until:
            raise refusal.error  # answered from memory: the same credentials would be refused again
        current = self._state
        try:
            renewed = await self._shared.renew(source, current)
        except (ServerError, TransportError, RateLimited) as error:
            if current is None or self._clock.now() >= current.usable_until:
                self._remember(error, refusal)
                raise
            self._state = current.renew_later(self._clock.now() + _RETRY_PASSING_FAILURE)
            logger.warning("%s: renewal failed (%s); serving the current token", self.name, type(error).__name__)
            return self._state
        except AuthenticationError as error:
            self._remember(error, refusal)
            raise
        self._refusal = None
        self._state = renewed
        logger.debug("%s: renewed", self.name)
        return renewed

    def _remember(self, error: TesseraError, previous: _Refusal | None) -> None:
        """Answer from memory until a backoff has passed: a refused login, or a vendor asking us to slow down."""
        if isinstance(error, ServerError | TransportError):
            return  # a passing fault: the next caller may try again at once
        backoff = _REFUSAL_BACKOFF_START if previous is None else min(previous.backoff * 2, _REFUSAL_BACKOFF_CAP)
        if isinstance(error, RateLimited) and error.retry_after is not None:
            backoff = max(backoff, error.retry_after)
        self._refusal = _Refusal(error, self._clock.now() + backoff, backoff)
        logger.warning("%s: %s; next attempt in %.0f s", self.name, type(error).__name__, backoff)


def _ended(waiters: list[asyncio.Future[TokenSet]], task: asyncio.Task[TokenSet]) -> None:
    """Hand the renewal's outcome to each waiter still waiting (a cancelled one's future is done already)."""
    if task.cancelled():
        for waiter in waiters:
            waiter.cancel()
        return
    # Retrieved here, whoever waits: a background renewal's failure may have no waiter, and asyncio
    # would log it as never retrieved.
    error = task.exception()
    for waiter in waiters:
        if waiter.done():
            continue
        if error is None:
            waiter.set_result(task.result())
        else:
            waiter.set_exception(error)
    waiters.clear()
