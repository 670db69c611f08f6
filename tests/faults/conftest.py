"""Fault injection: emulators on a manual clock, a recorder on another origin, and the checks every test shares.

- `settled` (autouse): when a test ends, its emulators closed, no task of any kind is left pending.
- `no_client_task()`: right after a client closes, nothing of tessera's is pending (renewals, requests);
  only an emulator's own handlers may still be running (a delayed answer nobody waits for).
- `attempt(call)`: the outcome of one call, its error if any and how long it took, with a guard that
  fails the test instead of hanging it.
- `Recorder`: a plain aiohttp.web server on 127.0.0.1 that keeps every request it gets (method, path,
  headers, body) and answers a fixed JSON body: the "other host" of redirect tests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Mapping
from typing import Final, Generic, TypeVar

import attrs
import pytest
from aiohttp import web

from tessera import errors, videsk, zapsign
from tessera.testing import ManualClock, VideskEmulator, ZapSignEmulator, emulator
from tests.tasks import client_tasks, pending_tasks

T = TypeVar("T")

LOGIN: Final = "POST /auth/token/{organization_id}/"
REFRESH: Final = "POST /auth/token-refresh/"
DOCS: Final = "GET /docs/"
DOC: Final = "GET /docs/{doc_token}/"
CREATE: Final = "POST /docs/"
SEGMENTS: Final = "GET /public/video-contact-center/segments"
EXPORT: Final = "POST /public/video-contact-center/reports/exports/{kind}"

ACCESS_SECONDS: Final = 3600
"""ZapSign access tokens live an hour; advancing the clock this much spends one (refresh tokens live two)."""
SHORT: Final = 0.3
"""The client timeout of the timeout tests."""
LATE: Final = 0.6
"""A delay past SHORT: the answer comes, but after the client gave up."""
SLACK: Final = 1.0
"""What a timed-out call may take beyond its timeout on a loaded machine: a guard, not a performance claim."""
HANG_GUARD: Final = 10.0
"""A call that takes this long has hung: the test fails rather than waits."""


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def zap(clock: ManualClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=clock, access_seconds=ACCESS_SECONDS, refresh_seconds=2 * ACCESS_SECONDS)
    async with emu:
        yield emu


@pytest.fixture
async def vid(clock: ManualClock) -> AsyncIterator[VideskEmulator]:
    emu = emulator("videsk", clock=clock)
    async with emu:
        yield emu


def password_client(emu: ZapSignEmulator, clock: ManualClock, **options: object) -> zapsign.Client:
    """ZapSign with password login: login and refresh routes in play."""
    return zapsign.Client(
        auth=zapsign.PasswordAuth(emu.organization_id, emu.username, emu.password),
        base_url=emu.base_url,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def token_client(emu: ZapSignEmulator, clock: ManualClock, **options: object) -> zapsign.Client:
    """ZapSign with its static api_token (sent as a bearer)."""
    return zapsign.Client(
        auth=zapsign.ApiTokenAuth(emu.api_token),
        base_url=emu.base_url,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def videsk_client(emu: VideskEmulator, clock: ManualClock, **options: object) -> videsk.Client:
    """Videsk with its API key (a bearer) and its export token (the X-API-Token header)."""
    return videsk.Client(
        api_key=emu.api_key,
        export_token=emu.export_token,
        base_url=emu.base_url,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def origin(base_url: str) -> str:
    """http://127.0.0.1:port of a base URL."""
    scheme, _, rest = base_url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


# --- outcomes ---------------------------------------------------------------------------------------


@attrs.frozen
class Outcome(Generic[T]):
    value: T | None
    error: errors.TesseraError | None
    seconds: float

    def failed(self, kind: type[errors.TesseraError]) -> errors.TesseraError:
        """The error, checked to be exactly `kind` (not merely a subclass of it)."""
        assert type(self.error) is kind, f"expected {kind.__name__}, got {self.error!r}"
        assert self.error is not None
        return self.error

    def succeeded(self) -> T:
        assert self.error is None, f"expected success, got {self.error!r}"
        assert self.value is not None
        return self.value


async def attempt(call: Awaitable[T], *, within: float = HANG_GUARD) -> Outcome[T]:
    """Await `call`; its result or its tessera error, and the seconds it took (failing the test past `within`)."""
    begun = time.monotonic()
    try:
        async with asyncio.timeout(within):
            value = await call
    except TimeoutError:
        pytest.fail(f"the call hung: no outcome within {within} s")
    except errors.TesseraError as error:
        return Outcome(None, error, time.monotonic() - begun)
    return Outcome(value, None, time.monotonic() - begun)


def renewal_over() -> bool:
    """No renewal in flight: a caller gives up at its own timeout, and the renewal it left goes on a moment."""
    return not any("tessera renewal" in task.get_name() for task in client_tasks())


# --- pending tasks ----------------------------------------------------------------------------------


async def no_client_task() -> None:
    """Nothing but an emulator's handlers is pending (call it right after a client closed)."""
    for _ in range(3):  # callbacks of what just closed run on the next turns of the loop
        await asyncio.sleep(0)
    left = client_tasks()
    assert not left, f"tasks left pending after the client closed: {left}"


async def no_task_within(seconds: float) -> None:
    """Every task other than this one ends within `seconds` (an emulator's handlers included)."""
    deadline = time.monotonic() + seconds
    while left := pending_tasks():
        assert time.monotonic() < deadline, f"tasks still pending {seconds} s later: {left}"
        await asyncio.sleep(0.01)


@pytest.fixture(autouse=True)
async def settled() -> AsyncIterator[None]:
    """When the test and its emulators are done, no task is left (a closing emulator waits 1 s at most)."""
    yield
    await no_task_within(2.0)


# --- the other host ----------------------------------------------------------------------------------


@attrs.frozen
class Seen:
    method: str
    path_qs: str
    headers: Mapping[str, str]
    body: bytes


class Recorder:
    """An aiohttp.web server on 127.0.0.1 that records each request and answers `reply` (JSON, `status`)."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.reply: object = {}
        self.status = 200
        self._runner: web.AppRunner | None = None
        self.origin = ""

    async def _record(self, request: web.Request) -> web.Response:
        self.seen.append(Seen(request.method, request.path_qs, dict(request.headers), await request.read()))
        return web.json_response(self.reply, status=self.status)

    async def __aenter__(self) -> Recorder:
        app = web.Application()
        app.router.add_route("*", r"/{tail:[\s\S]*}", self._record)  # any path: a decoded %0A too
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.origin = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    async with Recorder() as server:
        yield server


def doc_page(count: int = 0) -> dict[str, object]:
    """A ZapSign page of documents, for the recorder to answer."""
    return {"count": count, "next": None, "previous": None, "results": []}
