"""The emulators as pytest fixtures; installed with the package (its `pytest11` entry point), nothing to set up.

    async def test_sync(zapsign_emulator, tessera_clock):
        auth = zapsign.ApiTokenAuth(zapsign_emulator.api_token)
        async with zapsign.Client(auth=auth, base_url=zapsign_emulator.base_url, clock=tessera_clock) as zs: ...
        assert zapsign_emulator.counts["GET /docs/"] == 1

Each vendor fixture is a running emulator, on `tessera_clock`, stopped after the test. The fixtures are
synchronous and each emulator runs on a loop of its own in a thread (`serve_in_thread`): they work
whoever owns the test's loop (pytest-asyncio in strict or auto mode, with any loop scope, anyio's
plugin) and in tests with no async plugin at all. For other options, write a fixture the same way:
`with serve_in_thread(emulator("zapsign", documents=3, clock=tessera_clock)) as emu: yield emu`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._clock import ManualClock
from ._thread import serve_in_thread
from .biuwer import BiuwerEmulator
from .optiwe import OptiweEmulator
from .videsk import VideskEmulator
from .zapsign import ZapSignEmulator

__all__ = ["biuwer_emulator", "optiwe_emulator", "tessera_clock", "videsk_emulator", "zapsign_emulator"]


@pytest.fixture
def tessera_clock() -> ManualClock:
    """A clock that moves only when told (`advance`, or a client's sleep): pass it to the clients as `clock=`."""
    return ManualClock()


@pytest.fixture
def zapsign_emulator(tessera_clock: ManualClock) -> Iterator[ZapSignEmulator]:
    """ZapSign's API on 127.0.0.1 for this test, on `tessera_clock`."""
    with serve_in_thread(ZapSignEmulator(clock=tessera_clock)) as emu:
        yield emu


@pytest.fixture
def videsk_emulator(tessera_clock: ManualClock) -> Iterator[VideskEmulator]:
    """Videsk's API on 127.0.0.1 for this test, on `tessera_clock`."""
    with serve_in_thread(VideskEmulator(clock=tessera_clock)) as emu:
        yield emu


@pytest.fixture
def optiwe_emulator(tessera_clock: ManualClock) -> Iterator[OptiweEmulator]:
    """Optiwe's API on 127.0.0.1 for this test, on `tessera_clock`."""
    with serve_in_thread(OptiweEmulator(clock=tessera_clock)) as emu:
        yield emu


@pytest.fixture
def biuwer_emulator(tessera_clock: ManualClock) -> Iterator[BiuwerEmulator]:
    """Biuwer's API on 127.0.0.1 for this test, on `tessera_clock`."""
    with serve_in_thread(BiuwerEmulator(clock=tessera_clock)) as emu:
        yield emu
