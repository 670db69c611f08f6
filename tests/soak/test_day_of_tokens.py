"""Soak: one ZapSign client under steady load through 24 hours of 1-hour tokens, on a manual clock.

Every simulated minute, 10 coroutines list documents at once (14,400 calls in all). The day must
cost one login and a refresh every 58 minutes, 24 in all (the README's proactive window: a 1-hour
token is renewed in the background 2 minutes before it expires, while callers go on using it). No
request may be refused or retried, no task of tessera's may outlive its step, and the objects alive
after hour 2 must not grow with the hours: a leak of one object per request would add 12,000 over
the 12,000 requests after hour 2.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from typing import Final

import attrs
import pytest

from tessera import zapsign
from tessera.testing import ManualClock, emulator
from tests.tasks import client_tasks

HOURS: Final = 24
STEP_SECONDS: Final = 60
"""Finer than the proactive window: each renewal starts in the background, none makes callers wait."""
STEPS_PER_HOUR: Final = 3600 // STEP_SECONDS
CALLERS: Final = 10
"""Concurrent calls per step."""
RENEWAL_PERIOD: Final = 3600 - 120
"""Seconds between refreshes of a 1-hour token: renewed 2 minutes before it expires."""
GROWTH_BOUND: Final = 2_000
"""Allocated blocks the process may gain from hour 2 to hour 24: caches settling, not one per request."""


@attrs.define
class Day:
    errors: list[BaseException] = attrs.Factory(list)
    pending_after_step: set[tuple[str, ...]] = attrs.Factory(set)
    """The names of tessera's tasks still pending when a step's calls had all returned, per step."""
    pending_at_hour: list[int] = attrs.Factory(list)
    blocks_at_hour: dict[int, int] = attrs.Factory(dict)


def allocated_blocks() -> int:
    """Objects (and other blocks) alive in the process, after collecting what is unreachable."""
    gc.collect()
    return sys.getallocatedblocks()


async def settle() -> None:
    """Wait (really, 5 s at most) for tessera's pending tasks to end."""
    for _ in range(500):
        if not client_tasks():
            return
        await asyncio.sleep(0.01)


async def test_a_day_of_hourly_tokens_costs_one_login_and_a_refresh_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    # The day's 14,400 debug lines still reach the suite's secret check (a handler on this logger), but
    # not pytest's report capture on the root logger, which keeps every record: that would be the growth.
    monkeypatch.setattr(logging.getLogger("tessera"), "propagate", False)
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=2 * 3600)
    day = Day()
    async with emu:
        auth = zapsign.PasswordAuth(emu.organization_id, emu.username, emu.password)
        async with zapsign.Client(auth=auth, base_url=emu.base_url, clock=clock) as zs:
            baseline = len(client_tasks())
            for hour in range(HOURS):
                if hour >= 2:  # from hour 2 on, pools, caches and the token are all warm
                    day.blocks_at_hour[hour] = allocated_blocks()
                for _ in range(STEPS_PER_HOUR):
                    outcomes = await asyncio.gather(
                        *(zs.docs.list_docs() for _ in range(CALLERS)), return_exceptions=True
                    )
                    day.errors.extend(outcome for outcome in outcomes if isinstance(outcome, BaseException))
                    # A renewal started in the background by this step may still be on its way: its
                    # callers went on with the current token. It ends before the clock moves on.
                    day.pending_after_step.add(tuple(task.get_name() for task in client_tasks()))
                    await settle()
                    clock.advance(STEP_SECONDS)
                day.pending_at_hour.append(len(client_tasks()))
            day.blocks_at_hour[HOURS] = allocated_blocks()

    assert day.errors == []
    assert emu.counts["GET /docs/"] == HOURS * STEPS_PER_HOUR * CALLERS  # nothing refused and retried
    assert emu.logins == 1
    assert emu.refreshes == HOURS * 3600 // RENEWAL_PERIOD == 24  # no storm, none missed
    # At most the one renewal, in the background (its name is the broker's: vendor, scheme, fingerprint).
    assert {len(names) for names in day.pending_after_step} <= {0, 1}
    assert all(name.startswith("tessera renewal zapsign ") for names in day.pending_after_step for name in names)
    assert day.pending_at_hour == [baseline] * HOURS
    growth = day.blocks_at_hour[HOURS] - day.blocks_at_hour[2]
    assert growth < GROWTH_BOUND, day.blocks_at_hour
