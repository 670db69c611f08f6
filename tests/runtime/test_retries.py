"""Retries: backoff on 429, 5xx and connection errors for idempotent calls, Retry-After honoured and capped."""

from __future__ import annotations

import email.utils
from collections.abc import AsyncIterator

import pytest

from tessera import errors, videsk, zapsign
from tessera.testing import Fault, ManualClock, ZapSignEmulator, emulator

DOCS = "GET /docs/"
CREATE = "POST /docs/"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def emu(clock: ManualClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=clock)
    async with emu:
        yield emu


def client(emu: ZapSignEmulator, clock: ManualClock, **options: object) -> zapsign.Client:
    return zapsign.Client(
        auth=zapsign.ApiTokenAuth(emu.api_token),
        base_url=emu.base_url,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def new_doc() -> zapsign.models.CreateDocRequest:
    return zapsign.models.CreateDocRequest(name="NDA", signers=[zapsign.models.SignerRequest(name="Ana")])


async def test_a_get_is_retried_through_5xx_with_backoff(emu: ZapSignEmulator, clock: ManualClock) -> None:
    emu.faults.add(DOCS, Fault.reply(503, {"detail": "down"}), times=2)
    started = clock.now()
    async with client(emu, clock, max_retries=2) as zs:
        page = await zs.docs.list_docs()
    assert page.count > 0
    assert emu.counts[DOCS] == 3
    assert 0 <= clock.now() - started <= 0.5 + 1.0  # full jitter: at most 0.5 s, then at most 1 s


async def test_retries_stop_at_max_retries_and_raise_the_mapped_error(emu: ZapSignEmulator, clock: ManualClock) -> None:
    emu.faults.add(DOCS, Fault.reply(502, "<html>Bad Gateway</html>", content_type="text/html"), times=5)
    async with client(emu, clock, max_retries=2) as zs:
        with pytest.raises(errors.ServerError) as caught:
            await zs.docs.list_docs()
        assert caught.value.status == 502
        assert "non-JSON error body" in caught.value.message
        assert emu.counts[DOCS] == 3
        with pytest.raises(errors.ServerError):
            await zs.docs.list_docs(max_retries=0)  # per call
    assert emu.counts[DOCS] == 4


async def test_a_post_that_is_not_retry_safe_is_sent_once(emu: ZapSignEmulator, clock: ManualClock) -> None:
    emu.faults.add(CREATE, Fault.reply(503), times=1)
    async with client(emu, clock, max_retries=3) as zs:
        with pytest.raises(errors.ServerError):
            await zs.docs.create_doc(body=new_doc())
    assert emu.counts[CREATE] == 1


async def test_a_connection_reset_on_a_get_is_retried(emu: ZapSignEmulator, clock: ManualClock) -> None:
    emu.faults.add(DOCS, Fault.reset(), times=1)
    async with client(emu, clock) as zs:
        await zs.docs.list_docs()
    assert emu.counts[DOCS] == 2


async def test_a_connection_reset_on_a_post_is_a_transport_error(emu: ZapSignEmulator, clock: ManualClock) -> None:
    emu.faults.add(CREATE, Fault.reset(), times=1)
    async with client(emu, clock) as zs:
        with pytest.raises(errors.TransportError):
            await zs.docs.create_doc(body=new_doc())
    assert emu.counts[CREATE] == 1


@pytest.mark.parametrize("header", ["7", "http-date"])
async def test_retry_after_is_waited_out(emu: ZapSignEmulator, clock: ManualClock, header: str) -> None:
    value = email.utils.formatdate(clock.now() + 7, usegmt=True) if header == "http-date" else header
    emu.faults.add(DOCS, Fault.reply(429, {"detail": "Request was throttled."}, headers={"Retry-After": value}))
    started = clock.now()
    async with client(emu, clock) as zs:
        await zs.docs.list_docs()
    assert 6 <= clock.now() - started <= 7.5  # HTTP dates have whole seconds
    assert emu.counts[DOCS] == 2


async def test_a_wait_longer_than_the_cap_raises_rate_limited_at_once(emu: ZapSignEmulator, clock: ManualClock) -> None:
    emu.faults.add(DOCS, Fault.reply(429, {"detail": "Request was throttled."}, headers={"Retry-After": "3600"}))
    started = clock.now()
    async with client(emu, clock) as zs:
        with pytest.raises(errors.RateLimited) as caught:
            await zs.docs.list_docs()
    assert caught.value.retry_after == 3600
    assert clock.now() == started
    assert emu.counts[DOCS] == 1


async def test_videsk_ratelimit_reset_is_honoured_on_429_only(clock: ManualClock) -> None:
    emu = emulator("videsk", clock=clock)
    segments = "GET /public/video-contact-center/segments"
    async with emu, videsk.Client(api_key=emu.api_key, base_url=emu.base_url, clock=clock) as vd:
        emu.faults.add(segments, Fault.reply(429, {"name": "TooManyRequests"}, headers={"Ratelimit-Reset": "3"}))
        started = clock.now()
        await vd.segments.list_segments()
        assert clock.now() - started == 3
        emu.faults.add(segments, Fault.reply(503, {"name": "Unavailable"}, headers={"Ratelimit-Reset": "30"}))
        started = clock.now()
        await vd.segments.list_segments()
        assert clock.now() - started <= 0.5  # a 5xx backs off; the reset header is about the rate window
    assert emu.counts[segments] == 4
