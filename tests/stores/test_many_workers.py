"""Many worker processes share one login through Redis: the batch users' case."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from tessera.testing import Fault, emulator
from tests.stores.conftest import RedisServer

ROOT = Path(__file__).parents[2]


async def worker(base_url: str, *options: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.stores.worker", base_url, *options, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )


async def result(process: asyncio.subprocess.Process) -> dict[str, object]:
    stdout, _ = await process.communicate()
    assert process.returncode == 0
    answer: dict[str, object] = json.loads(stdout.decode().strip().splitlines()[-1])
    return answer


async def test_sixteen_processes_share_one_login_and_one_refresh_per_lifetime(redis_server: RedisServer) -> None:
    # 6-second access tokens (5 s for sure: whole-second claims), rotation, and ZapSign's login throttle
    # at 5 a minute: 16 logins would be refused.
    emu = emulator("zapsign", access_seconds=6, refresh_seconds=600, login_limit_per_minute=5)
    async with emu:
        begun = time.monotonic()
        processes = [
            await worker(emu.base_url, "--redis", redis_server.url, "--coroutines", "100", "--seconds", "6")
            for _ in range(16)
        ]
        results = [await result(process) for process in processes]
        elapsed = time.monotonic() - begun
    assert [r["first_error"] for r in results if r["errors"]] == []
    assert all(isinstance(r["ok"], int) and r["ok"] > 0 for r in results)
    assert emu.counts["POST /auth/token/{organization_id}/"] == 1
    assert emu.logins == 1
    # One refresh per token lifetime at most (renewal at 80 % of 5 s), whichever worker does it.
    assert 1 <= emu.refreshes <= elapsed / 4 + 1
    assert emu.counts["POST /auth/token-refresh/"] == emu.refreshes


async def test_a_lock_holder_killed_mid_refresh_is_taken_over(redis_server: RedisServer) -> None:
    emu = emulator("zapsign", access_seconds=2, refresh_seconds=600)
    async with emu:
        first = await worker(emu.base_url, "--redis", redis_server.url, "--coroutines", "1", "--seconds", "0.5")
        assert (await result(first))["errors"] == 0  # logged in and published
        emu.faults.add("POST /auth/token-refresh/", Fault.delay(30))  # the next refresh hangs at the vendor
        await asyncio.sleep(2)  # the published access token is now past its renewal point
        # lock_seconds stays 30: the holder's lease (4 timeouts of 1 s) frees the lock when it stops extending it.
        holder = await worker(emu.base_url, "--redis", redis_server.url, "--seconds", "30")
        while emu.counts["POST /auth/token-refresh/"] == 0:  # noqa: ASYNC110 - the count lives in the emulator
            await asyncio.sleep(0.05)
        holder.kill()  # mid-refresh, holding the lock
        await holder.wait()
        begun = time.monotonic()
        successor = await worker(emu.base_url, "--redis", redis_server.url, "--coroutines", "10", "--seconds", "4")
        outcome = await result(successor)
        waited = time.monotonic() - begun
    assert outcome["errors"] == 0, outcome["first_error"]
    assert isinstance(outcome["ok"], int)
    assert outcome["ok"] > 0
    assert emu.counts["POST /auth/token-refresh/"] >= 2  # the dead holder's, then the successor's
    assert emu.logins == 1  # taken over through the stored refresh token, not a new login
    assert waited < 15  # the lock expired within its 4 s lease, not its 30 s
