"""The emulators the vendor tests share, on one manual clock: ZapSign's (with a client of it) and Videsk's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tessera import zapsign
from tessera.testing import ManualClock, VideskEmulator, ZapSignEmulator, emulator


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def zs_emu(clock: ManualClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=clock, documents=3)
    async with emu:
        yield emu


@pytest.fixture
async def zs(zs_emu: ZapSignEmulator) -> AsyncIterator[zapsign.Client]:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(zs_emu.api_token), base_url=zs_emu.base_url) as client:
        yield client


@pytest.fixture
async def vd_emu(clock: ManualClock) -> AsyncIterator[VideskEmulator]:
    emu = emulator("videsk", clock=clock)
    async with emu:
        yield emu
