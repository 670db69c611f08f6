"""A plain aiohttp.web server with three ZapSign routes (login, refresh, list_docs), counting what reaches it.

- `counts`: requests per route ("login", "refresh", "docs") as they arrive, before any answer; `peers`: the client
  ends (host, port) seen, one per connection.
- `hold(route)`: that route's answers wait until `release()` (an asyncio.Event, so in the server's loop).
- `login_answers`: answers to give the next logins, in order (then tokens); `pages`: how many pages of
  one document each list_docs has.
- `in_thread()`: served from a thread of its own, for clients used from several event loops.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import web

ORGANIZATION = "77"


class ZapSignServer:
    def __init__(self, *, pages: int = 1) -> None:
        self.counts: Counter[str] = Counter()
        self.peers: set[tuple[str, int]] = set()
        self.pages = pages
        self.login_answers: list[tuple[int, object]] = []
        self._held: set[str] = set()
        self._released = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def hold(self, route: str) -> None:
        self._held.add(route)

    def release(self) -> None:
        self._released.set()

    async def _arrived(self, route: str, request: web.Request) -> None:
        self.counts[route] += 1
        self.peers.add(request.transport.get_extra_info("peername") if request.transport else ("?", 0))
        if route in self._held:
            await self._released.wait()

    async def _login(self, request: web.Request) -> web.Response:
        await self._arrived("login", request)
        if self.login_answers:
            status, body = self.login_answers.pop(0)
            return web.json_response(body, status=status)
        number = self.counts["login"]
        return web.json_response({"access": f"access-{number}", "refresh": f"refresh-{number}"})

    async def _refresh(self, request: web.Request) -> web.Response:
        await self._arrived("refresh", request)
        number = self.counts["refresh"]
        return web.json_response({"access": f"access-r{number}", "refresh": f"refresh-r{number}"})

    async def _docs(self, request: web.Request) -> web.Response:
        await self._arrived("docs", request)
        page = int(request.query.get("page", "1"))
        following = f"{self.base_url}/docs/?page={page + 1}" if page < self.pages else None
        results = [{"token": f"doc-{page}", "status": "pending", "name": f"Document {page}"}]
        return web.json_response({"count": self.pages, "next": following, "previous": None, "results": results})

    async def __aenter__(self) -> ZapSignServer:
        app = web.Application()
        app.router.add_post("/api/v1/auth/token/{organization_id}/", self._login)
        app.router.add_post("/api/v1/auth/token-refresh/", self._refresh)
        app.router.add_get("/api/v1/docs/", self._docs)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/api/v1"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.release()  # answers still held go out, so that closing does not wait for them
        if self._runner is not None:
            await self._runner.cleanup()

    @contextmanager
    def in_thread(self) -> Iterator[ZapSignServer]:
        """Serve from a thread with a loop of its own until the block ends."""
        loop = asyncio.new_event_loop()
        serving = threading.Thread(target=loop.run_forever, name="zapsign server", daemon=True)
        serving.start()
        try:
            asyncio.run_coroutine_threadsafe(self.__aenter__(), loop).result(timeout=10)
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(self.__aexit__(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
            serving.join(timeout=10)
            loop.close()
