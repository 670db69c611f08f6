"""The transport on its own, against a plain aiohttp.web server: redirect rules, a timeout across hops, errors.

Two servers on 127.0.0.1 (two origins): `here` answers the redirects, `there` echoes what reached it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence

import aiohttp
import attrs
import pytest
from aiohttp import web

from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES
from tessera._runtime.transport import RawResponse, Transport
from tessera.errors import ClientClosed, RequestTimeout, TransportError

HOP = 0.2
"""Seconds each slow hop takes."""


@attrs.define
class Servers:
    here: str
    there: str
    seen: list[tuple[str, bytes]]


async def start(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    seen: list[tuple[str, bytes]] = []

    async def echo(request: web.Request) -> web.Response:
        seen.append((request.method, await request.read()))
        return web.json_response({"method": request.method})

    there_app = web.Application()
    there_app.router.add_route("*", "/echo", echo)
    there_runner, there = await start(there_app)

    async def slow_redirect(_: web.Request) -> web.Response:
        await asyncio.sleep(HOP)
        raise web.HTTPFound("/slow")

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(HOP)
        return web.json_response({})

    async def moved(request: web.Request) -> web.Response:
        status = int(request.match_info["status"])
        return web.Response(status=status, headers={"Location": request.query["to"]})

    async def created(_: web.Request) -> web.Response:
        return web.json_response({"id": 1}, status=201, headers={"Location": f"{there}/echo"})

    async def reset(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    async def caller_header(request: web.Request) -> web.Response:
        return web.Response(text=request.headers.get("X-Caller", ""))

    here_app = web.Application()
    here_app.router.add_get("/headers", caller_header)
    here_app.router.add_get("/slow-redirect", slow_redirect)
    here_app.router.add_get("/slow", slow)
    here_app.router.add_route("*", "/moved/{status}", moved)
    here_app.router.add_route("*", "/echo", echo)
    here_app.router.add_post("/created", created)
    here_app.router.add_get("/reset", reset)
    here_runner, here = await start(here_app)
    try:
        yield Servers(here, there, seen)
    finally:
        await here_runner.cleanup()
        await there_runner.cleanup()


async def send(
    url: str, *, method: str = "GET", body: object = None, timeout: float = 2.0, params: Sequence[tuple[str, str]] = ()
) -> RawResponse:
    transport = Transport(None, max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES)
    try:
        return await transport.send(
            method, url, params=list(params), json_body=body, headers={}, timeout=timeout, describe=f"t {method} /x"
        )
    finally:
        await transport.aclose()


async def test_the_timeout_bounds_every_hop_together(servers: Servers) -> None:
    with pytest.raises(RequestTimeout, match=r"^t GET /x: no complete answer within 0.3 s$"):
        await send(f"{servers.here}/slow-redirect", timeout=1.5 * HOP)  # each hop alone fits, both do not
    assert (await send(f"{servers.here}/slow-redirect", timeout=10 * HOP)).status == 200


async def test_a_quick_redirect_under_a_short_timeout_is_followed(servers: Servers) -> None:
    to = f"{servers.here}/echo"
    response = await send(f"{servers.here}/moved/302", params=[("to", to)], timeout=0.8)
    assert response.status == 200


async def test_a_location_on_an_answer_that_is_not_a_redirect_is_not_followed(servers: Servers) -> None:
    response = await send(f"{servers.here}/created", method="POST", body={"name": "x"})
    assert response.status == 201
    assert servers.seen == []


@pytest.mark.parametrize("status", [301, 302, 303])
async def test_a_post_redirected_by_301_302_or_303_goes_on_as_a_get_without_its_body(
    servers: Servers, status: int
) -> None:
    response = await send(
        f"{servers.here}/moved/{status}", method="POST", body={"p": 1}, params=[("to", f"{servers.there}/echo")]
    )
    assert response.status == 200
    assert servers.seen == [("GET", b"")]


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_a_put_keeps_its_method_and_body_on_a_redirect_other_than_303(servers: Servers, status: int) -> None:
    await send(f"{servers.here}/moved/{status}", method="PUT", body={"p": 1}, params=[("to", f"{servers.here}/echo")])
    assert servers.seen == [("PUT", b'{"p": 1}')]


async def test_a_body_is_not_carried_to_another_host(servers: Servers) -> None:
    with pytest.raises(TransportError) as caught:
        await send(f"{servers.here}/moved/307", method="POST", body={"p": 1}, params=[("to", f"{servers.there}/echo")])
    assert str(caught.value) == (
        f"t POST /x: redirected (307) to another host ({servers.there}); not followed, "
        "as the request body would go with it: check the client's base_url"
    )
    assert servers.seen == []


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("ftp://127.0.0.1/x", "t GET /x: redirected (302) to a ftp URL; not followed"),
        ("http://[bad", "t GET /x: redirected (302) to a location that is not a URL"),
    ],
)
async def test_a_redirect_that_cannot_be_followed_says_why(servers: Servers, location: str, message: str) -> None:
    with pytest.raises(TransportError) as caught:
        await send(f"{servers.here}/moved/302", params=[("to", location)])
    assert str(caught.value) == message


async def test_an_https_redirect_is_followed(servers: Servers) -> None:
    https = servers.there.replace("http://", "https://")  # a plain HTTP server: the TLS handshake fails
    with pytest.raises(TransportError) as caught:
        await send(f"{servers.here}/moved/302", params=[("to", f"{https}/echo")])
    assert "not followed" not in str(caught.value)


async def test_a_connection_error_is_named_by_aiohttp_s_exception_and_reason(servers: Servers) -> None:
    with pytest.raises(TransportError) as caught:
        await send(f"{servers.here}/reset")
    assert str(caught.value) == "t GET /x: ServerDisconnectedError: Server disconnected"


async def test_a_callers_session_is_the_one_used_and_stays_open(servers: Servers) -> None:
    async with aiohttp.ClientSession(headers={"X-Caller": "mine"}) as session:
        transport = Transport(session, max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES)
        response = await transport.send(
            "GET", f"{servers.here}/headers", params=[], json_body=None, headers={}, timeout=2.0, describe="t"
        )
        await transport.aclose()
        assert not session.closed
    assert response.body == b"mine"


async def test_a_request_after_stop_is_refused_naming_it_and_sends_nothing(servers: Servers) -> None:
    # A login or refresh is not carried (see Requester.exchange): the transport itself refuses it.
    transport = Transport(None, max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES)
    transport.stop()
    with pytest.raises(ClientClosed) as caught:
        await transport.send(
            "POST", f"{servers.here}/echo", params=[], json_body={}, headers={}, timeout=2.0, describe="t POST /x"
        )
    await transport.aclose()
    assert str(caught.value) == "t POST /x: the client is closed"
    assert servers.seen == []


async def test_a_redirect_answered_past_the_deadline_ends_the_call_before_the_next_hop(servers: Servers) -> None:
    # The event loop, busy elsewhere (here: blocked by a trace callback), takes the redirect answer only
    # once the call's time is up, before aiohttp's own timer for that hop fired (for timeouts over 5 s,
    # aiohttp rounds that timer up to the next whole second, so the gap can be most of a second).
    async def busy_loop(*_: object) -> None:
        time.sleep(0.4)  # noqa: ASYNC251 - blocking the loop is the point

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(busy_loop)
    transport = Transport(None, max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES, trace_configs=[trace])
    try:
        with pytest.raises(RequestTimeout) as caught:
            await transport.send(
                "GET",
                f"{servers.here}/moved/302",
                params=[("to", f"{servers.here}/echo")],
                json_body=None,
                headers={},
                timeout=0.3,
                describe="t GET /x",
            )
    finally:
        await transport.aclose()
    assert str(caught.value) == "t GET /x: no complete answer within 0.3 s"
    assert servers.seen == []
