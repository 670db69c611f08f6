"""Reading an answer's body within `max_response_bytes`, counted decompressed as it comes."""

from __future__ import annotations

import aiohttp
from aiohttp import hdrs

from tessera.errors import ResponseTooLarge


async def read_bounded(response: aiohttp.ClientResponse, limit: int, describe: str) -> bytes:
    """The body, decompressed, or ResponseTooLarge as soon as more than `limit` bytes of it came.

    Read as aiohttp's buffer hands it over (aiohttp stops reading the socket while that buffer is
    full, and inflates a compressed body a step at a time), never with `response.read()`: that lifts
    aiohttp's bound on each decompression step, so a small gzip stream inflates whole in memory
    before anything could count it. The rest of a refused body is not read: the connection is closed.
    """
    length = response.content_length
    if (
        length is not None
        and length > limit
        and response.method != "HEAD"
        # A compressed body's Content-Length is its size on the wire, not the size that counts.
        and hdrs.CONTENT_ENCODING not in response.headers
    ):
        response.close()
        raise _too_large(describe, limit)
    chunks: list[bytes] = []
    size = 0
    while chunk := await response.content.readany():
        size += len(chunk)
        if size > limit:
            response.close()
            raise _too_large(describe, limit)
        chunks.append(chunk)
    body = b"".join(chunks)  # one chunk (most answers) is returned as it is, not copied
    for trace in response._traces:  # what response.read() would have told the session's trace configs
        await trace.send_response_chunk_received(response.method, response.url, body)
    return body


def _too_large(describe: str, limit: int) -> ResponseTooLarge:
    return ResponseTooLarge(
        f"{describe}: the answer's body is longer than max_response_bytes ({limit:,} bytes); not read further",
        limit=limit,
    )
