"""Every fault kind on ZapSign's login and refresh routes: the typed error, then a broker that recovers.

Logins and refreshes are not retried inside one call: their failure is the caller's error (the data
request is never sent), and the next call renews again, since a passing fault is not remembered.
When the fault let the route run at the vendor (a truncated or stalled answer, a late one), the
vendor issued tokens the client never read: after a lost refresh answer the old refresh token is
spent (rotation), so the next call's refresh is refused and the broker falls back to one login.
"""

from __future__ import annotations

import attrs
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
    Recorder,
    attempt,
    no_client_task,
    password_client,
    renewal_over,
)
from tests.polling import until

Err = type[errors.TesseraError]


@attrs.frozen
class Case:
    fault: Fault
    raises: Err | None
    """None: the call succeeds anyway."""
    ran: bool = False
    """The route ran at the vendor though the client never read its answer."""
    timeout: float = 10.0


CASES: dict[str, Case] = {
    "5xx": Case(Fault.reply(503, {"detail": "down"}), errors.ServerError),
    "500 without a body": Case(Fault.reply(500, b""), errors.ServerError),
    "proxy HTML 502": Case(Fault.html(502), errors.ServerError),
    "captive portal HTML 200": Case(Fault.html(200), errors.DecodeError),
    "latency within the timeout": Case(Fault.delay(0.05), None),
    "latency past the timeout": Case(Fault.delay(LATE), errors.RequestTimeout, ran=True, timeout=SHORT),
    "reset": Case(Fault.reset(), errors.TransportError),
    "truncated JSON": Case(Fault.truncate(0.5), errors.DecodeError, ran=True),
    "empty body": Case(Fault.truncate(0.0), errors.DecodeError, ran=True),
    "reset mid-body": Case(Fault.truncate(0.5, drop=True), errors.TransportError, ran=True),
    "wrong content type": Case(Fault.wrong_content_type("text/html"), None),
    "body that never finishes": Case(Fault.stall(0.5), errors.RequestTimeout, ran=True, timeout=SHORT),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_a_fault_on_the_login(zap: ZapSignEmulator, clock: ManualClock, case: Case) -> None:
    zap.faults.add(LOGIN, case.fault)
    async with password_client(zap, clock, timeout=case.timeout) as zs:
        outcome = await attempt(zs.docs.list_docs())
        assert outcome.seconds < case.timeout + SLACK
        if case.raises is None:
            outcome.succeeded()
            assert (zap.counts[LOGIN], zap.logins, zap.counts[DOCS]) == (1, 1, 1)
            return
        outcome.failed(case.raises)
        assert zap.counts[DOCS] == 0  # no data request without a token
        await until(lambda: zap.logins == case.ran)  # a late login's route has run by now
        await until(renewal_over)
        (await attempt(zs.docs.list_docs())).succeeded()  # recovered: the next caller logs in
    assert zap.counts[LOGIN] == 2
    assert zap.logins == 1 + case.ran
    assert zap.counts[DOCS] == 1
    await no_client_task()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_a_fault_on_the_refresh(zap: ZapSignEmulator, clock: ManualClock, case: Case) -> None:
    async with password_client(zap, clock, timeout=case.timeout) as zs:
        await zs.docs.list_docs()
        clock.advance(ACCESS_SECONDS)  # the access token is spent; the refresh token has an hour left
        zap.faults.add(REFRESH, case.fault)
        outcome = await attempt(zs.docs.list_docs())
        assert outcome.seconds < case.timeout + SLACK
        if case.raises is None:
            outcome.succeeded()
            assert (zap.counts[REFRESH], zap.refreshes, zap.logins) == (1, 1, 1)
            return
        outcome.failed(case.raises)
        assert zap.counts[DOCS] == 1  # only the first page: the faulted call sent none
        await until(lambda: zap.refreshes == case.ran)
        await until(renewal_over)
        (await attempt(zs.docs.list_docs())).succeeded()  # recovered
    assert zap.counts[REFRESH] == 2
    assert zap.refreshes == 1
    # After a refresh the vendor ran, the old refresh token is spent: refused, then one login.
    assert (zap.counts[LOGIN], zap.logins) == (1 + case.ran, 1 + case.ran)
    assert zap.counts[DOCS] == 2
    await no_client_task()


async def test_a_refused_login_is_remembered_then_retried_after_its_backoff(
    zap: ZapSignEmulator, clock: ManualClock
) -> None:
    refused = {"detail": "No active account found with the given credentials"}
    zap.faults.add(LOGIN, Fault.reply(401, refused, headers={"WWW-Authenticate": 'Bearer realm="api"'}))
    async with password_client(zap, clock) as zs:
        first = (await attempt(zs.docs.list_docs())).failed(errors.InvalidCredentials)
        again = (await attempt(zs.docs.list_docs())).failed(errors.InvalidCredentials)
        # Answered from memory (the same credentials would be refused again), each caller its own copy.
        assert (type(again), str(again)) == (type(first), str(first))
        assert zap.counts[LOGIN] == 1
        clock.advance(1.5)  # past the first backoff
        (await attempt(zs.docs.list_docs())).succeeded()
    assert (zap.counts[LOGIN], zap.logins) == (2, 1)
    await no_client_task()


async def test_a_refused_refresh_falls_back_to_one_login(zap: ZapSignEmulator, clock: ManualClock) -> None:
    async with password_client(zap, clock) as zs:
        await zs.docs.list_docs()
        clock.advance(ACCESS_SECONDS)
        zap.faults.add(REFRESH, Fault.reply(401, {"detail": "Token is invalid or expired", "code": "token_not_valid"}))
        (await attempt(zs.docs.list_docs())).succeeded()
    assert (zap.counts[REFRESH], zap.refreshes) == (1, 0)
    assert (zap.counts[LOGIN], zap.logins) == (2, 2)
    await no_client_task()


@pytest.mark.parametrize("route", [LOGIN, REFRESH])
async def test_a_rate_limited_renewal_is_waited_out_or_raised(
    zap: ZapSignEmulator, clock: ManualClock, route: str
) -> None:
    flood = Fault.reply(400, {"message": "Rate limit exceeded"}, headers={"Retry-After": "20"})
    async with password_client(zap, clock) as zs:
        if route == REFRESH:
            await zs.docs.list_docs()
            clock.advance(ACCESS_SECONDS)
        zap.faults.add(route, flood)
        started = clock.now()
        outcome = await attempt(zs.docs.list_docs())
    if route == LOGIN:
        outcome.succeeded()  # a login's flood answer is waited out inside the one renewal
        assert clock.now() - started == 20
        assert (zap.counts[LOGIN], zap.logins) == (2, 1)
    else:
        error = outcome.failed(errors.RateLimited)  # a refresh's is the caller's, remembered for its wait
        assert isinstance(error, errors.RateLimited)
        assert error.retry_after == 20
        assert (zap.counts[REFRESH], zap.refreshes) == (1, 0)
    await no_client_task()


@pytest.mark.parametrize("route", [LOGIN, REFRESH])
@pytest.mark.parametrize("status", [307, 308])
async def test_a_renewal_redirected_to_another_host_is_not_followed(
    zap: ZapSignEmulator, clock: ManualClock, recorder: Recorder, route: str, status: int
) -> None:
    async with password_client(zap, clock) as zs:
        if route == REFRESH:
            await zs.docs.list_docs()
            clock.advance(ACCESS_SECONDS)
        zap.faults.add(route, Fault.redirect(recorder.origin, status))
        error = (await attempt(zs.docs.list_docs())).failed(errors.TransportError)
        assert f"redirected ({status}) to another host" in str(error)
        assert recorder.seen == []  # neither the password nor the refresh token went there
        (await attempt(zs.docs.list_docs())).succeeded()
    assert zap.counts[route] == 2
    assert (zap.logins, zap.refreshes) == ((1, 0) if route == LOGIN else (1, 1))
    await no_client_task()


@pytest.mark.parametrize("status", [301, 302, 303])
async def test_a_login_redirected_as_a_get_leaves_its_body_behind(
    zap: ZapSignEmulator, clock: ManualClock, recorder: Recorder, status: int
) -> None:
    recorder.reply = {"detail": "Method not allowed"}
    zap.faults.add(LOGIN, Fault.redirect(recorder.origin, status))
    async with password_client(zap, clock) as zs:
        (await attempt(zs.docs.list_docs())).failed(errors.DecodeError)  # {"detail"}: no tokens in it
        (await attempt(zs.docs.list_docs())).succeeded()
    [seen] = recorder.seen
    assert (seen.method, seen.path_qs, seen.body) == ("GET", "/api/v1/auth/token/123/", b"")
    assert zap.password not in str(seen)
    assert (zap.counts[LOGIN], zap.logins) == (2, 1)
    await no_client_task()
