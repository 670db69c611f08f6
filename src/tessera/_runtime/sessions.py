"""A client's aiohttp sessions: one per event loop it is used from, opened there, closed with it.

A session, its connections and an asyncio semaphore belong to the loop they were made in, and a client
kept at module level meets many loops: one `asyncio.run()` per Celery task or per `async_to_sync` call,
one loop per thread. So each loop gets a `LoopSession`: the client's own session there (or the caller's
`session=`, in its own loop only), its connection slots, and the calls in progress there.

- Lookup: one dict get keyed by the running loop. Making a loop's entry takes a lock, so that two
  threads never race on the map and a closing client never misses an entry being made.
- A loop's own session closes when the loop shuts down: `asyncio.run`, `asyncio.Runner` and asgiref
  call `loop.shutdown_asyncgens()` before closing it, which closes a one-step async generator
  registered with the loop on first use. Its connections so never outlive their loop, and the entry of
  a closed loop is later dropped without touching it.
- Closing: `stop()` refuses new calls at once and ends the calls in progress in every loop: each is
  cancelled in its own loop (thread-safely, for another thread's loop), and the cancellation leaves the
  call as ClientClosed (`Carried`).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncGenerator, Sequence
from contextlib import AbstractAsyncContextManager
from ssl import SSLContext
from types import TracebackType
from typing import Any

import aiohttp

from tessera.errors import ClientClosed, ConfigurationError

_UNLIMITED: AbstractAsyncContextManager[object] = contextlib.nullcontext()


class LoopSession:
    """The client's session in one event loop, its connection slots, and the calls it carries there."""

    __slots__ = ("_closing", "_shutdown", "calls", "loop", "session", "slots", "stopped")

    def __init__(self, loop: asyncio.AbstractEventLoop, session: aiohttp.ClientSession, *, owned: bool) -> None:
        self.loop = loop
        self.session = session
        connector = session.connector
        limit = connector.limit if connector is not None else 0
        self.slots = asyncio.Semaphore(limit) if limit else None
        self.calls: set[asyncio.Task[Any]] = set()
        self.stopped: set[asyncio.Task[Any]] = set()
        """Calls that stop_calls() cancelled and that have not left yet."""
        self._closing: asyncio.Task[None] | None = None
        self._shutdown: AsyncGenerator[None, None] | None = None
        if owned:  # never a caller's session: tessera does not close those
            self._shutdown = _closed_at_shutdown(self)
            with contextlib.suppress(StopIteration):
                # The first step registers the generator with the running loop (its firstiter hook) and
                # stops at the yield: driven by hand, as this runs in synchronous code.
                self._shutdown.asend(None).send(None)

    def slot(self) -> AbstractAsyncContextManager[object]:
        """A place among the connections the session may hold at once (see Transport.slot)."""
        return self.slots if self.slots is not None else _UNLIMITED

    def busy(self) -> bool:
        return self.slots is not None and self.slots.locked()

    def stop_calls(self) -> None:
        """In this loop: cancel every call in progress but the one asking; each leaves as ClientClosed."""
        current = asyncio.current_task()
        for call in self.calls - self.stopped:
            if call is not current:
                self.stopped.add(call)
                call.cancel()

    async def close(self) -> None:
        """In this loop: stop the calls, then close the session if it is the client's own."""
        self.stop_calls()
        if self._shutdown is not None:
            # The session first, then the generator, whose own close then has nothing left to await: a
            # second close() meanwhile finds the session closed and never re-enters a running generator.
            await self.session.close()
            await self._shutdown.aclose()

    def close_soon(self) -> None:
        """From another thread: close in this loop, as soon as it runs; RuntimeError if it is closed."""
        self.loop.call_soon_threadsafe(self._start_closing)

    def _start_closing(self) -> None:
        self._closing = self.loop.create_task(self.close(), name="tessera: closing a session")

    def abandon(self) -> None:
        """Forget this entry of a closed loop without touching its session: nothing runs there any more."""
        if self._shutdown is not None:
            with contextlib.suppress(StopIteration):
                # Ends the generator here, doing nothing (its loop is closed), rather than leaving it to
                # the garbage collector, whose finalizer would schedule its closing on the closed loop.
                self._shutdown.aclose().send(None)


async def _closed_at_shutdown(place: LoopSession) -> AsyncGenerator[None, None]:
    """Closes the place's session when its loop shuts down (or when the client closes it)."""
    try:
        yield
    finally:
        if not place.loop.is_closed():  # abandoned: nothing can be closed on a closed loop
            await place.session.close()


class Carried:
    """A call in progress in its loop: `stop_calls()` cancels it, and the cancellation leaves as ClientClosed.

    A cancellation of the caller's own (a timeout, a task group) is left as it is: only the one that
    stop_calls() added is taken back (`Task.uncancel`), as asyncio.timeout() does with its own.
    """

    __slots__ = ("_describe", "_place", "_task")

    def __init__(self, place: LoopSession, describe: str) -> None:
        self._place = place
        self._describe = describe
        self._task: asyncio.Task[Any] | None = None

    def __enter__(self) -> None:
        self._task = asyncio.current_task()
        if self._task is not None:
            self._place.calls.add(self._task)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        task, place = self._task, self._place
        if task is None:
            return
        place.calls.discard(task)
        if task in place.stopped:
            place.stopped.discard(task)
            if task.uncancel() == 0 and kind is asyncio.CancelledError:
                raise ClientClosed(f"{self._describe}: the client was closed during the call") from None


class LoopSessions:
    """A client's `LoopSession` per event loop, made on first use in each."""

    __slots__ = ("_given", "_given_loop", "_lock", "_places", "_ssl", "_trace_configs", "_trust_env", "closed")

    def __init__(
        self,
        session: aiohttp.ClientSession | None,
        trace_configs: Sequence[aiohttp.TraceConfig],
        *,
        trust_env: bool = False,
        ssl: SSLContext | None = None,
    ) -> None:
        """`trust_env` and `ssl`: how the sessions this opens reach hosts (proxies, CAs); not for `session`."""
        self._given = session
        self._trust_env = trust_env
        self._ssl = ssl
        # aiohttp's public `loop` property warns (deprecated); `_loop` is what it returns.
        self._given_loop = session._loop if session is not None else None
        self._trace_configs = list(trace_configs) or None
        self._places: dict[asyncio.AbstractEventLoop, LoopSession] = {}
        self._lock = threading.Lock()
        self.closed = False

    def here(self, describe: str) -> LoopSession:
        """The running loop's entry. Naming the request: ClientClosed once the client began closing,
        ConfigurationError once the caller closed its `session=`."""
        if self.closed:
            raise ClientClosed(f"{describe}: the client is closed")
        if self._given is not None and self._given.closed:  # else aiohttp's RuntimeError, at the request
            raise ConfigurationError(
                f"{describe}: the session= given to this client is closed, and an aiohttp session cannot be "
                "reopened: keep it open while the client is used, or give the client no session (it then "
                "opens its own)"
            )
        return self.in_loop()

    def in_loop(self) -> LoopSession:
        """The running loop's entry, made on first use (in that loop: building a client needs none)."""
        loop = asyncio.get_running_loop()
        place = self._places.get(loop)
        return place if place is not None else self._open(loop)

    def _open(self, loop: asyncio.AbstractEventLoop) -> LoopSession:
        if self._given is not None and loop is not self._given_loop:
            raise ConfigurationError(
                "the session= given to this client belongs to another event loop, and an aiohttp session "
                "works only in its own: use the client from that loop, or give it no session (it then "
                "opens one per loop)"
            )
        with self._lock:
            if self.closed:
                raise ClientClosed("the client is closed")
            place = self._places.get(loop)
            if place is None:
                self._forget_closed_loops()
                session = self._given or self._new_session()
                place = self._places[loop] = LoopSession(loop, session, owned=self._given is None)
            return place

    def _new_session(self) -> aiohttp.ClientSession:
        """A session of the running loop's own (its connector too: both belong to the loop they are made in)."""
        return aiohttp.ClientSession(
            trace_configs=self._trace_configs,
            trust_env=self._trust_env,
            connector=aiohttp.TCPConnector(ssl=self._ssl) if self._ssl is not None else None,
        )

    def stop(self) -> None:
        """From now on nothing is sent; the calls in progress, in every loop, end with ClientClosed."""
        running = asyncio.get_running_loop()
        with self._lock:
            self.closed = True
            for loop, place in list(self._places.items()):
                if loop is running:
                    place.stop_calls()  # its session closes in aclose(), once renewals in flight are done
                    continue
                if not loop.is_closed():
                    try:
                        place.close_soon()
                        continue
                    except RuntimeError:  # closed since the check
                        pass
                place.abandon()
                del self._places[loop]

    async def aclose(self) -> None:
        """Stop (if not yet), and close the running loop's session; other loops close theirs (stop())."""
        self.stop()
        place = self._places.get(asyncio.get_running_loop())
        if place is not None:
            await place.close()

    def _forget_closed_loops(self) -> None:
        for loop in [loop for loop in self._places if loop.is_closed()]:
            self._places.pop(loop).abandon()
