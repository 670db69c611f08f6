"""A refused credential's broker says it is answering from memory exactly for the refusal's backoff.

registry.py keeps such a broker after its last client closed (`refusing()`), so that the next client
of a wrong password is answered from memory too. The test suite's own check of errors keeps the
refused error, and so the broker, alive; `refusing()` is therefore checked on the broker itself.
"""

from __future__ import annotations

import pytest

from tessera import errors
from tessera._auth import registry
from tessera.testing import ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client


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
