"""Streaming a binary answer into a file, a chunk at a time: the `<operation>_to_file` methods.

The body never sits whole in memory, so `max_response_bytes` does not bound it (the caller asked for
the file, whatever its size); the call's timeout still does, from the request to the last byte.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp

from tessera.errors import InvalidArgument

_CHUNK = 1 << 20
"""Bytes read before each write: 1 MiB in memory at most, and one thread hop per MiB written."""


class FileSink:
    """Writes an answer's body to `destination`, from its start again on each attempt of the call."""

    __slots__ = ("_destination", "written")

    def __init__(self, destination: object, *, vendor: str, operation: str) -> None:
        """InvalidArgument (`destination`) unless it is a path whose folder exists: checked before sending."""
        if not isinstance(destination, str | os.PathLike):
            raise InvalidArgument(
                f"destination: expected a str or a pathlib.Path, got {type(destination).__name__}",
                argument="destination",
                vendor=vendor,
                operation=operation,
            )
        path = Path(destination)
        if not path.parent.is_dir() or path.is_dir():
            raise InvalidArgument(
                f"destination: {path.name!r} is not a file in an existing folder",
                argument="destination",
                vendor=vendor,
                operation=operation,
            )
        self._destination = path
        self.written = 0
        """Bytes of the body written by the last attempt."""

    async def __call__(self, content: aiohttp.StreamReader) -> None:
        self.written = 0
        with self._destination.open("wb") as file:  # truncated: a retry writes the whole body again
            async for chunk in content.iter_chunked(_CHUNK):
                # A write of a MiB can wait on a slow disk: in a thread, not in the event loop.
                await asyncio.to_thread(file.write, chunk)
                self.written += len(chunk)
