"""The broker's waits, on the clock: a refused login's remembered backoff, and a login flood waited out.

- A refused login is answered from memory for 1 s, then 2, 4, ... up to 60 s: each refusal's window is
  checked from both sides, a call just before its end answered from memory (no login reaches the
  emulator) and a call at its end sending one login.
- ZapSign's login flood answer (400 "Rate limit exceeded", no Retry-After) is waited out inside the one
  renewal: 1 s, then doubling up to 30 s, until 120 s in all would be passed; then RateLimited.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from tessera import errors
from tessera.testing import Fault, ManualClock, ZapSignEmulator, emulator
from tests.broker.conftest import password_client
from tests.clocks import RecordingClock

LOGIN = "POST /auth/token/{organization_id}/"
FLOOD = Fault.reply(400, {"message": "Rate limit exceeded"})
"""ZapSign's answer to too many logins."""


async def test_a_refused_login_is_remembered_for_a_backoff_doubling_from_1_to_60_s(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    early = 0.5
    async with password_client(emu, clock, password="wrong") as zs:
        with pytest.raises(errors.InvalidCredentials):
            await zs.docs.list_docs()
        assert emu.counts[LOGIN] == 1
        for attempt, backoff in enumerate([1, 2, 4, 8, 16, 32, 60, 60, 60], start=2):
            clock.advance(backoff - early)  # just before the window ends: answered from memory
            with pytest.raises(errors.InvalidCredentials):
                await zs.docs.list_docs()
            assert emu.counts[LOGIN] == attempt - 1, f"a login {early} s before the end of a {backoff} s backoff"
            clock.advance(early)  # at its end: one login, refused, and a window twice as long
            with pytest.raises(errors.InvalidCredentials):
                await zs.docs.list_docs()
            assert emu.counts[LOGIN] == attempt, f"no login at the end of a {backoff} s backoff"
    assert emu.counts["GET /docs/"] == 0


@pytest.fixture
def recording() -> RecordingClock:
    return RecordingClock()


@pytest.fixture
async def flooded(recording: RecordingClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=recording, access_seconds=3600, refresh_seconds=7200)
    async with emu:
        yield emu


async def test_a_login_flood_is_waited_out_with_waits_doubling_from_1_s(
    flooded: ZapSignEmulator, recording: RecordingClock
) -> None:
    flooded.faults.add(LOGIN, FLOOD, times=4)
    async with password_client(flooded, recording) as zs:
        await zs.docs.list_docs()
    assert recording.slept == [1.0, 2.0, 4.0, 8.0]
    assert flooded.counts[LOGIN] == 5
    assert flooded.logins == 1


async def test_a_login_flood_past_the_120_s_budget_raises_rate_limited(
    flooded: ZapSignEmulator, recording: RecordingClock
) -> None:
    flooded.faults.add(LOGIN, FLOOD, times=100)
    async with password_client(flooded, recording) as zs:
        with pytest.raises(errors.RateLimited):
            await zs.docs.list_docs()
    # Capped at 30 s; 1 + 2 + 4 + 8 + 16 + 30 + 30 = 91 s, and another 30 would pass 120.
    assert recording.slept == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert flooded.counts[LOGIN] == 8
    assert flooded.logins == 0


async def test_a_login_flood_answer_with_retry_after_waits_what_it_asks_within_the_budget(
    flooded: ZapSignEmulator, recording: RecordingClock
) -> None:
    asked = Fault.reply(429, {"detail": "Request was throttled."}, headers={"Retry-After": "50"})
    flooded.faults.add(LOGIN, asked, times=100)
    async with password_client(flooded, recording) as zs:
        with pytest.raises(errors.RateLimited):
            await zs.docs.list_docs()
    assert recording.slept == [50.0, 50.0]  # a third 50 s wait would pass 120 s
    assert flooded.counts[LOGIN] == 3


async def test_a_login_flood_outlasting_the_budget_again_is_remembered_twice_as_long(
    flooded: ZapSignEmulator, recording: RecordingClock
) -> None:
    flooded.faults.add(LOGIN, FLOOD, times=100)
    async with password_client(flooded, recording) as zs:
        with pytest.raises(errors.RateLimited):
            await zs.docs.list_docs()
        recording.advance(1)  # the remembered 1 s passed: the next caller tries, and is flooded again
        with pytest.raises(errors.RateLimited):
            await zs.docs.list_docs()
        attempts = flooded.counts[LOGIN]
        recording.advance(1.5)  # within the second, doubled backoff: answered from memory
        with pytest.raises(errors.RateLimited):
            await zs.docs.list_docs()
        assert flooded.counts[LOGIN] == attempts
        recording.advance(0.5)  # at its end: tried again
        with pytest.raises(errors.RateLimited):
            await zs.docs.list_docs()
        assert flooded.counts[LOGIN] > attempts


async def test_a_remembered_refusal_is_logged_with_the_broker_and_the_wait(
    emu: ZapSignEmulator, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with password_client(emu, clock, password="wrong") as zs:
        with caplog.at_level(logging.WARNING, logger="tessera"), pytest.raises(errors.InvalidCredentials):
            await zs.docs.list_docs()
    (line,) = [record.getMessage() for record in caplog.records if "next attempt" in record.getMessage()]
    assert line.startswith("zapsign PasswordLogin ")  # the broker's name: vendor, scheme, credential fingerprint
    assert line.endswith(": InvalidCredentials; next attempt in 1 s")
