"""Biuwer's per-user tokens through Redis: minted once for every worker that shares the store.

Minted tokens have no refresh token, and a "none" policy token never expires: both are published and
read back by the other workers as they were minted.
"""

from __future__ import annotations

import datetime

from tessera import biuwer
from tessera.stores import RedisStore
from tessera.testing import BiuwerEmulator, ManualClock, emulator
from tests.stores.conftest import RedisServer, SameTime

START = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC).timestamp()


async def token_of_a_new_worker(emu: BiuwerEmulator, clock: ManualClock, url: str, user: str, policy: str) -> str:
    """The token a worker with a broker and a Redis connection of its own gets for `user`."""
    store = RedisStore(url)
    try:
        async with biuwer.Client(
            api_token=emu.api_token, base_url=emu.base_url, clock=SameTime(clock), store=store
        ) as bw:
            return await bw.user_token(user, policy=policy)  # type: ignore[arg-type]
    finally:
        await store.aclose()


async def test_workers_share_one_minted_token_per_user_and_policy(redis_server: RedisServer) -> None:
    clock = ManualClock(START)
    emu = emulator("biuwer", clock=clock)
    async with emu, biuwer.Client(api_token=emu.api_token, base_url=emu.base_url, clock=clock) as bw:
        user = (await bw.users.list_users()).data[0].id
        daily = await token_of_a_new_worker(emu, clock, redis_server.url, user, "daily")
        forever = await token_of_a_new_worker(emu, clock, redis_server.url, user, "none")
        assert emu.mints == 2
        assert await token_of_a_new_worker(emu, clock, redis_server.url, user, "daily") == daily
        clock.advance(400 * 86400)
        assert await token_of_a_new_worker(emu, clock, redis_server.url, user, "none") == forever
        assert emu.mints == 2  # the other workers read them from Redis
