"""`max_retries=N`: at most N + 1 requests reach the server for one call, whatever happens to the connection.

aiohttp sends an idempotent request once more, on its own, when the connection fails before the answer
(a kept-alive connection the server closed, a reset); tessera's retry loop must be the only one. The
server here is a raw asyncio server on 127.0.0.1 that counts each request head it reads, then closes
or resets the connection without answering.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tessera import errors, zapsign
from tessera.testing import ManualClock

PAGE = b'{"count": 0, "next": null, "previous": null, "results": []}'


class Dropping:
    """Reads request heads and counts them; answers the first `answered` of them, drops every later one."""

    def __init__(self, *, reset: bool, answered: int = 0) -> None:
        self.reset = reset
        self.answered = answered
        self.requests = 0
        self.base_url = ""

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")  # a GET: no body
                self.requests += 1
                if self.requests > self.answered:
                    break
                head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(PAGE)}\r\n\r\n"
                writer.write(head.encode() + PAGE)  # and the connection is kept alive
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        if self.reset:  # an RST instead of a FIN
            writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.close()


@pytest.fixture
async def server(request: pytest.FixtureRequest) -> AsyncIterator[Dropping]:
    dropping = Dropping(**request.param)
    listening = await asyncio.start_server(dropping.serve, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    dropping.base_url = f"http://127.0.0.1:{port}/api/v1"
    async with listening:
        yield dropping


KINDS = {"closed": {"reset": False}, "reset": {"reset": True}}


@pytest.mark.parametrize("server", KINDS.values(), ids=KINDS.keys(), indirect=True)
@pytest.mark.parametrize("max_retries", [0, 1, 2])
async def test_a_dropped_connection_costs_one_request_per_attempt(server: Dropping, max_retries: int) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth("t"), base_url=server.base_url, clock=ManualClock()) as zs:
        with pytest.raises(errors.TransportError) as caught:
            await zs.docs.list_docs(max_retries=max_retries)
    assert server.requests == max_retries + 1
    assert str(caught.value).startswith("zapsign GET /docs/: ")


@pytest.mark.parametrize("server", [{"reset": False, "answered": 1}], indirect=True)
@pytest.mark.parametrize("max_retries", [0, 1])
async def test_a_kept_alive_connection_closed_by_the_server(server: Dropping, max_retries: int) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth("t"), base_url=server.base_url, clock=ManualClock()) as zs:
        await zs.docs.list_docs()  # answered, on a connection kept alive
        with pytest.raises(errors.TransportError):
            await zs.docs.list_docs(max_retries=max_retries)  # sent on that connection, which the server closes
    assert server.requests == 1 + max_retries + 1


@pytest.mark.parametrize("server", [{"reset": True}], indirect=True)
async def test_a_callers_session_keeps_its_own_middlewares(server: Dropping) -> None:
    seen: list[str] = []

    async def watching(request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType) -> aiohttp.ClientResponse:
        seen.append(request.method)
        return await handler(request)

    async with aiohttp.ClientSession(middlewares=(watching,)) as session:
        client = zapsign.Client(auth=zapsign.ApiTokenAuth("t"), base_url=server.base_url, session=session)
        async with client as zs:
            with pytest.raises(errors.TransportError):
                await zs.docs.list_docs(max_retries=0)
    assert (server.requests, seen) == (1, ["GET"])
