"""A worker whose refresh is refused because another worker rotated the token re-reads the store: no login."""

from __future__ import annotations

import asyncio

from tessera import zapsign
from tessera.stores import RedisStore
from tessera.testing import Fault, ManualClock, emulator
from tests.stores.conftest import RedisServer, SameTime

AUTH = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")


async def test_a_refused_refresh_adopts_the_rotation_another_worker_published(redis_server: RedisServer) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400, rotate_refresh_tokens=True)
    store = RedisStore(redis_server.url, lock_seconds=0.2)
    async with emu:
        a = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=store)
        b = zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=store)
        await a.docs.list_docs()
        await b.docs.list_docs()  # adopted A's published tokens
        assert emu.logins == 1
        clock.advance(3600)
        # A's refresh is held at the vendor past its 0.2 s lock; B takes the lock and rotates the token.
        emu.faults.add("POST /auth/token-refresh/", Fault.delay(0.6))
        slow = asyncio.ensure_future(a.docs.list_docs())  # a page is awaitable, not a coroutine
        await asyncio.sleep(0.35)
        await b.docs.list_docs()
        page = await slow  # A's refresh with the rotated-away token was refused: it found B's in the store
        await a.aclose()
        await b.aclose()
    await store.aclose()
    assert page.count > 0
    assert emu.counts["POST /auth/token-refresh/"] == 2
    assert emu.refreshes == 1
    assert emu.logins == 1
