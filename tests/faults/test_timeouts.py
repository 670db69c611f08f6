"""Timeouts: a late answer or a body that never finishes ends in RequestTimeout, in time, on any route.

Times are real (the faults wait on the event loop); the bounds are guards against a hang, with slack
for a loaded machine, not performance claims. Retry waits are on the manual clock and take no time.
"""

from __future__ import annotations

import asyncio

import pytest

from tessera import errors
from tessera.testing import Fault, ManualClock, ZapSignEmulator
from tests.faults.conftest import (
    ACCESS_SECONDS,
    DOCS,
    LATE,
    LOGIN,
    REFRESH,
    SHORT,
    SLACK,
    attempt,
    no_client_task,
    no_task_within,
    origin,
    password_client,
    renewal_over,
)
from tests.polling import until

SLOW = {"late answer": Fault.delay(LATE), "body that never finishes": Fault.stall(0.5)}


@pytest.mark.parametrize("fault", SLOW.values(), ids=SLOW.keys())
@pytest.mark.parametrize("route", [DOCS, LOGIN, REFRESH], ids=["data", "login", "refresh"])
async def test_a_slow_route_times_out_in_time(
    zap: ZapSignEmulator, clock: ManualClock, route: str, fault: Fault
) -> None:
    async with password_client(zap, clock, timeout=SHORT, max_retries=0) as zs:
        if route == REFRESH:
            await zs.docs.list_docs()
            clock.advance(ACCESS_SECONDS)
        zap.faults.add(route, fault)
        outcome = await attempt(zs.docs.list_docs())
        error = outcome.failed(errors.RequestTimeout)
        assert f"within {SHORT:g} s" in str(error)
        assert SHORT * 0.9 <= outcome.seconds < SHORT + SLACK
        await until(lambda: zap.counts[route] == 1)
        await until(renewal_over)  # the renewal outlives the caller that gave up on it by a moment
        (await attempt(zs.docs.list_docs())).succeeded()
    await no_client_task()
    # The emulator's side ends too: a stalled answer sees the client go; a late one ends after its delay.
    await no_task_within(LATE + SLACK)


async def test_a_stalled_answer_ends_when_the_client_gives_up(zap: ZapSignEmulator, clock: ManualClock) -> None:
    zap.faults.add(DOCS, Fault.stall(0.9))
    async with password_client(zap, clock, timeout=SHORT, max_retries=0) as zs:
        (await attempt(zs.docs.list_docs())).failed(errors.RequestTimeout)
        # The client closed that connection when it timed out: the emulator's stalled handler is gone,
        # though the client (and its other pooled connection) is still open.
        await no_task_within(0.5)


async def test_timeouts_with_retries_take_one_timeout_per_attempt(zap: ZapSignEmulator, clock: ManualClock) -> None:
    zap.faults.add(DOCS, Fault.stall(0.5), times=3)
    async with password_client(zap, clock, timeout=SHORT, max_retries=2) as zs:
        outcome = await attempt(zs.docs.list_docs())
    outcome.failed(errors.RequestTimeout)
    assert 3 * SHORT * 0.9 <= outcome.seconds < 3 * SHORT + SLACK
    assert zap.counts[DOCS] == 3
    await no_client_task()


async def test_a_per_call_timeout_bounds_the_attempt(zap: ZapSignEmulator, clock: ManualClock) -> None:
    zap.faults.add(DOCS, Fault.delay(LATE))
    async with password_client(zap, clock, timeout=30.0) as zs:
        outcome = await attempt(zs.docs.list_docs(timeout=SHORT, max_retries=0))
    outcome.failed(errors.RequestTimeout)
    assert outcome.seconds < SHORT + SLACK
    await no_client_task()


async def test_a_redirect_does_not_restart_the_timeout(zap: ZapSignEmulator, clock: ManualClock) -> None:
    # The first answer is a redirect to the same place; the second is late: the hops share one timeout.
    zap.faults.add(DOCS, Fault.redirect(origin(zap.base_url), 307))
    zap.faults.add(DOCS, Fault.delay(LATE))
    async with password_client(zap, clock, timeout=SHORT, max_retries=0) as zs:
        outcome = await attempt(zs.docs.list_docs())
    outcome.failed(errors.RequestTimeout)
    assert outcome.seconds < SHORT + SLACK
    assert zap.counts[DOCS] == 2
    await no_client_task()


async def test_waiting_for_a_token_is_bounded_by_the_calls_timeout(zap: ZapSignEmulator, clock: ManualClock) -> None:
    # The login is slow; a call with a short timeout does not wait it out (the login goes on).
    zap.faults.add(LOGIN, Fault.delay(LATE))
    async with password_client(zap, clock, timeout=30.0) as zs:
        outcome = await attempt(zs.docs.list_docs(timeout=SHORT))
        error = outcome.failed(errors.RequestTimeout)
        assert outcome.seconds < SHORT + SLACK
        assert "no token within" in str(error)
        (await attempt(zs.docs.list_docs())).succeeded()  # waits for the same login, which went on
    assert (zap.counts[LOGIN], zap.logins) == (1, 1)
    await no_client_task()


async def test_a_client_waiting_on_anothers_renewal_keeps_its_own_timeout(
    zap: ZapSignEmulator, clock: ManualClock
) -> None:
    # Two clients of one credential share one broker: the patient one's login stalls; the impatient
    # one waits for that login no longer than its own timeout.
    zap.faults.add(LOGIN, Fault.stall(0.5))
    async with password_client(zap, clock, timeout=1.0) as patient, password_client(zap, clock, timeout=SHORT) as hasty:
        slow = asyncio.ensure_future(attempt(patient.docs.list_docs()))
        await until(lambda: zap.counts[LOGIN] == 1)
        quick = await attempt(hasty.docs.list_docs())
        quick.failed(errors.RequestTimeout)
        assert quick.seconds < SHORT + SLACK
        (await slow).failed(errors.RequestTimeout)  # the patient client's own timeout, the login's too
        await until(renewal_over)
        (await attempt(hasty.docs.list_docs())).succeeded()
    assert (zap.counts[LOGIN], zap.logins) == (2, 2)  # the stalled login ran at the vendor too
    await no_client_task()
