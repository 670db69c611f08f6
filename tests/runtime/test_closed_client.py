"""A closed client is closed: once aclose() begins nothing more is sent, and every call ends with ClientClosed.

Each test counts on the server what reached it, and the aiohttp sessions alive in the process.
"""

from __future__ import annotations

import asyncio
import gc
import re
import time
import traceback
import weakref
from collections.abc import AsyncIterator, Awaitable, Sequence

import aiohttp
import pytest

from tessera import biuwer, errors, zapsign
from tessera.testing import ManualClock, emulator
from tests.faults.conftest import no_client_task
from tests.polling import until
from tests.runtime.zapsign_server import ORGANIZATION, ZapSignServer

PROMPTLY = 1.0
"""What ending every call of a closing client may take on a loaded machine: a guard, not a measure."""


@pytest.fixture
async def server() -> AsyncIterator[ZapSignServer]:
    async with ZapSignServer(pages=3) as serving:
        yield serving


def token_client(server: ZapSignServer, **options: object) -> zapsign.Client:
    return zapsign.Client(
        auth=zapsign.ApiTokenAuth("static-token"),
        base_url=server.base_url,
        **options,  # type: ignore[arg-type]
    )


def password_client(server: ZapSignServer, clock: ManualClock) -> zapsign.Client:
    return zapsign.Client(
        auth=zapsign.PasswordAuth(ORGANIZATION, "dev@ejemplo.com", "a password"),
        base_url=server.base_url,
        clock=clock,
    )


def open_sessions() -> list[aiohttp.ClientSession]:
    gc.collect()
    return [item for item in gc.get_objects() if isinstance(item, aiohttp.ClientSession) and not item.closed]


async def outcomes(calls: Sequence[Awaitable[object]]) -> list[BaseException | object]:
    async with asyncio.timeout(PROMPTLY):
        return await asyncio.gather(*calls, return_exceptions=True)


async def test_calls_in_flight_end_with_client_closed_and_no_retry_is_sent(server: ZapSignServer) -> None:
    server.hold("docs")
    zs = token_client(server, max_retries=2)
    calls = [asyncio.ensure_future(zs.docs.list_docs()) for _ in range(10)]
    await until(lambda: server.counts["docs"] == 10)

    await zs.aclose()
    ended = await outcomes(calls)

    assert [type(outcome) for outcome in ended] == [errors.ClientClosed] * 10
    assert "zapsign GET /docs/: the client was closed during the call" in str(ended[0])
    server.release()
    await asyncio.sleep(0.05)  # what a retry would take to arrive
    assert server.counts["docs"] == 10
    assert open_sessions() == []
    await no_client_task()


async def test_a_cancellation_of_the_callers_own_stays_one_and_closing_leaves_no_cancellation_behind(
    server: ZapSignServer,
) -> None:
    server.hold("docs")
    zs = token_client(server)

    async def going_on_after_closed() -> int:
        with pytest.raises(errors.ClientClosed):
            await zs.docs.list_docs()
        await asyncio.sleep(0)  # still running: the cancellation that closing used was taken back
        current = asyncio.current_task()
        assert current is not None
        return current.cancelling()

    cancelled = asyncio.ensure_future(zs.docs.list_docs())
    going_on = asyncio.ensure_future(going_on_after_closed())
    await until(lambda: server.counts["docs"] == 2)
    cancelled.cancel()  # by its caller, as the client closes
    await zs.aclose()

    ended = await outcomes([cancelled, going_on])
    assert isinstance(ended[0], asyncio.CancelledError)
    assert ended[1] == 0


async def test_a_thousand_queued_calls_end_promptly_and_only_those_sent_reached_the_server(
    server: ZapSignServer,
) -> None:
    server.hold("docs")
    zs = token_client(server)
    calls = [asyncio.ensure_future(zs.docs.list_docs()) for _ in range(1000)]
    await until(lambda: server.counts["docs"] == 100)  # the connector's limit: 900 wait for a slot

    begun = time.monotonic()
    await zs.aclose()
    ended = await outcomes(calls)

    assert time.monotonic() - begun < PROMPTLY
    assert [type(outcome) for outcome in ended] == [errors.ClientClosed] * 1000
    server.release()
    await asyncio.sleep(0.05)
    assert server.counts["docs"] == 100
    assert len(server.peers) == 100
    await no_client_task()


async def test_a_call_after_close_raises_at_once_and_opens_no_session(server: ZapSignServer) -> None:
    zs = token_client(server)
    await zs.docs.list_docs()
    await zs.aclose()
    await zs.aclose()  # again: nothing more happens

    with pytest.raises(errors.ClientClosed, match=r"zapsign GET /docs/: the client is closed"):
        await zs.docs.list_docs()

    assert server.counts["docs"] == 1
    assert len(server.peers) == 1
    assert open_sessions() == []


async def test_async_with_a_closed_client_raises(server: ZapSignServer) -> None:
    async with token_client(server) as zs:
        await zs.docs.list_docs()
    with pytest.raises(errors.ClientClosed, match="build a new one"):
        async with zs:
            pass
    assert server.counts["docs"] == 1


async def test_iterating_pages_mid_way_ends_with_client_closed(server: ZapSignServer) -> None:
    zs = token_client(server)
    docs = aiter(zs.docs.list_docs())
    assert (await anext(docs)).token == "doc-1"
    await zs.aclose()
    with pytest.raises(errors.ClientClosed):
        await anext(docs)  # the second page is never asked for
    assert server.counts["docs"] == 1


@pytest.mark.parametrize(
    ("first_login", "logins"),
    [
        pytest.param(None, 1, id="the login in flight is awaited and serves the other client"),
        pytest.param(
            (400, {"message": "Rate limit exceeded"}),  # waited out, then to be asked again: not by the closed one
            2,
            id="a renewal that would send again leaves that to the other client",
        ),
    ],
)
async def test_a_call_waiting_for_a_login_ends_and_the_other_client_of_the_credential_goes_on(
    server: ZapSignServer, first_login: tuple[int, object] | None, logins: int
) -> None:
    clock = ManualClock()
    server.hold("login")
    if first_login is not None:
        server.login_answers.append(first_login)
    closing, staying = password_client(server, clock), password_client(server, clock)  # one broker
    waiting = asyncio.ensure_future(closing.docs.list_docs())
    await until(lambda: server.counts["login"] == 1)
    joined = asyncio.ensure_future(staying.docs.list_docs())

    shutting = asyncio.ensure_future(closing.aclose())
    (ended,) = await outcomes([waiting])
    assert isinstance(ended, errors.ClientClosed)
    assert not shutting.done()  # the login in flight is awaited, not cut
    server.release()
    await shutting

    assert (await joined).count == 3
    assert server.counts == {"login": logins, "docs": 1}
    await staying.aclose()
    await no_client_task()


async def test_a_closed_biuwer_client_hands_out_no_user_token_not_even_one_in_hand() -> None:
    emu = emulator("biuwer")
    async with emu:
        bw = biuwer.Client(api_token=emu.api_token, base_url=emu.base_url)
        user = (await bw.users.list_users()).data[0].id
        await bw.user_token(user, policy="daily")
        await bw.aclose()
        with pytest.raises(errors.ClientClosed, match="biuwer user_token: the client is closed"):
            await bw.user_token(user, policy="daily")  # minted and still valid, but the client is closed
        assert emu.mints == 1


async def test_a_callers_session_closed_before_or_between_calls_is_named_before_any_request(
    server: ZapSignServer,
) -> None:
    # Before: aiohttp's RuntimeError("Session is closed"), from the request.
    refused = re.escape(
        "zapsign GET /docs/: the session= given to this client is closed, and an aiohttp session cannot be"
        " reopened: keep it open while the client is used, or give the client no session (it then opens its own)"
    )
    session = aiohttp.ClientSession()
    await session.close()
    zs = token_client(server, session=session)
    with pytest.raises(errors.ConfigurationError, match=f"^{refused}$"):
        await zs.docs.list_docs()
    await zs.aclose()

    async with aiohttp.ClientSession() as session:
        zs = token_client(server, session=session)
        await zs.docs.list_docs()
    with pytest.raises(errors.ConfigurationError, match=f"^{refused}$"):
        await zs.docs.list_docs()
    await zs.aclose()
    assert server.counts == {"docs": 1}


async def test_a_callers_session_with_no_connection_limit_holds_calls_to_none(server: ZapSignServer) -> None:
    server.hold("docs")
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        zs = token_client(server, session=session)
        calls = [asyncio.ensure_future(zs.docs.list_docs()) for _ in range(150)]
        await until(lambda: server.counts["docs"] == 150)  # past the 100 of a default connector
        server.release()
        pages = await asyncio.gather(*calls)
        assert [page.count for page in pages] == [3] * 150  # one document in each of 3 pages
        await zs.aclose()


async def test_the_client_keeps_no_call_that_ended_answered_or_closed(server: ZapSignServer) -> None:
    # A client may live as long as the process: what it notes of a call in progress goes when the call ends.
    zs = token_client(server)
    answered = asyncio.ensure_future(zs.docs.list_docs())
    await answered
    server.hold("docs")
    closed = asyncio.ensure_future(zs.docs.list_docs())
    await until(lambda: server.counts["docs"] == 2)
    await zs.aclose()
    with pytest.raises(errors.ClientClosed) as caught:
        await closed
    # The suite keeps every error tessera raised (tests/conftest.py); the frames of their tracebacks would keep
    # the task.
    for error in (caught.value, caught.value.__context__):
        assert error is not None
        traceback.clear_frames(error.__traceback__)
    del caught
    ended = [weakref.ref(answered), weakref.ref(closed)]
    del answered, closed
    gc.collect()
    assert [call() for call in ended] == [None, None]
    server.release()


async def test_closing_from_inside_a_call_leaves_that_call_its_answer(server: ZapSignServer) -> None:
    # aclose() asked by a call itself (here from a trace callback, as its answer arrives): the call that
    # asks is not cancelled, so closing completes, and the answer already there is returned.
    trace = aiohttp.TraceConfig()
    closed: list[str] = []

    async def closing(*_: object) -> None:
        closed.append("asked")
        await zs.aclose()
        closed.append("done")

    trace.on_request_end.append(closing)
    zs = token_client(server, trace_configs=[trace])
    assert (await zs.docs.list_docs()).count == 3
    assert closed == ["asked", "done"]
    assert open_sessions() == []
    with pytest.raises(errors.ClientClosed):
        await zs.docs.list_docs()
