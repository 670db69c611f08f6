"""What every emulator shares: the factory, serving on loopback, and per-route counts."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from tessera.testing import ManualClock, ZapSignEmulator, emulator


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_vendor_without_an_emulator_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"no emulator for vendor 'nope'.*biuwer, optiwe, videsk, zapsign"):
        emulator("nope")


def test_factory_passes_options_to_the_class(clock: ManualClock) -> None:
    emu = emulator("zapsign", clock=clock, username="ops@ejemplo.com")
    assert isinstance(emu, ZapSignEmulator)
    assert emu.credentials()["username"] == "ops@ejemplo.com"
    assert emu.clock is clock


async def test_serves_on_loopback_and_stops(session: aiohttp.ClientSession) -> None:
    emu = emulator("zapsign")
    async with emu as base_url:
        assert base_url == emu.base_url
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/api/v1")
        async with session.get(f"{base_url}/docs/", params={"api_token": emu.api_token}) as response:
            assert response.status == 200
    with pytest.raises(RuntimeError, match="not serving"):
        _ = emu.base_url
    with pytest.raises(aiohttp.ClientConnectionError):
        async with session.get(f"{base_url}/docs/"):
            pass


async def test_a_given_port_is_used() -> None:
    port = free_port()
    async with emulator("videsk", port=port) as base_url:
        assert base_url == f"http://127.0.0.1:{port}"


async def test_two_emulators_get_two_ports() -> None:
    async with emulator("zapsign") as first, emulator("zapsign") as second:
        assert first != second


async def test_serving_twice_at_once_is_refused() -> None:
    emu = emulator("videsk")
    async with emu:
        with pytest.raises(RuntimeError, match="already serving"):
            await emu.__aenter__()


async def test_an_emulator_can_serve_again_after_stopping(session: aiohttp.ClientSession) -> None:
    emu = emulator("zapsign")
    async with emu:
        pass
    async with emu as base_url, session.get(f"{base_url}/docs/") as response:
        assert response.status == 401
    assert emu.counts == {"GET /docs/": 1}


async def test_unknown_paths_are_counted_by_their_raw_path(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator
) -> None:
    async with session.get(f"{zapsign.base_url}/no/such/thing") as response:
        assert response.status == 404
    async with session.put(f"{zapsign.base_url}/docs/") as response:
        assert response.status == 405
    assert zapsign.counts == {"GET /no/such/thing": 1, "PUT /docs/": 1}
