"""An emulator served from a thread of its own, for tests whose event loop tessera does not own.

A test runner owns the loop of an async test (pytest-asyncio in strict or auto mode, anyio's plugin, a
loop per test or per session), and an emulator started in one loop stops answering while another runs.
Served on its own loop in a thread, an emulator answers whatever loop the test's client runs in, and
a synchronous fixture can start it without any async plugin's help. Its counters are read across the
thread: each is a plain container the server updates whole, as it does when in the same loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from typing import Final, TypeVar

from ._server import Emulator

E = TypeVar("E", bound=Emulator)

_START_SECONDS: Final = 30.0
"""Bound on starting or stopping the server: a port bind or a cleanup that hangs fails the test instead."""


@contextlib.contextmanager
def serve_in_thread(emu: E) -> Iterator[E]:
    """Serve `emu` on 127.0.0.1 from a new thread and loop until the block ends; yields it (`emu.base_url`)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=f"tessera {emu.vendor} emulator", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(emu.__aenter__(), loop).result(_START_SECONDS)
        try:
            yield emu
        finally:
            asyncio.run_coroutine_threadsafe(emu.__aexit__(None, None, None), loop).result(_START_SECONDS)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
