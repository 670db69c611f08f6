"""A renewal's failure reaches its waiters on every thread's loop as on its own: none renews again for them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable

from aiohttp import web

from tessera import errors
from tessera.testing import ManualClock, ZapSignEmulator
from tessera.testing._server import Route
from tests.broker.conftest import password_client
from tests.broker.test_threads import LOGIN, until_true


class HeldFailingLogin(ZapSignEmulator):
    """Holds the first login until `answer` is set, then answers it 503 (a deploy behind a proxy)."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.answer = asyncio.Event()

    def routes(self) -> Iterable[Route]:
        routes = list(super().routes())
        login = next(route for route in routes if route.method == "POST" and route.path.startswith("/auth/token/"))

        async def held(request: web.Request) -> web.StreamResponse:
            if not self.answer.is_set():
                await self.answer.wait()
                return web.Response(status=503, text="<html>Service Unavailable</html>", content_type="text/html")
            return await login.handler(request)

        return [Route(r.method, r.path, held, r.public) if r is login else r for r in routes]


async def test_a_passing_failure_reaches_the_waiters_of_every_loop(clock: ManualClock) -> None:
    # A login answered 503 fails the callers that waited for it on another thread's loop just as on its
    # own, rather than sending them to log in again for their loop. A passing failure is not remembered:
    # the next caller renews.
    emu = HeldFailingLogin(clock=clock, access_seconds=3600)
    joined = threading.Event()
    outcomes: list[object] = []

    async def waits() -> None:
        async with password_client(emu, clock, max_retries=0) as zs:
            calls = [asyncio.ensure_future(zs.docs.list_docs()) for _ in range(3)]
            await asyncio.sleep(0.05)  # they wait for the renewal in flight on the test's loop
            joined.set()
            outcomes.extend(await asyncio.gather(*calls, return_exceptions=True))

    async with emu, password_client(emu, clock, max_retries=0) as zs:
        starter = asyncio.ensure_future(zs.docs.list_docs())
        await until_true(lambda: emu.counts[LOGIN] == 1)
        thread = threading.Thread(target=asyncio.run, args=(waits(),), daemon=True)
        thread.start()
        assert await asyncio.to_thread(joined.wait, 10)
        emu.answer.set()
        outcomes += await asyncio.gather(starter, return_exceptions=True)
        await asyncio.to_thread(thread.join, 10)
        assert not thread.is_alive()
        assert len(outcomes) == 4
        assert all(isinstance(outcome, errors.ServerError) for outcome in outcomes), outcomes
        assert emu.counts[LOGIN] == 1
        assert (await zs.docs.list_docs()).results  # not remembered: the next caller logs in
    assert (emu.counts[LOGIN], emu.logins) == (2, 1)
