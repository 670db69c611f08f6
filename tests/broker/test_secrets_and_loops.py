"""Secrets never show in logs, errors or reprs; a broker outlives the event loop that first used it."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from tessera import errors, zapsign
from tessera.testing import ManualClock, ZapSignEmulator, emulator
from tests.broker.conftest import ORGANIZATION, PASSWORD, USERNAME, password_client


async def test_no_password_or_token_in_any_log_line_error_or_repr(
    emu: ZapSignEmulator, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tessera")
    shown: list[str] = []
    async with password_client(emu, clock) as zs:
        await zs.docs.list_docs()
        flow = zs._flows["PasswordLogin"]
        first_access = (await flow.token()).reveal()
        clock.advance(3600)
        await zs.docs.list_docs()
        second_access = (await flow.token()).reveal()
        shown += [repr(zs), repr(zs.docs), repr(flow), repr(zapsign.PasswordAuth(ORGANIZATION, USERNAME, PASSWORD))]
    async with password_client(emu, clock, password="wrong-" + PASSWORD) as bad:
        with pytest.raises(errors.InvalidCredentials) as refused:
            await bad.docs.list_docs()
        shown += [str(refused.value), repr(refused.value), repr(refused.value.body)]
    shown += [record.getMessage() for record in caplog.records]
    secrets = [PASSWORD, first_access, second_access]
    assert emu.refreshes == 1
    assert any("renewed" in line for line in shown)  # the logs did run
    assert [line for line in shown for secret in secrets if secret in line] == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_broker_survives_its_first_event_loop() -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, port=free_port(), access_seconds=3600, refresh_seconds=7200)

    async def one_run() -> int:
        async with emu, password_client(emu, clock) as zs:
            return (await zs.docs.list_docs()).count

    assert asyncio.run(one_run()) > 0
    clock.advance(3600)  # the second loop must renew: the first loop, and its tasks, are gone
    assert asyncio.run(one_run()) > 0
    assert (emu.logins, emu.refreshes) == (1, 1)
