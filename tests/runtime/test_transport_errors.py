"""A TransportError keeps aiohttp's reason, and nothing of the request but its method and path template.

aiohttp's messages can hold the request's URL: its path carries the caller's values, its query too (an
e-mail address; a key, where an API takes one there) and its userinfo a password. Every URL in a reason
is cut to its origin, so an apiKey sent in the query (`api_token=S3CR3T` below) is kept out as well.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from tessera import errors, zapsign
from tessera._runtime.transport import _reason
from tessera.testing import ManualClock

PRIVATE = ("ana:pw-1618", "pw-1618", "doc-token-4242", "ana@example.com", "ana%40example.com", "S3CR3T", "frag")
WHERE = (
    "https://ana:pw-1618@api.example.com:8443/docs/doc-token-4242/?signer_email=ana%40example.com&api_token=S3CR3T#frag"
)


def request_info() -> aiohttp.RequestInfo:
    url = URL(WHERE)
    return aiohttp.RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)


FAILURES: dict[str, aiohttp.ClientError] = {
    "bad HTTP answer": aiohttp.ClientResponseError(request_info(), (), status=400, message="Too many headers received"),
    "invalid URL": aiohttp.InvalidURL(WHERE, "Invalid URL"),
    "invalid URL object": aiohttp.InvalidUrlClientError(URL(WHERE)),
    "connection timeout": aiohttp.ConnectionTimeoutError(f"Connection timeout to host {URL(WHERE)}"),
    "a URL's repr": aiohttp.ClientConnectionError(f"cannot reach {URL(WHERE)!r} (gave up)"),
    "a URL without a path": aiohttp.ClientConnectionError("no answer from http://ana:pw-1618@10.0.0.8?x=S3CR3T"),
    "no URL": aiohttp.ClientPayloadError("Response payload is not completed: <TransferEncodingError: 400>"),
    "aiohttp's default message": aiohttp.ServerDisconnectedError(),
    "no message": aiohttp.ClientPayloadError(),
}


@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
def test_a_reason_keeps_no_part_of_a_url_but_its_origin(failure: aiohttp.ClientError) -> None:
    reason = _reason(failure)
    assert reason.startswith(type(failure).__name__)
    assert [text for text in PRIVATE if text in reason] == []


def test_a_reason_keeps_what_aiohttp_said() -> None:
    assert _reason(FAILURES["bad HTTP answer"]) == "ClientResponseError: Too many headers received"
    assert _reason(FAILURES["connection timeout"]) == (
        "ConnectionTimeoutError: Connection timeout to host https://api.example.com:8443"
    )
    assert _reason(FAILURES["a URL's repr"]) == (
        "ClientConnectionError: cannot reach URL('https://api.example.com:8443') (gave up)"
    )
    assert _reason(FAILURES["a URL without a path"]) == "ClientConnectionError: no answer from http://10.0.0.8"
    assert _reason(FAILURES["aiohttp's default message"]) == "ServerDisconnectedError: Server disconnected"
    assert _reason(FAILURES["no message"]) == "ClientPayloadError"


@pytest.fixture
async def too_many_headers() -> AsyncIterator[str]:
    """A server whose every answer has 200 header lines: more than aiohttp's 128."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(200)) + b"\r\n")
        await writer.drain()
        writer.close()

    listening = await asyncio.start_server(serve, "127.0.0.1", 0)
    async with listening:
        yield f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}/api/v1"


async def test_aiohttp_reason_reaches_the_error_without_the_calls_values(too_many_headers: str) -> None:
    auth = zapsign.ApiTokenAuth("t")
    async with zapsign.Client(auth=auth, base_url=too_many_headers, clock=ManualClock(), max_retries=0) as zs:
        with pytest.raises(errors.TransportError) as by_path:
            await zs.docs.get_doc(doc_token="doc-token-4242")
        with pytest.raises(errors.TransportError) as by_query:
            await zs.docs.list_docs(signer_email="ana@example.com")
    assert str(by_path.value) == "zapsign GET /docs/{doc_token}/: ClientResponseError: Too many headers received"
    assert str(by_query.value) == "zapsign GET /docs/: ClientResponseError: Too many headers received"
