"""The token broker: one renewal in flight per credential in the process, shared by every coroutine,
client, thread and event loop.

- Single flight: a renewal runs as its own task on the loop of the caller that started it; every
  caller that needs it, on that loop or another thread's, waits for it (renewal.py). Starting or
  joining it is a check-and-set under a threading lock, with no await in between.
- Proactive: inside the renewal window the current token is still served while a background task
  renews it, so traffic rarely meets an expired token.
- Cancellation-safe: each waiter awaits a future of its own, on its own loop, which the task's end
  settles, so cancelling a waiter (even the one that started it) cancels neither the renewal nor the
  other waiters. One future per waiter is the least that allows this: awaiting the task itself would
  cancel it with the first waiter cancelled, `asyncio.shield` costs two futures and a callback, and
  `asyncio.Event.wait` a coroutine more; at 10,000 waiters those tripled or doubled their latency
  (bench/broker.py).
- A renewal whose loop stops or closes (its task cancelled, or never run again) is abandoned: its
  waiters on other loops ask again, and the first of them starts a renewal on its own loop.
- Timeouts: a waiter waits at most `within` seconds (the call's timeout), whatever the renewal does
  meanwhile (a login throttle waited out can last minutes); one timer per loop, at the earliest deadline.
- Stale 401s: a refusal of a token that is no longer current only asks the caller to retry with the
  current one; a refusal of the current token starts (at most) one renewal.
- Failures: a refused login is remembered and answered from memory, with a backoff that doubles,
  so a wrong password costs a handful of requests however many callers there are. A renewal that
  fails for a passing reason (5xx, timeout, connection) while the token is still good keeps serving
  it and tries again later. Errors reach callers, and the memory of a refusal, without a traceback.
- Memory: the broker lives while a client holds it (registry.py); its tokens also live in the token
  store for their TTL, where a later broker of the same credential finds them (`recall`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import Awaitable, Callable

import attrs

from tessera._auth.rejection import Rejection
from tessera._auth.renewal import Renewal, Waiter, detached, outcome_of, settle
from tessera._auth.secrets import Secret
from tessera._auth.shared import SharedTokens, TokenSource
from tessera._auth.store import StoreUnavailable
from tessera._auth.tokens import TokenSet
from tessera.clock import Clock
from tessera.errors import AuthenticationError, RateLimited, ServerError, TesseraError, TransportError

logger = logging.getLogger("tessera")

Recall = Callable[[], Awaitable[TokenSet | None]]
"""The tokens an earlier broker of this credential left in the store, if any."""

_RETRY_PASSING_FAILURE = 5.0
"""Seconds before a renewal that failed for a passing reason is tried again."""
_REFUSAL_BACKOFF_START = 1.0
_REFUSAL_BACKOFF_CAP = 60.0
_WATCH_SECONDS = 0.25
"""How often waiters on another loop than the renewal's check that its loop still runs."""


@attrs.frozen
class _Refusal:
    error: BaseException
    """Without a traceback: each raise from memory raises a copy of its own."""
    until: float
    backoff: float


class TokenBroker:
    """Token state and the single-flight renewal of one credential."""

    def __init__(self, name: str, clock: Clock, shared: SharedTokens, recall: Recall | None = None) -> None:
        self.name = name
        """For logs: the vendor, scheme and credential fingerprint, never the secret."""
        self._clock = clock
        self._shared = shared
        self._recall = recall
        self._state: TokenSet | None = None
        self._renewal: Renewal | None = None
        self._refusal: _Refusal | None = None
        self._lock = threading.Lock()

    async def token(self, source: TokenSource, *, within: float | None = None) -> Secret:
        """The token to send now; waits for a renewal only when the current one is not usable.

        `within` bounds that wait (TimeoutError): the caller gives up at its own deadline, and the
        renewal goes on for the others.
        """
        state = self._state
        if state is not None:
            now = self._clock.now()
            if now < state.renew_at:
                return state.access
            if now < state.usable_until:
                self._start(source)  # in the background: this caller goes on with the current token
                return state.access
        # Waiting here, not in a coroutine of its own: a frame less for each of 10,000 waiters to resume.
        loop = asyncio.get_running_loop()
        deadline = None if within is None else loop.time() + within
        while True:
            renewed = await self._join(source, loop, deadline)
            if renewed is not None:
                return renewed.access
            # The renewal was abandoned: serve what another one left, or start one on this loop.
            state = self._state
            if state is not None and self._clock.now() < state.usable_until:
                return state.access

    def rejected(self, token: Secret, source: TokenSource, *, may_renew: bool) -> Rejection:
        """The vendor refused `token`: retry with the current token, or (if `may_renew`) with a renewed one."""
        state = self._state
        if state is not None and state.access != token:
            return Rejection.STALE  # replaced after the request left: no renewal, retry with the current one
        if not may_renew:
            return Rejection.FINAL
        if state is not None:
            self._state = state.refused(self._clock.now())
        self._start(source)
        return Rejection.RENEWING

    async def drain(self) -> None:
        """Wait for a renewal in flight on this loop, so that closing a client leaves no task pending."""
        renewal = self._renewal
        if renewal is not None and renewal.loop is asyncio.get_running_loop():
            await asyncio.wait([renewal.task])  # its outcome is its waiters' business; wait() cancels nothing

    def refusing(self) -> bool:
        """Whether a refusal is being answered from memory (registry.py keeps such a broker a while)."""
        refusal = self._refusal
        return refusal is not None and self._clock.now() < refusal.until

    def _start(self, source: TokenSource) -> None:
        """A renewal in the background, unless one is in flight."""
        renewal = self._renewal
        if renewal is None or renewal.task.done():
            with self._lock:
                self._current(source, asyncio.get_running_loop())

    def _join(self, source: TokenSource, loop: asyncio.AbstractEventLoop, deadline: float | None) -> Waiter:
        with self._lock:
            renewal = self._current(source, loop)
            waiter, first_away = renewal.join(loop, deadline)
        if first_away:
            loop.call_later(_WATCH_SECONDS, self._watch, renewal, loop)
        return waiter

    def _current(self, source: TokenSource, loop: asyncio.AbstractEventLoop) -> Renewal:
        """The renewal in flight, or a new one on `loop` (called under the lock)."""
        renewal = self._renewal
        if renewal is not None and not renewal.task.done():  # done: its end is being handed out, too late to join
            if renewal.loop is loop or not renewal.stalled():
                return renewal
            self._abandon(renewal)
        renewal = Renewal(loop.create_task(self._renew(source), name=f"tessera renewal {self.name}"))
        renewal.task.add_done_callback(functools.partial(self._ended, renewal))
        self._renewal = renewal
        return renewal

    def _ended(self, renewal: Renewal, task: asyncio.Task[TokenSet]) -> None:
        with self._lock:
            if self._renewal is renewal:
                self._renewal = None  # the done task, and the frames of its error, go with it
            waiters = renewal.close()  # none left if it was abandoned: they were told to ask again
        settle(waiters, outcome_of(task))

    def _watch(self, renewal: Renewal, loop: asyncio.AbstractEventLoop) -> None:
        """On a waiting loop: abandon the renewal if its own loop stopped, else look again later."""
        if renewal.ended:
            return
        if not renewal.stalled():
            loop.call_later(_WATCH_SECONDS, self._watch, renewal, loop)
            return
        with self._lock:
            if self._renewal is renewal:
                self._renewal = None
            self._abandon(renewal)

    def _abandon(self, renewal: Renewal) -> None:
        """Its waiters ask again (called under the lock): the next renewal runs on a loop that runs."""
        if renewal.ended:
            return  # ended meanwhile, or abandoned by another loop's watch
        logger.warning("%s: the renewal's event loop stopped; renewing on another", self.name)
        settle(renewal.close(), None)  # a stopped loop's own waiters hear it if the loop runs again

    async def _renew(self, source: TokenSource) -> TokenSet:
        now = self._clock.now()
        refusal = self._refusal
        if refusal is not None and now < refusal.until:
            raise detached(refusal.error)  # answered from memory: the same credentials would be refused again
        current = self._state
        if current is None and self._recall is not None:
            with contextlib.suppress(StoreUnavailable):  # then a renewal, as if nothing was stored
                current = await self._recall()
            if current is not None and self._clock.now() < current.usable_until:
                self._state = current  # an earlier broker's tokens, still good
                return current
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
        self._refusal = _Refusal(detached(error), self._clock.now() + backoff, backoff)
        logger.warning("%s: %s; next attempt in %.0f s", self.name, type(error).__name__, backoff)
