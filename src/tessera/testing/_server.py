"""What every vendor emulator shares: a route table, request counting, and an aiohttp server on loopback."""

from __future__ import annotations

import abc
import time
from collections import Counter, deque
from collections.abc import Iterable
from types import TracebackType
from typing import ClassVar, Final

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler

from ._clock import TimeFunction
from ._counting import request_counter
from ._errors import send_error_replies
from ._faults import Faults, fault_injector
from ._received import KEPT, Received, request_recorder

HOST: Final = "127.0.0.1"
# Seconds the server waits for requests still running when the emulator closes; a test that leaves one
# hanging should not hold up its teardown for aiohttp's default minute.
_SHUTDOWN_SECONDS: Final = 1.0


@attrs.frozen
class Route:
    """One operation of a vendor: its method, its path template after the base URL, and its handler."""

    method: str
    path: str
    handler: Handler
    public: bool = False
    """Answered without credentials (logins, token refreshes)."""


class Emulator(abc.ABC):
    """A vendor's API served on 127.0.0.1; `async with` starts it and gives its base URL."""

    vendor: ClassVar[str]
    base_path: ClassVar[str] = ""
    """The path the vendor's base URL ends with, e.g. /api/v1; route templates and counts come after it."""
    max_request_bytes: ClassVar[int] = 1024 * 1024
    """The largest request body served (aiohttp's default); past it, 413."""

    def __init__(self, *, clock: TimeFunction = time.time, port: int = 0) -> None:
        self.clock = clock
        self.port = port
        self.counts: Counter[str] = Counter()
        """Requests per "METHOD /template", refused ones included."""
        self.faults = Faults()
        """Faults queued per route key for tests to inject (see `Fault`)."""
        self.received: deque[Received] = deque(maxlen=KEPT)
        """The last requests received, oldest first, as they arrived: headers, query and body."""
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @abc.abstractmethod
    def routes(self) -> Iterable[Route]: ...

    @abc.abstractmethod
    def authenticate(self, request: web.Request) -> None:
        """Raise the vendor's ErrorReply unless the request carries credentials the vendor accepts."""

    @abc.abstractmethod
    def credentials(self) -> dict[str, str]:
        """What a user passes to the client to be let in, by name, for printing."""

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError(f"the {self.vendor} emulator is not serving; use `async with` first")
        return self._base_url

    async def __aenter__(self) -> str:
        if self._runner is not None:
            raise RuntimeError(f"the {self.vendor} emulator is already serving at {self._base_url}")
        runner = web.AppRunner(self._application(), access_log=None, shutdown_timeout=_SHUTDOWN_SECONDS)
        await runner.setup()
        try:
            await web.TCPSite(runner, HOST, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        port = runner.addresses[0][1]
        self._runner = runner
        self._base_url = f"http://{HOST}:{port}{self.base_path}"
        return self._base_url

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        runner, self._runner, self._base_url = self._runner, None, None
        if runner is not None:
            await runner.cleanup()

    def _application(self) -> web.Application:
        routes = list(self.routes())
        public = {f"{route.method} {route.path}" for route in routes if route.public}
        app = web.Application(
            client_max_size=self.max_request_bytes,
            middlewares=[
                request_counter(self.counts, self.base_path),
                request_recorder(self.received, self.base_path, public),
                fault_injector(self.faults, self.base_path),
                send_error_replies,
            ],
        )
        for route in routes:
            handler = route.handler if route.public else self._guarded(route.handler)
            app.router.add_route(route.method, self.base_path + route.path, handler)
        return app

    def _guarded(self, handler: Handler) -> Handler:
        async def authenticated(request: web.Request) -> web.StreamResponse:
            self.authenticate(request)
            return await handler(request)

        return authenticated
