"""One client, many event loops: a session and connection slots per loop, all closed by aclose().

A module-level client meets a new loop per `asyncio.run()` (a Celery task, Django's async_to_sync) and
one loop per thread. The server runs in a thread of its own and counts what reached it; the client's
sessions are collected through a TraceConfig (aiohttp hands each callback its session).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from types import SimpleNamespace

import aiohttp
import pytest

from tessera import errors, zapsign
from tessera.testing import ManualClock
from tests.runtime.zapsign_server import ORGANIZATION, ZapSignServer

CALLS = 300
"""Calls per loop at once: more than the connector's 100 connections, so some wait for a slot."""


@pytest.fixture
def server() -> Iterator[ZapSignServer]:
    with ZapSignServer().in_thread() as serving:
        yield serving


class Sessions:
    """Every aiohttp session a client sent a request on."""

    def __init__(self) -> None:
        self.seen: set[aiohttp.ClientSession] = set()
        self.config = aiohttp.TraceConfig()
        self.config.on_request_start.append(self._started)

    async def _started(
        self, session: aiohttp.ClientSession, context: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        self.seen.add(session)

    def open(self) -> list[aiohttp.ClientSession]:
        return [session for session in self.seen if not session.closed]


def token_client(server: ZapSignServer, sessions: Sessions) -> zapsign.Client:
    return zapsign.Client(
        auth=zapsign.ApiTokenAuth("static-token"), base_url=server.base_url, trace_configs=[sessions.config]
    )


async def burst(zs: zapsign.Client, calls: int = CALLS) -> list[int]:
    return [page.count for page in await asyncio.gather(*(zs.docs.list_docs() for _ in range(calls)))]


@pytest.fixture(autouse=True)
def closed_cleanly(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """After each test, no warning and no asyncio error once whatever is left is collected: no unclosed
    session, connector or transport, no task destroyed while pending, no generator finalized on a closed loop."""
    caplog.set_level(logging.WARNING, logger="asyncio")
    yield
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gc.collect()
    assert [str(warning.message) for warning in caught] == []
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []


@pytest.fixture
def sessions() -> Sessions:
    return Sessions()


def test_a_module_level_client_serves_one_event_loop_after_another(server: ZapSignServer, sessions: Sessions) -> None:
    zs = token_client(server, sessions)  # built outside any loop, as at module level

    for _ in range(3):
        assert asyncio.run(burst(zs)) == [1] * CALLS

    assert server.counts["docs"] == 3 * CALLS
    assert len(sessions.seen) == 3  # one per loop, each closed as its loop shut down
    assert sessions.open() == []
    asyncio.run(zs.aclose())


def test_four_threads_with_a_loop_each_share_one_client(server: ZapSignServer, sessions: Sessions) -> None:
    zs = token_client(server, sessions)
    start = threading.Barrier(4)
    results: dict[int, list[int] | BaseException] = {}

    def worker(number: int) -> None:
        start.wait()
        try:
            results[number] = asyncio.run(burst(zs))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            results[number] = error

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results == {number: [1] * CALLS for number in range(4)}
    assert server.counts["docs"] == 4 * CALLS
    assert len(sessions.seen) == 4
    asyncio.run(zs.aclose())
    assert sessions.open() == []


def test_aclose_stops_the_calls_of_a_loop_still_running_in_another_thread_and_closes_its_session(
    server: ZapSignServer, sessions: Sessions
) -> None:
    zs = token_client(server, sessions)
    other = asyncio.new_event_loop()
    running = threading.Thread(target=other.run_forever)
    running.start()
    try:
        assert asyncio.run_coroutine_threadsafe(burst(zs, 5), other).result(timeout=10) == [1] * 5
        server.hold("docs")
        held = asyncio.run_coroutine_threadsafe(burst(zs, 5), other)
        while server.counts["docs"] < 10:
            threading.Event().wait(0.01)

        asyncio.run(zs.aclose())  # from the main thread's loop

        with pytest.raises(errors.ClientClosed):
            held.result(timeout=5)
        asyncio.run_coroutine_threadsafe(asyncio.sleep(0.05), other).result(timeout=5)  # the close goes on there
        assert sessions.open() == []
        assert server.counts["docs"] == 10
    finally:
        other.call_soon_threadsafe(other.stop)
        running.join(timeout=10)
        other.run_until_complete(other.shutdown_asyncgens())
        other.close()


def test_a_callers_session_is_refused_in_another_loop_before_any_request(server: ZapSignServer) -> None:
    own = asyncio.new_event_loop()

    async def opened() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    session = own.run_until_complete(opened())
    zs = zapsign.Client(auth=zapsign.ApiTokenAuth("static-token"), base_url=server.base_url, session=session)
    try:
        assert own.run_until_complete(burst(zs, 3)) == [1] * 3
        with pytest.raises(errors.ConfigurationError) as caught:
            asyncio.run(burst(zs, 3))
        assert str(caught.value) == (
            "the session= given to this client belongs to another event loop, and an aiohttp session works only"
            " in its own: use the client from that loop, or give it no session (it then opens one per loop)"
        )
        assert server.counts["docs"] == 3
        own.run_until_complete(zs.aclose())
        assert not session.closed  # the caller's, never closed by tessera
    finally:
        own.run_until_complete(session.close())
        own.close()


def test_a_password_client_renews_in_a_later_loop_with_one_login_in_all(
    server: ZapSignServer,
) -> None:
    clock = ManualClock()
    zs = zapsign.Client(
        auth=zapsign.PasswordAuth(ORGANIZATION, "dev@ejemplo.com", "a password"),
        base_url=server.base_url,
        clock=clock,
    )
    assert asyncio.run(burst(zs)) == [1] * CALLS
    assert asyncio.run(burst(zs)) == [1] * CALLS  # the token of the first loop serves the second
    clock.advance(3599)  # past the access token's use, not the refresh token's: the third loop refreshes
    assert asyncio.run(burst(zs)) == [1] * CALLS

    assert (server.counts["login"], server.counts["refresh"], server.counts["docs"]) == (1, 1, 3 * CALLS)
    asyncio.run(zs.aclose())


def test_aclose_stops_the_calls_of_every_other_loop_whichever_loop_came_first(
    server: ZapSignServer, sessions: Sessions
) -> None:
    zs = token_client(server, sessions)
    closing = asyncio.new_event_loop()  # the client's first loop, then two threads' loops: aclose() from the first
    others = [asyncio.new_event_loop() for _ in range(2)]
    threads = [threading.Thread(target=other.run_forever) for other in others]
    for thread in threads:
        thread.start()
    try:
        assert closing.run_until_complete(burst(zs, 2)) == [1] * 2
        for other in others:
            assert asyncio.run_coroutine_threadsafe(burst(zs, 2), other).result(timeout=10) == [1] * 2
        server.hold("docs")
        held = [asyncio.run_coroutine_threadsafe(burst(zs, 5), other) for other in others]
        while server.counts["docs"] < 6 + 10:
            threading.Event().wait(0.01)

        closing.run_until_complete(zs.aclose())

        for calls in held:
            with pytest.raises(errors.ClientClosed):
                calls.result(timeout=5)
        for other in others:
            asyncio.run_coroutine_threadsafe(asyncio.sleep(0.05), other).result(timeout=5)  # closing goes on there
        assert sessions.open() == []
    finally:
        for other, thread in zip(others, threads, strict=True):
            other.call_soon_threadsafe(other.stop)
            thread.join(timeout=10)
            other.run_until_complete(other.shutdown_asyncgens())
            other.close()
        closing.run_until_complete(closing.shutdown_asyncgens())
        closing.close()


def test_a_call_that_meets_aclose_of_another_thread_on_its_way_in_opens_no_session() -> None:
    """Closing and a first call in a new loop race: the call passed the closed check, another thread's
    aclose() then took the lock first. The call must end with ClientClosed under the lock, not open a
    session in its loop after the client closed (which nothing would ever close)."""
    client = zapsign.Client(auth=zapsign.ApiTokenAuth("static-token"), base_url="http://127.0.0.1:9")
    sessions = client._requester._transport._sessions  # the race is between its check and its lock
    outcome: list[BaseException] = []

    def first_call_in_a_new_loop() -> None:
        async def call() -> None:
            try:
                await client.docs.list_docs()
            except BaseException as error:  # noqa: BLE001 - whatever it is, the test reports it
                outcome.append(error)

        asyncio.run(call())

    with sessions._lock:  # as another thread's aclose() holds it: stop() has begun
        caller = threading.Thread(target=first_call_in_a_new_loop)
        caller.start()
        deadline = time.monotonic() + 10
        while not _waits_in(caller, "_open"):  # past here()'s check, at the lock
            assert caller.is_alive(), outcome
            assert time.monotonic() < deadline
            time.sleep(0.001)
        sessions.closed = True  # what stop() does first, under the lock
    caller.join(10)
    assert len(outcome) == 1
    assert isinstance(outcome[0], errors.ClientClosed)
    assert str(outcome[0]) == "the client is closed"
    assert sessions._places == {}  # no session was opened after the close


def _waits_in(thread: threading.Thread, function: str) -> bool:
    frame = sys._current_frames().get(thread.ident or 0)  # where a thread stands, as faulthandler reads it
    while frame is not None:
        if frame.f_code.co_name == function:
            return True
        frame = frame.f_back
    return False
