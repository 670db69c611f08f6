"""Retry waits, read on the client's clock: full-jitter backoff per retried status, Retry-After, the 60 s cap.

Each wait is asserted between bounds: full jitter draws attempt n's wait uniformly from
[0, min(8, 0.5 * 2 ** (n - 1))], so over many draws every wait is under its ceiling and the draws
spread across it (one near zero, one near the ceiling). `random` is seeded: the draws are the same on
every run, and the bounds hold for any seed.
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import AsyncIterator

import pytest

from tessera import errors, videsk, zapsign
from tessera.testing import Fault, ZapSignEmulator, emulator
from tests.clocks import RecordingClock

DOCS = "GET /docs/"
RETRIES = 6
"""Enough retries to reach the 8 s cap: ceilings 0.5, 1, 2, 4, 8, 8."""
CEILINGS = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
CALLS = 30
"""Draws per attempt: all under a ceiling of c, none past 0.6 c, or none under 0.4 c, has odds 0.6**30 < 1e-6."""


@pytest.fixture(autouse=True)
def seeded() -> None:
    random.seed(13)


@pytest.fixture
def clock() -> RecordingClock:
    return RecordingClock()


@pytest.fixture
async def emu(clock: RecordingClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=clock)
    async with emu:
        yield emu


def client(emu: ZapSignEmulator, clock: RecordingClock, **options: object) -> zapsign.Client:
    return zapsign.Client(
        auth=zapsign.ApiTokenAuth(emu.api_token),
        base_url=emu.base_url,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


FAILURES: dict[str, tuple[Fault, type[errors.TesseraError]]] = {
    "429": (Fault.reply(429, {"detail": "Request was throttled."}), errors.RateLimited),  # no Retry-After
    "500": (Fault.reply(500, {"detail": "boom"}), errors.ServerError),
    "502": (Fault.html(502), errors.ServerError),
    "503": (Fault.reply(503, {"detail": "down"}), errors.ServerError),
    "504": (Fault.html(504, "<html>Gateway Time-out</html>"), errors.ServerError),
    "connection reset": (Fault.reset(), errors.TransportError),
}


@pytest.mark.parametrize("failure", FAILURES)
async def test_each_retried_failure_backs_off_with_full_jitter_capped_at_8_s(
    emu: ZapSignEmulator, clock: RecordingClock, failure: str
) -> None:
    fault, raised = FAILURES[failure]
    waits: list[list[float]] = []
    async with client(emu, clock, max_retries=RETRIES) as zs:
        for _ in range(CALLS):
            # Every attempt fails. Twice as many faults as attempts: aiohttp may retry a reset
            # connection once on its own (issue 13, point 12); tessera's waits are what is counted here.
            emu.faults.add(DOCS, fault, times=2 * (RETRIES + 1))
            clock.slept.clear()
            with pytest.raises(raised):
                await zs.docs.list_docs()
            emu.faults.clear()
            waits.append(list(clock.slept))
    assert all(len(call) == RETRIES for call in waits), waits
    assert emu.counts[DOCS] >= CALLS * (RETRIES + 1)
    for attempt, ceiling in enumerate(CEILINGS):
        draws = [call[attempt] for call in waits]
        assert all(0 <= wait <= ceiling for wait in draws), (attempt + 1, ceiling, draws)
        assert max(draws) >= 0.6 * ceiling, (attempt + 1, ceiling, draws)  # the jitter spans the range ...
        assert min(draws) <= 0.4 * ceiling, (attempt + 1, ceiling, draws)  # ... from near zero


async def test_a_retried_failure_is_retried_max_retries_times_then_raised(
    emu: ZapSignEmulator, clock: RecordingClock
) -> None:
    emu.faults.add(DOCS, FAILURES["504"][0], times=3)
    async with client(emu, clock, max_retries=2) as zs:
        with pytest.raises(errors.ServerError) as caught:
            await zs.docs.list_docs()
    assert caught.value.status == 504
    assert emu.counts[DOCS] == 3
    assert len(clock.slept) == 2
    assert 0 <= clock.slept[0] <= 0.5
    assert 0 <= clock.slept[1] <= 1.0


def in_seconds(clock: RecordingClock, seconds: float) -> str:
    """An HTTP date `seconds` from the clock's now (the manual clock starts on a whole second)."""
    return email.utils.formatdate(clock.now() + seconds, usegmt=True)


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        ("7", 7.0),
        ("0", 0.0),
        ("60", 60.0),  # the cap itself is still waited
        ("2.5", 2.5),
        ("http-date in 7 s", 7.0),
        ("http-date 30 s ago", 0.0),
    ],
)
async def test_retry_after_is_the_wait(
    emu: ZapSignEmulator, clock: RecordingClock, status: int, retry_after: str, wait: float
) -> None:
    if retry_after.startswith("http-date"):
        retry_after = in_seconds(clock, 7 if retry_after.endswith("in 7 s") else -30)
    emu.faults.add(DOCS, Fault.reply(status, {"detail": "wait"}, headers={"Retry-After": retry_after}))
    async with client(emu, clock) as zs:
        await zs.docs.list_docs()
    assert clock.slept == [wait]
    assert emu.counts[DOCS] == 2


@pytest.mark.parametrize("retry_after", ["61", "3600", "http-date in an hour"])
async def test_a_wait_past_60_s_raises_rate_limited_at_once(
    emu: ZapSignEmulator, clock: RecordingClock, retry_after: str
) -> None:
    value = in_seconds(clock, 3600) if retry_after.startswith("http-date") else retry_after
    emu.faults.add(DOCS, Fault.reply(429, {"detail": "Request was throttled."}, headers={"Retry-After": value}))
    async with client(emu, clock) as zs:
        with pytest.raises(errors.RateLimited) as caught:
            await zs.docs.list_docs()
    assert caught.value.retry_after == (3600 if retry_after != "61" else 61)
    assert clock.slept == []
    assert emu.counts[DOCS] == 1


async def test_videsk_ratelimit_reset_is_the_wait_on_a_429_only(clock: RecordingClock) -> None:
    emu = emulator("videsk", clock=clock)
    segments = "GET /public/video-contact-center/segments"
    async with emu, videsk.Client(api_key=emu.api_key, base_url=emu.base_url, clock=clock) as vd:
        emu.faults.add(segments, Fault.reply(429, {"name": "TooManyRequests"}, headers={"Ratelimit-Reset": "3"}))
        await vd.segments.list_segments()
        assert clock.slept == [3.0]
        emu.faults.add(segments, Fault.reply(429, {"name": "TooManyRequests"}, headers={"Ratelimit-Reset": "61"}))
        with pytest.raises(errors.RateLimited) as caught:
            await vd.segments.list_segments()
        assert caught.value.retry_after == 61
        assert clock.slept == [3.0]
        emu.faults.add(segments, Fault.reply(503, {"name": "Unavailable"}, headers={"Ratelimit-Reset": "30"}))
        await vd.segments.list_segments()
    assert len(clock.slept) == 2
    assert 0 <= clock.slept[1] <= 0.5  # a 5xx backs off; the reset header is about the rate window
