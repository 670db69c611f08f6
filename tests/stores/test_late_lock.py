"""A lock request that reached Redis after the client's own timeout: the lock it took does not hold others up.

Worker A reaches Redis through a proxy that holds back its SET NX, or the reply to it, past A's 0.3 s timeout;
worker B goes direct. Both stores take locks for 30 s: waiting that out fails the test long before.
"""

from __future__ import annotations

import asyncio

import redis.asyncio

from tessera import zapsign
from tessera.stores import RedisStore
from tessera.testing import ManualClock, emulator
from tests.polling import until
from tests.stores.conftest import RedisServer, SameTime, renewal_locks
from tests.stores.proxy import LateProxy

AUTH = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")
LOCKS = b"tessera:renewal:"


async def test_a_lock_taken_after_the_clients_timeout_holds_nobody_up(redis_server: RedisServer) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400)
    async with emu, LateProxy(redis_server.port, key=LOCKS, delay=1.0) as proxy:
        # Redis takes the lock for A, which never learns it: A gives up after 0.3 s. B renews meanwhile.
        late, direct = (
            RedisStore(proxy.url, timeout=0.3, lock_seconds=30),
            RedisStore(redis_server.url, lock_seconds=30),
        )
        a_clock, b_clock = SameTime(clock), SameTime(clock)
        a = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=a_clock, store=late)
        b = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=b_clock, store=direct)
        async with asyncio.timeout(5):  # far below the lock's 30 s: a stall for its TTL fails here
            first = asyncio.ensure_future(a.docs.list_docs())
            await until(lambda: proxy.held == 1)
            assert len(await renewal_locks(redis_server)) == 1  # taken, its reply on its way back late
            second = asyncio.ensure_future(b.docs.list_docs())
            await asyncio.gather(first, second)
        assert await renewal_locks(redis_server) == []
        await a.aclose()
        await b.aclose()
    await late.aclose()
    await direct.aclose()
    # B waited for A's timeout and the release that followed (0.3 s), not for the lock's 30 s nor A's lease (1.2 s).
    assert b_clock.slept < 1
    assert a_clock.slept == 0  # A gave up on the store and logged in alone: it never waited on its own lock
    assert emu.logins == 2  # A's in-process fallback, and B's, published


async def test_a_lock_request_that_reaches_redis_after_its_release_holds_nobody_up_past_a_lease(
    redis_server: RedisServer,
) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400)
    async with emu, LateProxy(redis_server.port, key=LOCKS, delay=1.0, hold="command") as proxy:
        late, direct = (
            RedisStore(proxy.url, timeout=0.3, lock_seconds=30),
            RedisStore(redis_server.url, lock_seconds=30),
        )
        b_clock = SameTime(clock)
        a = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=late)
        b = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=b_clock, store=direct)
        async with asyncio.timeout(5):
            await a.docs.list_docs()  # its SET NX timed out and its release found nothing: it logged in alone
            await until(lambda: proxy.held == 1)
            # Then the SET arrives and takes the lock for nobody.
            while not await renewal_locks(redis_server):  # noqa: ASYNC110 - the lock lives in Redis
                await asyncio.sleep(0.01)
            clock.advance(3600)  # whatever is published is past its time: B needs the lock
            await b.docs.list_docs()
        await a.aclose()
        await b.aclose()
    await late.aclose()
    await direct.aclose()
    assert 0 < b_clock.slept < 2  # the lock lived for A's lease (4 timeouts: 1.2 s), not 30 s
    assert emu.logins == 2


async def test_a_lock_with_no_expiry_holds_nobody_up_past_a_lease(redis_server: RedisServer) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400)
    store = RedisStore(redis_server.url, timeout=0.25, lock_seconds=30)
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    async with emu:
        async with zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=store) as zs:
            await zs.docs.list_docs()
        [key] = await raw.keys("tessera:tokens:*")
        assert isinstance(key, bytes)
        lock = LOCKS + key.removeprefix(b"tessera:tokens:")
        await raw.set(lock, b"set by hand, or by anything but a worker")  # no PX: it would never expire
        clock.advance(3600)
        waiting = SameTime(clock)
        zs = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=waiting, store=store)
        async with asyncio.timeout(5):  # not `async with zs`: closing would wait for the renewal
            await zs.docs.list_docs()
        await zs.aclose()
    await raw.aclose()
    await store.aclose()
    assert 0 < waiting.slept < 2  # the foreign lock got a lease (4 timeouts: 1 s) and expired
    assert emu.refreshes == 1
