"""Redis answers are input like any other: a stored value no worker could have written is ignored, then replaced."""

from __future__ import annotations

import json

import pytest
import redis.asyncio

from tessera import zapsign
from tessera._auth.store import decode
from tessera.stores import RedisStore
from tessera.testing import ManualClock, emulator
from tests.stores.conftest import RedisServer, SameTime

AUTH = zapsign.PasswordAuth("123", "dev@ejemplo.com", "StrongPassword123")


def stored(access: object, **schedule: object) -> bytes:
    value = {"access": access, "refresh": None, "renew_at": 2e9, "usable_until": 2e9, "refresh_expires_at": None}
    return json.dumps({**value, **schedule}).encode()


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(b"\xff\xfe not json", id="not JSON"),
        pytest.param(b'["a", "list"]', id="not an object"),
        pytest.param(stored("eyJ.a.b\r\nX-Injected: 1"), id="CR LF in the access token"),
        pytest.param(stored("eyJ.a.b\x00"), id="NUL in the access token"),
        pytest.param(stored(""), id="empty access token"),
        pytest.param(stored("eyJ.a.b", usable_until=float("nan")), id="NaN schedule"),
        pytest.param(stored("eyJ.a.b", renew_at=float("nan")), id="NaN renewal time"),
    ],
)
async def test_a_stored_value_no_worker_wrote_is_ignored_and_replaced(redis_server: RedisServer, value: bytes) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=86400)
    store = RedisStore(redis_server.url)
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    async with emu:
        async with zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=store) as zs:
            await zs.docs.list_docs()  # publishes under the credential's key
        [key] = await raw.keys("tessera:tokens:*")
        await raw.set(key, value)
        async with zapsign.Client(auth=AUTH, base_url=emu.base_url, clock=SameTime(clock), store=store) as zs:
            page = await zs.docs.list_docs()  # a fresh worker: nothing of its own, reads the store first
            again = await zs.docs.list_docs()
    replaced = await raw.get(key)
    await raw.aclose()
    await store.aclose()
    assert page.count == again.count
    assert emu.logins == 2  # the second worker logged in rather than adopt what it found...
    assert emu.counts["GET /docs/"] == 3  # ...and sent no request with it (none refused, none retried)
    assert isinstance(replaced, bytes)
    assert decode(replaced) is not None
