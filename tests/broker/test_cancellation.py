"""Cancelling callers never cancels the renewal they wait on, nor leaves a task behind."""

from __future__ import annotations

import asyncio

import pytest

from tessera import zapsign
from tessera.testing import ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client


async def first_page(zs: zapsign.Client) -> zapsign.models.DocList:
    return await zs.docs.list_docs()


def other_tasks() -> set[asyncio.Task[object]]:
    return {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}


async def test_cancelling_the_caller_that_started_the_renewal_spares_the_others(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    async with password_client(emu, clock) as zs:
        await zs.docs.list_docs()
        clock.advance(3600)
        starter = asyncio.create_task(first_page(zs))
        await asyncio.sleep(0)  # the starter runs up to its wait on the renewal it started
        waiters = [asyncio.create_task(first_page(zs)) for _ in range(100)]
        await asyncio.sleep(0)
        starter.cancel()
        pages = await asyncio.gather(*waiters)
        with pytest.raises(asyncio.CancelledError):
            await starter
    assert len(pages) == 100
    assert emu.refreshes == 1
    assert emu.counts["POST /auth/token-refresh/"] == 1


async def test_a_renewal_whose_waiters_all_left_still_completes_and_serves_the_next_caller(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    async with password_client(emu, clock) as zs:
        await zs.docs.list_docs()
        clock.advance(3600)
        waiters = [asyncio.create_task(first_page(zs)) for _ in range(50)]
        await asyncio.sleep(0)
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
        await zs.docs.list_docs()
    assert emu.counts["POST /auth/token-refresh/"] == 1
    assert emu.logins == 1


async def test_closing_the_client_leaves_no_task_pending(emu: ZapSignEmulator, clock: ManualClock) -> None:
    async with password_client(emu, clock) as zs:
        await zs.docs.list_docs()
        clock.advance(3500)  # inside the renewal window: the next call starts a background renewal
        await zs.docs.list_docs()
        assert any("tessera renewal" in task.get_name() for task in other_tasks())
    assert not any("tessera renewal" in task.get_name() for task in other_tasks())
    assert emu.refreshes == 1
