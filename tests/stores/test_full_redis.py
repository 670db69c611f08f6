"""A Redis that is full (maxmemory, noeviction) after a worker took the lock: the tokens it obtained are used.

Obtaining them again would log in again, or present the refresh token the first attempt rotated away.
"""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio
import redis.exceptions

from tessera import zapsign
from tessera.stores import RedisStore
from tessera.testing import Fault, ManualClock, emulator
from tests.polling import until
from tests.stores.conftest import RedisServer, SameTime, renewal_locks

AUTH = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")
LOGIN = "POST /auth/token/{organization_id}/"
REFRESH = "POST /auth/token-refresh/"


async def fill(server: RedisServer) -> None:
    """Cap Redis at 1 MB over what it holds, refuse to evict, write until it answers OOM, and keep it full.

    Redis frees some memory of its own a moment later (clients' query buffers shrink) and would take a small
    write again: the cap then goes 100 kB under what it holds.
    """
    raw = redis.asyncio.Redis.from_url(server.url)
    await raw.config_set("maxmemory-policy", "noeviction")
    memory = await raw.info("memory")
    await raw.config_set("maxmemory", memory["used_memory"] + 1_000_000)
    for n in range(1_000):
        try:
            await raw.set(f"filler:{n}", b"x" * 10_000)
        except redis.exceptions.OutOfMemoryError:
            break
    else:
        pytest.fail("10 MB fitted under a 1 MB cap")
    memory = await raw.info("memory")
    await raw.config_set("maxmemory", memory["used_memory"] - 100_000)
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        await raw.set("small", b"x")
    await raw.aclose()


async def test_a_login_that_cannot_be_published_is_used_not_repeated(redis_server: RedisServer) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400)
    first, second = RedisStore(redis_server.url), RedisStore(redis_server.url)
    async with emu:
        a = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=first)
        b = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=second)
        emu.faults.add(LOGIN, Fault.delay(1.0))
        call = asyncio.ensure_future(a.docs.list_docs())
        await until(lambda: emu.counts[LOGIN] == 1)  # A holds the lock, its login is at the vendor...
        await fill(redis_server)  # ...when Redis fills up: A cannot publish what it obtains
        await call
        assert await renewal_locks(redis_server) == []  # released all the same (a DEL is allowed when full)
        # B finds nothing published and cannot take the lock (SET is refused too): it logs in for itself.
        await b.docs.list_docs()
        await a.docs.list_docs()
        await b.docs.list_docs()
        await a.aclose()
        await b.aclose()
    await first.aclose()
    await second.aclose()
    assert emu.logins == 2  # one per worker; A's login again would make it 3
    assert emu.counts[LOGIN] == 2


async def test_a_rotated_refresh_that_cannot_be_published_is_used_not_repeated(redis_server: RedisServer) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400, rotate_refresh_tokens=True)
    first, second = RedisStore(redis_server.url), RedisStore(redis_server.url)
    async with emu:
        a = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=first)
        b = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=second)
        await a.docs.list_docs()
        await b.docs.list_docs()  # adopted A's published login: both hold refresh token R0
        assert emu.logins == 1
        clock.advance(3600)
        emu.faults.add(REFRESH, Fault.delay(1.0))
        call = asyncio.ensure_future(a.docs.list_docs())
        await until(lambda: emu.counts[REFRESH] == 1)  # A holds the lock and presents R0...
        await fill(redis_server)  # ...and cannot publish R1, the rotation it gets back
        await call
        await a.docs.list_docs()
        assert (emu.counts[REFRESH], emu.refreshes, emu.logins) == (1, 1, 1)  # R0 presented once, by A
        # B knows only R0 (A could not publish R1): refused once, it logs in. That is what the full store costs.
        await b.docs.list_docs()
        await a.aclose()
        await b.aclose()
    await first.aclose()
    await second.aclose()
    assert (emu.counts[REFRESH], emu.refreshes, emu.logins) == (2, 1, 2)
