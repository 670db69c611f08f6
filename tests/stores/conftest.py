"""A real redis-server on a free loopback port, started and stopped by the tests themselves; a clock for workers."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import attrs
import pytest
import redis.asyncio

from tessera.testing import ManualClock


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@attrs.define
class RedisServer:
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable is not None, "redis-server is not installed (.ci/run installs Debian's redis-server)"
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary on loopback, no shell
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start within 10 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class SameTime:
    """Another clock object reading the same time: a second broker in this process, as in a second worker."""

    def __init__(self, clock: ManualClock) -> None:
        self._clock = clock
        self.slept = 0.0
        """Seconds its broker asked to wait, in all (waiting on another worker's lock, say)."""

    def now(self) -> float:
        return self._clock.now()

    async def sleep(self, seconds: float) -> None:
        self.slept += seconds
        await asyncio.sleep(min(seconds, 0.05))  # real waits: the Redis lock expires in real time


async def renewal_locks(server: RedisServer) -> list[bytes | str]:
    """The renewal locks held in `server` now, by key."""
    raw = redis.asyncio.Redis.from_url(server.url)
    locks: list[bytes | str] = await raw.keys("tessera:renewal:*")
    await raw.aclose()
    return locks


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
