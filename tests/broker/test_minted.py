"""Biuwer's per-user tokens: one per user and policy period, minted single-flight; single-use on every call."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator

import pytest

from tessera import biuwer, errors
from tessera.testing import BiuwerEmulator, Fault, ManualClock, emulator
from tests.broker.frames import frame_secrets

# 2026-11-22 10:00 UTC: mid-day, mid-month.
START = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC).timestamp()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def emu(clock: ManualClock) -> AsyncIterator[BiuwerEmulator]:
    emu = emulator("biuwer", clock=clock)
    async with emu:
        yield emu


@pytest.fixture
async def bw(emu: BiuwerEmulator, clock: ManualClock) -> AsyncIterator[biuwer.Client]:
    async with biuwer.Client(api_token=emu.api_token, base_url=emu.base_url, clock=clock) as client:
        yield client


async def user_ids(bw: biuwer.Client) -> list[str]:
    return [user.id for user in (await bw.users.list_users()).data]


async def test_one_daily_token_per_user_minted_once_however_many_callers(
    emu: BiuwerEmulator, bw: biuwer.Client, clock: ManualClock
) -> None:
    users = await user_ids(bw)
    tokens = await asyncio.gather(*(bw.user_token(user, policy="daily") for user in users for _ in range(500)))
    assert emu.mints == len(users)
    assert len(set(tokens)) == len(users)
    assert all(emu.token_valid(token) for token in tokens)
    clock.advance(13 * 3600)  # 23:00: same day, same tokens
    assert await bw.user_token(users[0], policy="daily") in tokens
    assert emu.mints == len(users)
    clock.advance(2 * 3600)  # 01:00 the next day: yesterday's token is out of its window, a new one is minted
    assert not emu.token_valid(tokens[0])
    fresh = await bw.user_token(users[0], policy="daily")
    assert fresh not in tokens
    assert emu.token_valid(fresh)
    assert emu.mints == len(users) + 1


async def test_monthly_and_none_policies(emu: BiuwerEmulator, bw: biuwer.Client, clock: ManualClock) -> None:
    user = (await user_ids(bw))[0]
    monthly = await bw.user_token(user, policy="monthly")
    forever = await bw.user_token(user, policy="none")
    clock.advance(7 * 86400)  # 29 November: same month
    assert await bw.user_token(user, policy="monthly") == monthly
    clock.advance(3 * 86400)  # 2 December
    assert await bw.user_token(user, policy="monthly") != monthly
    clock.advance(400 * 86400)
    assert await bw.user_token(user, policy="none") == forever
    assert emu.token_valid(forever)
    assert emu.mints == 3


async def test_single_use_mints_on_every_call(emu: BiuwerEmulator, bw: biuwer.Client) -> None:
    user = (await user_ids(bw))[0]
    tokens = {await bw.user_token(user, policy="single-use") for _ in range(5)}
    assert len(tokens) == 5
    assert emu.mints == 5


async def test_a_bad_policy_or_user_is_a_clear_error(bw: biuwer.Client) -> None:
    with pytest.raises(errors.ConfigurationError, match="policy must be one of"):
        await bw.user_token("u1", policy="weekly")  # type: ignore[arg-type]
    with pytest.raises(errors.NotFound):
        await bw.user_token("no-such-user", policy="daily")


async def test_the_embed_name_joins_the_shared_resource_and_the_users_token(
    emu: BiuwerEmulator, bw: biuwer.Client
) -> None:
    user = (await user_ids(bw))[0]
    name = await bw.embed_name("shared-abc", user)
    shared, _, token = name.partition(":")
    assert shared == "shared-abc"
    assert token == await bw.user_token(user)
    assert emu.token_valid(token)
    assert emu.mints == 1
    with pytest.raises(errors.ConfigurationError, match="shared_resource_token"):
        await bw.embed_name("a:b", user)


async def test_a_failed_single_use_mint_leaves_no_frame_with_the_api_token(
    emu: BiuwerEmulator, bw: biuwer.Client
) -> None:
    [user_id, *_] = await user_ids(bw)
    emu.faults.add("POST /users/{user_id}/auth-tokens", Fault.reply(503, {"message": "down"}))
    with pytest.raises(errors.ServerError) as caught:
        await bw.user_token(user_id, policy="single-use")
    assert frame_secrets(caught.value, emu.api_token) == []
