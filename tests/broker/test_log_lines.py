"""What the broker logs: each line names the broker (vendor, scheme, credential fingerprint) and what happened."""

from __future__ import annotations

import logging
import re

import pytest

from tessera.testing import ManualClock
from tests.broker.conftest import password_client
from tests.broker.test_failures import FlakyRefreshes
from tests.polling import until
from tests.tasks import client_tasks


def broker_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    messages = [record.getMessage() for record in caplog.records]
    return [message for message in messages if message.startswith("zapsign PasswordLogin ")]


async def test_a_renewal_logs_its_outcome_under_the_brokers_name(
    clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    emu = FlakyRefreshes(failures=1, clock=clock, access_seconds=3600, refresh_seconds=7200)
    with caplog.at_level(logging.DEBUG, logger="tessera"):
        async with emu, password_client(emu, clock) as zs:
            await zs.docs.list_docs()  # logged in
            clock.advance(3500)  # in the window: the background refresh gets a 503
            await zs.docs.list_docs()
            await until(lambda: emu.counts["POST /auth/token-refresh/"] == 1 and not client_tasks())
    lines = broker_lines(caplog)
    name = r"zapsign PasswordLogin [0-9a-f]{12}"  # vendor, scheme, credential fingerprint: never the secret
    assert len(lines) == 2, lines
    assert re.fullmatch(f"{name}: renewed", lines[0]), lines
    assert re.fullmatch(rf"{name}: renewal failed \(ServerError\); serving the current token", lines[1]), lines
