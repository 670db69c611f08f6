"""A refused credential's broker says it is answering from memory exactly for the refusal's backoff.

registry.py keeps such a broker after its last client closed (`refusing()`), so that the next client
of a wrong password is answered from memory too. The test suite's own check of errors keeps the
refused error, and so the broker, alive; `refusing()` is therefore checked on the broker itself, and the
test of the bound reads and drops those errors after each client, as a caller that lets go of them.
"""

from __future__ import annotations

import gc
from collections import OrderedDict

import pytest

from tessera import errors
from tessera._auth import registry
from tessera.testing import ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client
from tests.broker.test_threads import LOGIN
from tests.conftest import Shown


async def test_a_refused_broker_is_refusing_for_its_backoff_and_not_at_its_end(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    earlier = set(registry._brokers.values())  # earlier tests' brokers the suite's checks still hold
    async with password_client(emu, clock, password="wrong") as zs:
        with pytest.raises(errors.InvalidCredentials):
            await zs.docs.list_docs()
        [broker] = set(registry._brokers.values()) - earlier
        assert broker.refusing()
        clock.advance(0.999)
        assert broker.refusing()
        clock.advance(0.001)  # the 1 s backoff has passed: the next call logs in
        assert not broker.refusing()


async def test_refused_credentials_rest_most_recent_first_within_the_bound(
    emu: ZapSignEmulator,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    no_secret_in_what_tessera_shows: Shown,
) -> None:
    # A refused credential whose last client closed is still answered from memory for its backoff (no
    # login), within a bound (1,024, here 2) that lets go of the least recently released first; one
    # whose backoff has passed is let go of, and only that one.
    monkeypatch.setattr(registry, "_RESTING_MAX", 2)
    monkeypatch.setattr(registry, "_resting", OrderedDict())  # without earlier tests' refused brokers
    shown = no_secret_in_what_tessera_shows

    async def refused(password: str) -> None:
        async with password_client(emu, clock, password=password) as zs:
            with pytest.raises(errors.InvalidCredentials):
                await zs.docs.list_docs()
        shown.see_errors()
        shown.errors.clear()  # as a caller that lets go of the error: it holds the broker's frames
        gc.collect()

    for password in ("wrong-0", "wrong-1", "wrong-2", "wrong-3"):
        await refused(password)
    assert emu.counts[LOGIN] == 4
    await refused("wrong-2")
    await refused("wrong-3")
    assert emu.counts[LOGIN] == 4  # answered from memory
    await refused("wrong-0")
    assert emu.counts[LOGIN] == 5  # let go of past the bound: it logs in again
    clock.advance(0.5)
    await refused("wrong-4")  # refusing until 1.5 s
    clock.advance(0.6)  # wrong-3's and wrong-0's backoffs have passed, not wrong-4's
    await refused("wrong-4")
    assert emu.counts[LOGIN] == 6
