"""A renewal that fails for all its waiters at once: one attempt at the vendor, one error for every caller.

500 callers meet a spent token (or no token yet) together. More callers than the session's 100
connections: the ones queueing for a connection wait for the same renewal as the ones holding one,
so they share its failure instead of starting a renewal of their own per wave of 100.
"""

from __future__ import annotations

import asyncio

import pytest

from tessera import errors, zapsign
from tessera.testing import Fault, ManualClock, ZapSignEmulator
from tests.faults.conftest import (
    ACCESS_SECONDS,
    DOCS,
    LOGIN,
    REFRESH,
    SHORT,
    SLACK,
    Outcome,
    attempt,
    no_client_task,
    password_client,
)

CALLERS = 500
RECOVERING = 150
"""Callers after the fault: still more than the 100 connections."""
PATIENT = 5.0
Err = type[errors.TesseraError]

FAILURES: dict[str, tuple[Fault, Err]] = {
    "5xx": (Fault.reply(503, {"detail": "down"}), errors.ServerError),
    "proxy HTML 502": (Fault.html(502), errors.ServerError),
    "reset": (Fault.reset(), errors.TransportError),
    "truncated JSON": (Fault.truncate(0.5), errors.DecodeError),
    "reset mid-body": (Fault.truncate(0.5, drop=True), errors.TransportError),
    "body that never finishes": (Fault.stall(0.5), errors.RequestTimeout),
    "late answer": (Fault.delay(0.6), errors.RequestTimeout),
    "flood answer past the wait budget": (
        Fault.reply(400, {"message": "Rate limit exceeded"}, headers={"Retry-After": "600"}),
        errors.RateLimited,
    ),
}


async def everyone(zs: zapsign.Client) -> list[Outcome[zapsign.models.DocList]]:
    """CALLERS calls, each allowing more than the renewal's requests (SHORT), so that the renewal's own
    outcome reaches them (a caller's own timeout would end its wait first, whatever the renewal does)."""
    return await asyncio.gather(*(attempt(zs.docs.list_docs(timeout=PATIENT)) for _ in range(CALLERS)))


async def recovered(zs: zapsign.Client) -> None:
    """RECOVERING callers all get their page; each data request within a generous per-call timeout, so
    that a loaded machine answering 150 requests slower than SHORT does not add retries to the counts."""
    pages = await asyncio.gather(*(attempt(zs.docs.list_docs(timeout=30.0)) for _ in range(RECOVERING)))
    assert all(outcome.error is None for outcome in pages)


def one_error(outcomes: list[Outcome[zapsign.models.DocList]], raises: Err) -> errors.TesseraError:
    """Every caller failed with the same error: same type, same message."""
    kinds = {type(outcome.error) for outcome in outcomes}
    assert kinds == {raises}, kinds
    messages = {str(outcome.error) for outcome in outcomes}
    assert len(messages) == 1, messages
    assert all(outcome.seconds < SHORT + SLACK for outcome in outcomes)  # nobody waited for a second attempt
    error = outcomes[0].error
    assert error is not None
    return error


@pytest.mark.parametrize(("fault", "raises"), FAILURES.values(), ids=FAILURES.keys())
async def test_a_failed_refresh_reaches_every_waiter_once(
    zap: ZapSignEmulator, clock: ManualClock, fault: Fault, raises: Err
) -> None:
    async with password_client(zap, clock, timeout=SHORT) as zs:
        await zs.docs.list_docs()
        clock.advance(ACCESS_SECONDS)
        zap.faults.add(REFRESH, fault, times=CALLERS)  # every refresh would fail: only one is asked for
        one_error(await everyone(zs), raises)
        assert zap.counts[REFRESH] == 1
        assert (zap.counts[LOGIN], zap.counts[DOCS]) == (1, 1)  # no fallback login, no data request
        zap.faults.clear()
        clock.advance(3600)  # past any backoff a flood answer asked for (the refresh token lives on)
        await recovered(zs)  # one renewal for everyone
    assert zap.counts[DOCS] == 1 + RECOVERING
    assert zap.counts[LOGIN] + zap.counts[REFRESH] <= 1 + 1 + 2  # one renewal: a refresh, perhaps refused, and a login
    await no_client_task()


@pytest.mark.parametrize(("fault", "raises"), FAILURES.values(), ids=FAILURES.keys())
async def test_a_failed_login_reaches_every_waiter_once(
    zap: ZapSignEmulator, clock: ManualClock, fault: Fault, raises: Err
) -> None:
    zap.faults.add(LOGIN, fault, times=CALLERS)
    async with password_client(zap, clock, timeout=SHORT) as zs:
        one_error(await everyone(zs), raises)
        assert (zap.counts[LOGIN], zap.counts[DOCS]) == (1, 0)
        zap.faults.clear()
        clock.advance(3600)
        await recovered(zs)
    assert (zap.counts[LOGIN], zap.counts[DOCS]) == (2, RECOVERING)
    await no_client_task()


async def test_a_refused_refresh_falls_back_to_one_login_for_every_waiter(
    zap: ZapSignEmulator, clock: ManualClock
) -> None:
    refused = Fault.reply(401, {"detail": "Token is invalid or expired", "code": "token_not_valid"})
    async with password_client(zap, clock) as zs:
        await zs.docs.list_docs()
        clock.advance(ACCESS_SECONDS)
        zap.faults.add(REFRESH, refused, times=CALLERS)
        outcomes = await everyone(zs)
    assert all(outcome.error is None for outcome in outcomes)
    assert (zap.counts[REFRESH], zap.counts[LOGIN], zap.logins) == (1, 2, 2)
    await no_client_task()
