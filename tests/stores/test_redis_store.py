"""RedisStore against a real redis-server: what it stores, its lock, and what happens when Redis goes away."""

from __future__ import annotations

import asyncio
import json
import logging
import re

import aiohttp
import pytest
import redis.asyncio

from tessera import errors, zapsign
from tessera._auth.secrets import Secret
from tessera._auth.store import StoreUnavailable
from tessera._auth.tokens import TokenSet
from tessera.stores import RedisStore
from tessera.testing import Fault, ManualClock, emulator
from tests.polling import until
from tests.stores.conftest import RedisServer, SameTime, free_port

REFRESH = "POST /auth/token-refresh/"
TOKENS = TokenSet(Secret("access-value"), Secret("refresh-value"), 100.0, 110.0, 1000.0)


async def test_tokens_round_trip_and_expire_with_their_ttl(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url)
    await store.save("fingerprint", TOKENS, ttl=0.2)
    assert await store.load("fingerprint") == TOKENS
    await asyncio.sleep(0.3)
    assert await store.load("fingerprint") is None
    await store.aclose()


async def test_tokens_without_a_refresh_token_round_trip(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url)
    minted = TokenSet(Secret("access-value"), None, 100.0, 110.0, None)  # as Biuwer's per-user tokens are
    await store.save("fingerprint", minted, ttl=5)
    assert await store.load("fingerprint") == minted
    await store.aclose()


async def test_tokens_round_trip_with_a_url_that_asks_for_decoded_responses(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url + "?decode_responses=true")  # redis-py then answers str, not bytes
    await store.save("fingerprint", TOKENS, ttl=5)
    assert await store.load("fingerprint") == TOKENS
    held = await store.acquire("fingerprint", ttl=5)
    assert held is not None
    assert await store.acquire("fingerprint", ttl=5) is None
    await store.release("fingerprint", held)
    assert await store.acquire("fingerprint", ttl=5) is not None
    await store.aclose()


async def test_the_lock_has_one_owner_and_expires(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url)
    held = await store.acquire("fingerprint", ttl=0.3)
    assert held is not None
    assert await store.acquire("fingerprint", ttl=0.3) is None
    await asyncio.sleep(0.4)  # the owner died, say: its lock expires on its own
    taken_over = await store.acquire("fingerprint", ttl=5)
    assert taken_over is not None
    await store.release("fingerprint", held)  # the late owner's release must not free the new owner's lock
    assert await store.acquire("fingerprint", ttl=5) is None
    await store.release("fingerprint", taken_over)
    assert await store.acquire("fingerprint", ttl=5) is not None
    await store.aclose()


async def test_a_held_lock_lives_by_leases_while_its_holder_does_and_no_longer_than_its_ttl(
    redis_server: RedisServer,
) -> None:
    holder, other = RedisStore(redis_server.url, timeout=0.2), RedisStore(redis_server.url)
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    held = await holder.acquire("fingerprint", ttl=2.5)
    assert held is not None
    assert 0 < await raw.pttl("tessera:renewal:fingerprint") <= 800  # a lease of four timeouts, not the 2.5 s
    await asyncio.sleep(1.3)  # past a lease: extended meanwhile
    assert await other.acquire("fingerprint", ttl=5) is None
    await asyncio.sleep(1.4)  # past the 2.5 s: not extended beyond it, though its holder never released it
    taken_over = await other.acquire("fingerprint", ttl=5)
    assert taken_over is not None
    await holder.release("fingerprint", held)  # late: frees nothing of the new owner's
    assert await raw.exists("tessera:renewal:fingerprint") == 1
    await other.release("fingerprint", taken_over)
    assert await raw.exists("tessera:renewal:fingerprint") == 0
    await raw.aclose()
    await holder.aclose()
    await other.aclose()


async def test_keys_hold_no_secret(redis_server: RedisServer) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock)
    store = RedisStore(redis_server.url)
    auth = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")
    async with emu, zapsign.Client(auth=auth, base_url=emu.base_url, clock=clock, store=store) as zs:
        await zs.docs.list_docs()
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    keys = [key.decode() if isinstance(key, bytes) else key for key in await raw.keys("*")]
    assert len(keys) == 1
    assert keys[0].startswith("tessera:tokens:")
    assert all(secret not in keys[0] for secret in ("StrongPassword123", "dev@ejemplo.com", "123"))
    value = await raw.get(keys[0])
    assert value is not None
    assert b"StrongPassword123" not in value
    await raw.aclose()
    await store.aclose()


def test_the_url_and_its_password_stay_out_of_the_repr() -> None:
    assert "hunter2" not in repr(RedisStore("redis://:hunter2@cache.internal:6379/0"))


def test_a_store_that_is_not_redis_is_a_configuration_error() -> None:
    with pytest.raises(errors.ConfigurationError, match="redis://"):
        RedisStore("http://127.0.0.1:6379")


@pytest.mark.parametrize("setting", ["lock_seconds", "timeout"])
@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), True, "30", None])
def test_lock_seconds_and_timeout_are_positive_numbers_of_seconds(setting: str, value: object) -> None:
    with pytest.raises(errors.ConfigurationError, match=f"RedisStore {setting} must be a positive number"):
        RedisStore("redis://127.0.0.1:6379/0", **{setting: value})  # type: ignore[arg-type]


async def test_an_unreachable_redis_is_store_unavailable_quickly() -> None:
    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", timeout=0.5)
    with pytest.raises(StoreUnavailable):
        await store.load("fingerprint")
    await store.aclose()


async def test_redis_stopped_mid_run_falls_back_with_one_warning(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=7 * 86400)
    store = RedisStore(redis_server.url, timeout=0.5)
    auth = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")
    caplog.set_level(logging.WARNING, logger="tessera")
    async with emu, zapsign.Client(auth=auth, base_url=emu.base_url, clock=clock, store=store) as zs:
        await zs.docs.list_docs()
        redis_server.stop()
        for _ in range(3):  # three renewals with Redis gone: each falls back, requests keep succeeding
            clock.advance(3600)
            pages = await asyncio.gather(*(zs.docs.list_docs() for _ in range(20)))
            assert len(pages) == 20
    warnings = [r.getMessage() for r in caplog.records if "token store unreachable" in r.getMessage()]
    assert len(warnings) == 1
    assert re.match(r"zapsign PasswordLogin [0-9a-f]{12}: token store unreachable \(", warnings[0]), warnings[0]
    assert (emu.logins, emu.refreshes) == (1, 3)
    await store.aclose()


async def test_redis_gone_when_a_refused_refresh_looks_for_a_rotation_logs_in_at_once(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400, rotate_refresh_tokens=True)
    store = RedisStore(redis_server.url, timeout=0.5)
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    auth = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")
    caplog.set_level(logging.WARNING, logger="tessera")
    async with emu, aiohttp.ClientSession() as http:
        zs = zapsign.Client(auth=auth, base_url=emu.base_url, clock=clock, store=store)
        await zs.docs.list_docs()  # logged in, published R0
        [key] = await raw.keys("tessera:tokens:*")
        published = await raw.get(key)
        assert published is not None
        await raw.aclose()
        # Someone else spends R0 (a worker that could not publish its rotation, say).
        refresh = {"refresh": json.loads(published)["refresh"]}
        async with http.post(f"{emu.base_url}/auth/token-refresh/", json=refresh) as answer:
            assert answer.status == 200
        clock.advance(3600)
        emu.faults.add(REFRESH, Fault.delay(0.5))
        call = asyncio.ensure_future(zs.docs.list_docs())
        await until(lambda: emu.counts[REFRESH] == 2)  # our R0 is at the vendor, to be refused...
        redis_server.stop()  # ...and Redis is gone when the refusal sends us to look for a rotation there
        await call
        await zs.aclose()
    await store.aclose()
    assert emu.counts[REFRESH] == 2  # the other's and ours: R0 not presented a second time
    assert emu.logins == 2
    assert len([r for r in caplog.records if "token store unreachable" in r.getMessage()]) == 1


async def test_a_renewal_that_outlasts_its_lease_keeps_the_lock(redis_server: RedisServer) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400, rotate_refresh_tokens=True)
    first, second = RedisStore(redis_server.url, timeout=0.25), RedisStore(redis_server.url, timeout=0.25)
    auth = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")
    async with emu:
        a = zapsign.Client(auth=auth, base_url=emu.base_url, clock=SameTime(clock), store=first)
        b = zapsign.Client(auth=auth, base_url=emu.base_url, clock=SameTime(clock), store=second)
        await a.docs.list_docs()
        await b.docs.list_docs()  # adopted A's login
        clock.advance(3600)
        emu.faults.add(REFRESH, Fault.delay(2.5))  # past two leases of 1 s (four 0.25 s timeouts)
        slow = asyncio.ensure_future(a.docs.list_docs())
        await until(lambda: emu.counts[REFRESH] == 1)
        await asyncio.gather(slow, b.docs.list_docs())  # B waits for A's lock, then adopts what A published
        await a.aclose()
        await b.aclose()
    await first.aclose()
    await second.aclose()
    assert (emu.counts[REFRESH], emu.refreshes, emu.logins) == (1, 1, 1)
