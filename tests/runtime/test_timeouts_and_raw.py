"""Timeouts per client and per call; raw responses; one redacted debug line per attempt."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tessera import ApiResponse, errors, with_response, zapsign
from tessera.testing import Fault, ManualClock, ZapSignEmulator, emulator

DOCS = "GET /docs/"


@pytest.fixture
async def emu() -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign")
    async with emu:
        yield emu


async def test_a_slow_vendor_raises_request_timeout_in_time(emu: ZapSignEmulator) -> None:
    emu.faults.add(DOCS, Fault.delay(2.0), times=3)
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, timeout=0.2) as zs:
        begun = time.perf_counter()
        with pytest.raises(errors.RequestTimeout, match=r"0\.2 s"):
            await zs.docs.list_docs(max_retries=0)
        assert time.perf_counter() - begun < 1.0
        begun = time.perf_counter()
        with pytest.raises(errors.RequestTimeout, match=r"0\.1 s"):
            await zs.docs.list_docs(timeout=0.1, max_retries=0)  # per call
        assert time.perf_counter() - begun < 1.0
    client_tasks = [task for task in asyncio.all_tasks() if "RequestHandler" not in repr(task.get_coro())]
    assert client_tasks == [asyncio.current_task()]  # only the emulator's own handlers are still sleeping


async def test_a_per_call_timeout_can_be_longer_than_the_clients(emu: ZapSignEmulator) -> None:
    emu.faults.add(DOCS, Fault.delay(0.3))
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, timeout=0.1) as zs:
        page = await zs.docs.list_docs(timeout=5.0)
    assert page.count > 0


async def test_with_response_gives_status_headers_and_the_model(emu: ZapSignEmulator) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        page = await with_response(zs.docs.list_docs())
        doc = await with_response(zs.docs.get_doc(doc_token=page.parsed.results[0].token))
    assert isinstance(page, ApiResponse)
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("application/json")
    assert page.parsed.count == 60
    assert doc.parsed.token == page.parsed.results[0].token


async def test_with_response_refuses_what_is_not_an_operation() -> None:
    async def not_an_operation() -> int:
        return 1

    with pytest.raises(TypeError, match="with_response"):
        await with_response(not_an_operation())


async def test_one_redacted_debug_line_per_attempt(emu: ZapSignEmulator, caplog: pytest.LogCaptureFixture) -> None:
    emu.faults.add(DOCS, Fault.reply(503), times=1)
    caplog.set_level(logging.DEBUG, logger="tessera")
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        await zs.docs.get_doc(doc_token=(await zs.docs.list_docs()).results[0].token)
    lines = [record.getMessage() for record in caplog.records if record.name == "tessera"]
    assert len(lines) == 3
    assert lines[0].startswith("zapsign GET /docs/ -> 503 in ")
    assert lines[0].endswith("(attempt 1)")
    assert lines[1].startswith("zapsign GET /docs/ -> 200 in ")
    assert lines[1].endswith("(attempt 2)")
    assert lines[2].startswith("zapsign GET /docs/{doc_token}/ -> 200")
    assert all(emu.api_token not in line for line in lines)


async def test_logins_and_refreshes_take_the_same_path_and_get_the_same_line(caplog: pytest.LogCaptureFixture) -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=7200)
    caplog.set_level(logging.DEBUG, logger="tessera")
    auth = zapsign.PasswordAuth("123", emu.username, emu.password)
    async with emu, zapsign.Client(auth=auth, base_url=emu.base_url, clock=clock) as zs:
        await zs.docs.list_docs()
        clock.advance(3599)  # within the last 2 s: the call waits for the refresh
        await zs.docs.list_docs()
    lines = [record.getMessage() for record in caplog.records if record.name == "tessera"]
    attempts = [line.split(" in ")[0] for line in lines if " -> " in line]
    assert attempts == [
        "zapsign POST /auth/token/{organization_id}/ -> 200",
        "zapsign GET /docs/ -> 200",
        "zapsign POST /auth/token-refresh/ -> 200",
        "zapsign GET /docs/ -> 200",
    ]
    assert not any(value in line for line in lines for value in (emu.username, emu.password))


async def test_nothing_is_logged_when_debug_is_off(emu: ZapSignEmulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="tessera")
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        await zs.docs.list_docs()
    assert not [record for record in caplog.records if record.name == "tessera"]


async def test_trace_configs_see_every_request(emu: ZapSignEmulator) -> None:
    seen: list[str] = []

    async def on_request_start(
        session: aiohttp.ClientSession, context: object, params: aiohttp.TraceRequestStartParams
    ) -> None:
        seen.append(f"{params.method} {params.url.path}")

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    async with zapsign.Client(
        auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, trace_configs=[trace]
    ) as zs:
        await zs.docs.list_docs()
    assert seen == ["GET /api/v1/docs/"]


async def test_trace_configs_with_a_callers_session_are_refused() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(errors.ConfigurationError, match="your own session"):
            zapsign.Client(auth=zapsign.ApiTokenAuth("t"), session=session, trace_configs=[aiohttp.TraceConfig()])


@pytest.mark.parametrize(
    ("options", "says"),
    [({"timeout": -1.0}, "timeout must be a positive"), ({"max_retries": -2}, "max_retries must be a whole")],
)
async def test_bad_per_call_settings_are_configuration_errors(
    emu: ZapSignEmulator, options: dict[str, float], says: str
) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        with pytest.raises(errors.ConfigurationError, match=says):
            await zs.docs.list_docs(**options)  # type: ignore[arg-type]
    assert emu.counts[DOCS] == 0
