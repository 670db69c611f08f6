"""Videsk's generated client against its emulator: segments, services, availability, and feathers errors."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator

import pytest

from tessera import errors, videsk, zapsign
from tessera.testing import ManualClock, VideskEmulator, emulator


@pytest.fixture
async def emu() -> AsyncIterator[VideskEmulator]:
    emu = emulator("videsk")
    async with emu:
        yield emu


@pytest.fixture
async def vd(emu: VideskEmulator) -> AsyncIterator[videsk.Client]:
    async with videsk.Client(api_key=emu.api_key, base_url=emu.base_url) as client:
        yield client


async def test_contract_list_segments(vd: videsk.Client) -> None:
    segments = await vd.segments.list_segments()
    assert segments.total == 12
    assert segments.data[0].name


async def test_iterating_services_walks_every_page(emu: VideskEmulator, vd: videsk.Client) -> None:
    services = [s async for s in vd.services.list_services(limit=5)]
    assert len(services) == 12
    assert len({s.id for s in services}) == 12
    assert emu.counts["GET /public/video-contact-center/services"] == 3


async def test_availability(vd: videsk.Client) -> None:
    services = await vd.services.list_services()
    dates = await vd.availability.list_service_dates(
        id=services.data[0].id, date="2026-11-23", timezone="America/Santiago"
    )
    assert dates
    assert all(isinstance(d, datetime.datetime) for d in dates)


async def test_an_unknown_service_is_not_found(vd: videsk.Client) -> None:
    with pytest.raises(errors.NotFound):
        await vd.availability.list_service_hours(id="nope", date="2026-11-23", timezone="UTC")


async def test_a_revoked_key_is_token_revoked(emu: VideskEmulator, vd: videsk.Client) -> None:
    emu.revoke_key()
    with pytest.raises(errors.TokenRevoked):
        await vd.segments.list_segments()


async def test_a_key_signed_by_someone_else_is_a_signature_error(emu: VideskEmulator) -> None:
    other = emulator("videsk")
    async with other, videsk.Client(api_key=other.api_key, base_url=emu.base_url) as vd:
        with pytest.raises(errors.TokenSignatureInvalid):
            await vd.segments.list_segments()


async def test_a_malformed_key_is_token_malformed(emu: VideskEmulator) -> None:
    async with videsk.Client(api_key="not-a-jwt", base_url=emu.base_url) as vd:
        with pytest.raises(errors.TokenMalformed):
            await vd.segments.list_segments()


async def test_a_key_past_its_exp_fails_before_any_request(emu: VideskEmulator) -> None:
    key = emu.issue_api_key(expires_in=-60)
    async with videsk.Client(api_key=key, base_url=emu.base_url) as vd:
        with pytest.raises(errors.TokenExpired, match="expired"):
            await vd.segments.list_segments()
    assert sum(emu.counts.values()) == 0


async def test_a_key_is_refused_locally_once_the_injected_clock_passes_its_exp() -> None:
    clock = ManualClock()
    emu = emulator("videsk", clock=clock)
    async with emu:
        key = emu.issue_api_key(expires_in=3600)
        async with videsk.Client(api_key=key, base_url=emu.base_url, clock=clock) as vd:
            await vd.segments.list_segments()
            clock.advance(3600)
            with pytest.raises(errors.TokenExpired):
                await vd.segments.list_segments()
    assert emu.counts["GET /public/video-contact-center/segments"] == 1


async def test_an_opaque_key_is_sent_whatever_the_clock_says() -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock)
    async with emu, zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, clock=clock) as zs:
        clock.advance(10 * 365 * 86400)
        await zs.docs.list_docs()
    assert emu.counts["GET /docs/"] == 1


def test_a_client_needs_at_least_one_credential() -> None:
    with pytest.raises(errors.ConfigurationError, match="api_key=, appointment_token= or export_token="):
        videsk.Client()
