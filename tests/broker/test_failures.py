"""Failures: a refused login reaches every waiter and backs off; floods are waited out; passing faults keep serving."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable

import aiohttp
import pytest
from aiohttp import web

from tessera import errors
from tessera.testing import ManualClock, ZapSignEmulator, emulator
from tessera.testing._server import Route
from tests.broker.conftest import ORGANIZATION, PASSWORD, USERNAME, password_client
from tests.broker.test_own_store import KeptStore
from tests.polling import until
from tests.tasks import client_tasks

LOGIN = "POST /auth/token/{organization_id}/"
REFRESH = "POST /auth/token-refresh/"


async def first_page_error(zs: object) -> BaseException | None:
    try:
        await zs.docs.list_docs()  # type: ignore[attr-defined]
    except errors.TesseraError as error:
        return error
    return None


async def test_a_refused_login_reaches_every_waiter_and_backs_off(emu: ZapSignEmulator, clock: ManualClock) -> None:
    async with password_client(emu, clock, password="wrong") as zs:
        outcomes = await asyncio.gather(*(first_page_error(zs) for _ in range(200)))
        assert all(isinstance(outcome, errors.InvalidCredentials) for outcome in outcomes)
        assert emu.counts[LOGIN] <= 3
        attempts = emu.counts[LOGIN]
        again = await asyncio.gather(*(first_page_error(zs) for _ in range(200)))  # within the backoff
        assert all(isinstance(outcome, errors.InvalidCredentials) for outcome in again)
        assert emu.counts[LOGIN] == attempts
        clock.advance(1.5)  # past the first backoff: one new attempt, then a longer backoff
        await asyncio.gather(*(first_page_error(zs) for _ in range(200)))
        assert emu.counts[LOGIN] == attempts + 1
    assert emu.counts["GET /docs/"] == 0
    assert emu.logins == 0


async def test_a_failed_renewal_is_let_go_of_while_its_client_stays_open(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    # Its task holds the login's frames (the body with the password) in its error's traceback: once its
    # callers have the error, nothing keeps the task, though the client and its broker live on.
    async with password_client(emu, clock, password="wrong") as zs:
        with pytest.raises(errors.InvalidCredentials):
            await zs.docs.list_docs()
        gc.collect()
        renewals = [
            task
            for task in gc.get_objects()
            if isinstance(task, asyncio.Task)
            and task.get_name().startswith("tessera renewal")
            and task.get_loop() is asyncio.get_running_loop()  # not an earlier test's
        ]
        assert renewals == []


async def test_a_login_flood_answer_is_waited_out_with_backoff(clock: ManualClock) -> None:
    emu = emulator("zapsign", clock=clock, login_limit_per_minute=1)
    async with emu:
        async with aiohttp.ClientSession() as session:  # someone else spent this minute's login
            await session.post(
                f"{emu.base_url}/auth/token/{ORGANIZATION}/", json={"username": USERNAME, "password": PASSWORD}
            )
        started = clock.now()
        async with password_client(emu, clock) as zs:
            pages = await asyncio.gather(*(zs.docs.list_docs() for _ in range(100)))
    assert len(pages) == 100
    waited = clock.now() - started
    assert 60 <= waited <= 130  # the minute was waited out ...
    assert emu.counts[LOGIN] <= 1 + 8  # ... with doubling waits, not a request per caller or per second
    assert emu.logins == 2


class FlakyRefreshes(ZapSignEmulator):
    """Answers the first `failures` refreshes with a 503, as a proxy in front of a deploy would."""

    def __init__(self, failures: int, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.failures = failures

    def routes(self) -> Iterable[Route]:
        routes = list(super().routes())
        refresh = next(route for route in routes if route.path == "/auth/token-refresh/")

        async def flaky(request: web.Request) -> web.StreamResponse:
            if self.failures > 0:
                self.failures -= 1
                return web.Response(status=503, text="<html>Service Unavailable</html>", content_type="text/html")
            return await refresh.handler(request)

        return [Route(r.method, r.path, flaky, r.public) if r is refresh else r for r in routes]


async def test_a_refresh_failing_with_5xx_keeps_serving_the_valid_token(clock: ManualClock) -> None:
    emu = FlakyRefreshes(failures=2, clock=clock, access_seconds=3600, refresh_seconds=7200)
    async with emu, password_client(emu, clock) as zs:
        await zs.docs.list_docs()
        clock.advance(3500)  # in the window: renewal in the background fails, the token still serves
        await zs.docs.list_docs()
        await until(lambda: emu.counts[REFRESH] == 1 and not client_tasks())  # the failure was handled
        for _ in range(2):  # within the retry delay: served, no new attempt
            await zs.docs.list_docs()
        await until(lambda: not client_tasks())
        assert emu.counts[REFRESH] == 1
        clock.advance(6)  # past the retry delay: tried again, fails again, still serving
        await zs.docs.list_docs()
        await until(lambda: emu.counts[REFRESH] == 2 and not client_tasks())
        clock.advance(6)
        await zs.docs.list_docs()
        await until(lambda: emu.refreshes == 1 and not client_tasks())
    assert emu.counts[REFRESH] == 3
    assert emu.refreshes == 1
    assert emu.logins == 1
    assert emu.counts["GET /docs/"] == 6


async def test_a_refresh_failing_when_the_token_is_spent_raises_server_error(clock: ManualClock) -> None:
    emu = FlakyRefreshes(failures=1, clock=clock, access_seconds=3600, refresh_seconds=7200)
    async with emu, password_client(emu, clock, max_retries=0) as zs:
        await zs.docs.list_docs()
        clock.advance(3600)
        with pytest.raises(errors.ServerError):
            await zs.docs.list_docs()
        await zs.docs.list_docs()  # a passing fault is not remembered: the next caller renews
    assert emu.refreshes == 1


async def test_a_refresh_failing_at_the_end_of_the_tokens_usable_time_raises_server_error(
    clock: ManualClock,
) -> None:
    emu = FlakyRefreshes(failures=1, clock=clock, access_seconds=3600, refresh_seconds=7200)
    store = KeptStore()  # to read the login's usable time: not the vendor's expiry, but a margin before it
    async with emu, password_client(emu, clock, max_retries=0, store=store) as zs:
        await zs.docs.list_docs()
        clock.advance(store.saved[-1].usable_until - clock.now())  # spent at that very moment
        with pytest.raises(errors.ServerError):
            await zs.docs.list_docs()
    assert emu.counts["GET /docs/"] == 1
