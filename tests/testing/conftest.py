"""Fixtures for the emulators' own tests: a manual clock, started emulators and a client session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tessera.testing import ManualClock, VideskEmulator, ZapSignEmulator, emulator


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def zapsign(clock: ManualClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=clock)
    async with emu:
        yield emu


@pytest.fixture
async def videsk(clock: ManualClock) -> AsyncIterator[VideskEmulator]:
    emu = emulator("videsk", clock=clock)
    async with emu:
        yield emu
