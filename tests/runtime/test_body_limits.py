"""`max_response_bytes`: no answer's body, decompressed, takes more memory than a small multiple of the limit.

The server is a raw asyncio server on 127.0.0.1 that streams generated data (one chunk, built once and
sent again and again: nothing large on its side), chosen by the base URL's first segment:

- `length`: a Content-Length of 1 GiB, then nothing: the body is never sent;
- `chunked`: an endless chunked body;
- `gzip`: an endless gzip stream of zeros (a few kB on the wire per MiB it inflates to), chunked;
- `sized-<n>`: a JSON page padded with spaces to `n` bytes, with its Content-Length;
- `stored-<n>`: the same, gzipped without compression: its Content-Length is a little over `n`;
- `error`: an endless chunked body under a 503.
"""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import aiohttp
import pytest
from yarl import URL

from tessera import errors, zapsign
from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES
from tessera._runtime.transport import Transport
from tessera.testing import Fault, ManualClock, emulator

MiB = 1024 * 1024
PAGE = b'{"count": 0, "next": null, "previous": null, "results": []}'
BLOCK = 64 * 1024
CHUNK = b"%x\r\n%s\r\n" % (BLOCK, b"x" * BLOCK)
"""One chunk of a chunked body, sent again and again."""
SLOW = 30.0
"""A timeout no test should come near: a body refused in time is refused well before it."""


class Streaming:
    """Serves the body kinds of the module's docstring; counts requests and body bytes put on the wire."""

    def __init__(self) -> None:
        self.requests = 0
        self.sent = 0
        self.port = 0

    def base_url(self, kind: str) -> str:
        return f"http://127.0.0.1:{self.port}/{kind}"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.requests += 1
            kind = head.split(b" ", 2)[1].split(b"/")[1].decode()
            await self._answer(kind, reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client closed the connection: what these tests expect of it
        finally:
            writer.close()

    async def _answer(self, kind: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if kind == "length":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % 2**30)
            await reader.read()  # until the client closes: no byte of the body is ever sent
        elif kind.startswith("sized-"):
            body = PAGE.ljust(int(kind.removeprefix("sized-")))
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
            writer.write(body)
            await writer.drain()
        elif kind.startswith("stored-"):
            body = gzip.compress(PAGE.ljust(int(kind.removeprefix("stored-"))), compresslevel=0)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            await writer.drain()
        elif kind == "gzip":
            writer.write(self._chunked_head(200, b"Content-Encoding: gzip\r\n"))
            await self._endless_gzip(writer)
        else:
            writer.write(self._chunked_head(503 if kind == "error" else 200))
            while True:
                writer.write(CHUNK)
                self.sent += BLOCK
                await self._yield(writer)

    @staticmethod
    def _chunked_head(status: int, extra: bytes = b"") -> bytes:
        return b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n%s\r\n" % (
            status,
            extra,
        )

    async def _endless_gzip(self, writer: asyncio.StreamWriter) -> None:
        compressor = zlib.compressobj(1, zlib.DEFLATED, 31, 1)  # a gzip stream; memLevel 1: a small compressor
        zeros = bytes(BLOCK)
        while True:
            data = compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH)
            writer.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.sent += len(data)
            await self._yield(writer)

    @staticmethod
    async def _yield(writer: asyncio.StreamWriter) -> None:
        """Let the client, on this same loop, read: drain() does not wait while the socket takes the data."""
        await writer.drain()
        await asyncio.sleep(0)


@pytest.fixture
async def server() -> AsyncIterator[Streaming]:
    streaming = Streaming()
    listening = await asyncio.start_server(streaming.serve, "127.0.0.1", 0)
    streaming.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield streaming


def client(base_url: str, **options: object) -> zapsign.Client:
    return zapsign.Client(
        auth=zapsign.ApiTokenAuth("t"),
        base_url=base_url,
        clock=ManualClock(),
        timeout=SLOW,
        **options,  # type: ignore[arg-type]
    )


async def refused(call: object) -> tuple[errors.ResponseTooLarge, float]:
    """The ResponseTooLarge the call raised, and how long it took."""
    begun = time.perf_counter()
    with pytest.raises(errors.ResponseTooLarge) as caught:
        await call  # type: ignore[misc]
    return caught.value, time.perf_counter() - begun


async def test_a_content_length_over_the_limit_is_refused_before_any_body(server: Streaming) -> None:
    async with client(server.base_url("length")) as zs:
        error, seconds = await refused(zs.docs.list_docs(signer_email="ana@example.com"))
    assert seconds < 1.0  # the server never sends the body: only its Content-Length can have refused it
    assert isinstance(error, errors.TransportError)
    assert error.limit == DEFAULT_MAX_RESPONSE_BYTES
    assert str(error) == (
        "zapsign GET /docs/: the answer's body is longer than max_response_bytes (33,554,432 bytes); not read further"
    )


async def test_the_content_length_of_an_answer_to_head_is_no_body(server: Streaming) -> None:
    # No spec has a HEAD operation yet: the transport is asked directly.
    transport = Transport(None, max_response_bytes=MiB)
    try:
        answer = await transport.send(
            "HEAD", server.base_url("length"), params=[], json_body=None, headers={}, timeout=SLOW, describe="HEAD"
        )
    finally:
        await transport.aclose()
    assert (answer.status, answer.headers["Content-Length"], answer.body) == (200, str(2**30), b"")


async def test_a_chunked_body_is_cut_once_past_the_limit(server: Streaming) -> None:
    async with client(server.base_url("chunked"), max_response_bytes=MiB) as zs:
        error, seconds = await refused(zs.docs.list_docs())
    assert error.limit == MiB
    assert seconds < 5.0  # an endless body; SLOW is the timeout
    await asyncio.sleep(0.05)  # the server notices the closed connection
    assert server.sent < 16 * MiB  # what the socket buffers took beside the MiB: not the body


async def test_a_gzip_bomb_is_counted_decompressed(server: Streaming) -> None:
    async with client(server.base_url("gzip"), max_response_bytes=4 * MiB) as zs:
        error, seconds = await refused(zs.docs.list_docs())
    assert error.limit == 4 * MiB
    assert seconds < 5.0
    assert server.sent < MiB  # ~20 kB in fact: the limit counted inflated bytes, not those on the wire


@pytest.mark.parametrize("kind", ["chunked", "gzip"])
async def test_peak_memory_is_a_small_multiple_of_the_limit(server: Streaming, kind: str) -> None:
    async with client(server.base_url("sized-100")) as zs:
        await zs.docs.list_docs()  # warm: aiohttp's and tessera's lazy imports and caches
    async with client(server.base_url(kind), max_response_bytes=MiB) as zs:
        tracemalloc.start()
        try:
            await refused(zs.docs.list_docs())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 3 * MiB  # the body's chunks, their join, aiohttp's read buffers; the server's side too


async def test_a_per_call_limit_overrides_the_clients(server: Streaming) -> None:
    async with client(server.base_url("sized-4096"), max_response_bytes=1024) as zs:
        page = await zs.docs.list_docs(max_response_bytes=4096)  # the client's 1 kB would refuse it
        assert page.count == 0
        error, _ = await refused(zs.docs.list_docs())
        assert error.limit == 1024
    async with client(server.base_url("sized-4096")) as zs:
        error, _ = await refused(zs.docs.list_docs(max_response_bytes=4095))
        assert error.limit == 4095
        await zs.docs.list_docs(max_response_bytes=4096)  # the limit itself is allowed
    assert server.requests == 4


async def test_a_compressed_body_is_measured_decompressed_not_by_its_content_length(server: Streaming) -> None:
    async with client(server.base_url("stored-4096"), max_response_bytes=4096) as zs:
        page = await zs.docs.list_docs()  # 4,096 bytes, in a gzip stream of more
        assert page.count == 0
        error, _ = await refused(zs.docs.list_docs(max_response_bytes=4095))
        assert error.limit == 4095


async def test_an_error_body_is_bounded_too_and_never_retried(server: Streaming) -> None:
    async with client(server.base_url("error"), max_response_bytes=MiB, max_retries=2) as zs:
        error, _ = await refused(zs.docs.list_docs())  # a 503 on a GET is retried, but not this
    assert error.limit == MiB
    assert server.requests == 1


async def test_a_login_answer_is_bounded_by_the_clients_limit() -> None:
    zap = emulator("zapsign")
    zap.faults.add("POST /auth/token/{organization_id}/", Fault.reply(200, {"pad": "x" * 8192}))
    auth = zapsign.PasswordAuth(zap.organization_id, zap.username, zap.password)
    async with zap, zapsign.Client(auth=auth, base_url=zap.base_url, max_response_bytes=4096) as zs:
        with pytest.raises(errors.ResponseTooLarge, match=r"POST /auth/token/\{organization_id\}/: .*4,096 bytes"):
            await zs.docs.list_docs(max_response_bytes=MiB)  # a call's own limit is for its own answer only
    assert zap.counts["POST /auth/token/{organization_id}/"] == 1


async def test_trace_configs_still_see_the_body(server: Streaming) -> None:
    seen: list[bytes] = []

    async def on_chunk(session: object, context: object, params: aiohttp.TraceResponseChunkReceivedParams) -> None:
        seen.append(params.chunk)

    trace = aiohttp.TraceConfig()
    trace.on_response_chunk_received.append(on_chunk)
    async with client(server.base_url("sized-100"), trace_configs=[trace]) as zs:
        await zs.docs.list_docs()
    assert seen == [PAGE.ljust(100)]


async def test_a_body_read_in_many_pieces_is_returned_whole(server: Streaming) -> None:
    seen: list[tuple[str, URL, int]] = []

    async def on_chunk(session: object, context: object, params: aiohttp.TraceResponseChunkReceivedParams) -> None:
        seen.append((params.method, params.url, len(params.chunk)))

    trace = aiohttp.TraceConfig()
    trace.on_response_chunk_received.append(on_chunk)
    size = 4 * MiB  # far more than one read of the socket
    async with client(server.base_url(f"sized-{size}"), trace_configs=[trace]) as zs:
        page = await zs.docs.list_docs(page=2)
    assert page.count == 0  # the pieces joined as they came: the JSON reads
    # Trace configs hear of the body once, whole, with the request's method and URL (as response.read() tells them).
    assert seen == [("GET", URL(server.base_url(f"sized-{size}") + "/docs/?page=2"), size)]


async def test_a_body_cut_while_streaming_names_the_request(server: Streaming) -> None:
    async with client(server.base_url("chunked"), max_response_bytes=MiB) as zs:
        error, _ = await refused(zs.docs.list_docs(signer_email="ana@example.com"))
    assert str(error) == (
        "zapsign GET /docs/: the answer's body is longer than max_response_bytes (1,048,576 bytes); not read further"
    )
