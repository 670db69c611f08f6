"""A TCP proxy on 127.0.0.1 in front of redis-server that holds back the first command naming a key, or its reply.

`hold="reply"`: the command goes through at once, so Redis does what it says (takes a lock, say), and only
its reply comes back late, past the client's timeout. `hold="command"`: the command itself reaches Redis
late, after the client gave up on it and did whatever it does then.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Literal

from tests.stores.conftest import free_port


class LateProxy:
    def __init__(
        self, upstream_port: int, *, key: bytes, delay: float, hold: Literal["reply", "command"] = "reply"
    ) -> None:
        self._upstream_port = upstream_port
        self._key = key
        self._delay = delay
        self._hold = hold
        self.port = free_port()
        self.held = 0
        """Commands or replies held back so far (one at most)."""
        self._server: asyncio.Server | None = None
        self._pumps: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def __aenter__(self) -> LateProxy:
        self._server = await asyncio.start_server(self._connected, "127.0.0.1", self.port)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.close()
        for pump in self._pumps:
            pump.cancel()
        await asyncio.gather(*self._pumps, return_exceptions=True)
        await self._server.wait_closed()

    async def _connected(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self._upstream_port)
        late: list[bool] = []  # this connection's next reply is to be held back
        for pump in (
            self._commands(client_reader, upstream_writer, late),
            self._replies(upstream_reader, client_writer, late),
        ):
            task = asyncio.ensure_future(pump)
            self._pumps.add(task)
            task.add_done_callback(self._pumps.discard)

    async def _commands(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, late: list[bool]) -> None:
        # redis-py waits for each reply before its next command on a connection: the next reply is this one's.
        try:
            while chunk := await source.read(65536):
                if self.held == 0 and self._key in chunk:
                    self.held = 1
                    if self._hold == "command":
                        await asyncio.sleep(self._delay)
                    else:
                        late.append(True)
                sink.write(chunk)
                await sink.drain()
        except ConnectionError:
            pass
        finally:
            sink.close()

    async def _replies(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, late: list[bool]) -> None:
        try:
            while chunk := await source.read(65536):
                if late:
                    late.clear()
                    await asyncio.sleep(self._delay)
                sink.write(chunk)
                await sink.drain()
        except ConnectionError:
            pass
        finally:
            sink.close()
