"""A ZapSign emulator and password clients on one manual clock: hours of token lifetime, no sleeping."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tessera import zapsign
from tessera.testing import ManualClock, ZapSignEmulator, emulator

ORGANIZATION, USERNAME, PASSWORD = "123", "dev@ejemplo.com", "StrongPassword123"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def emu(clock: ManualClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=7200)
    async with emu:
        yield emu


def password_client(
    emu: ZapSignEmulator, clock: ManualClock, *, password: str = PASSWORD, **options: object
) -> zapsign.Client:
    return zapsign.Client(
        auth=zapsign.PasswordAuth(ORGANIZATION, USERNAME, password),
        base_url=emu.base_url,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )
