"""No tenant's secret outlives its use: a client per tenant, used once and closed, leaves nothing behind.

A multi-tenant backend builds a client per tenant, calls once and closes it. Once the tenants' tokens
have expired (the store's TTL, on the clients' clock), no broker, store entry, `Secret` or password of
theirs is left, and traced memory is back where it started. A refused tenant's error, kept by its
caller, reaches no password through its frames; dropped, nothing of it is left. And the opposite case:
a web handler that builds a client per request, with one credential, logs in once.

Figures (RSS, traced memory) are printed: `pytest -s tests/broker/test_forgetting.py`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import tracemalloc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from aiohttp import web

from tessera import errors, zapsign
from tessera._auth.broker import TokenBroker
from tessera._auth.secrets import Secret
from tessera.stores import MemoryStore
from tessera.testing import ManualClock, ZapSignEmulator
from tessera.testing._errors import ErrorReply
from tessera.testing.zapsign.auth import ZapSignAuth
from tests.broker.conftest import ORGANIZATION, PASSWORD, USERNAME
from tests.broker.frames import frame_secrets
from tests.conftest import Shown

TENANTS = 10_000
AT_ONCE = 50
"""Tenants served concurrently: a backend's handlers in flight."""
REFRESH_SECONDS = 7200
MARK = "-".join(("tenant", "secret", ""))
"""Every tenant's password starts with it: a heap scan finds them without keeping a list of them. Joined
at run time, so that the lines of this file (kept by linecache once a traceback shows them) hold none."""
LOGIN = "POST /auth/token/{organization_id}/"


def password_of(organization_id: str, username: str, *, wrong: bool = False) -> str:
    return f"{MARK}{'wrong-' if wrong else ''}{organization_id}-{username}"


class Tenants(ZapSignAuth):
    """ZapSign's login for every tenant whose password is `password_of` its organization and username.

    It derives what it checks instead of keeping 10,000 accounts, so that the only passwords in the
    process are the clients'.
    """

    async def login(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("password") != password_of(request.match_info["organization_id"], str(body.get("username"))):
            detail: dict[str, object] = {"detail": "No active account found with the given credentials"}
            raise ErrorReply(401, detail, {"WWW-Authenticate": 'Bearer realm="api"'})
        self.logins += 1
        return web.json_response({"refresh": self._issue("refresh"), "access": self._issue("access")})


@pytest.fixture
async def tenants(clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ZapSignEmulator]:
    # The emulators remember every token they issue, for the suite's leak checks, in a list that only
    # grows: 20,000 tokens would be the very memory measured here. This test checks its own leaks.
    monkeypatch.setattr("tessera.testing._tokens.remember", lambda value: value)
    emu = ZapSignEmulator(clock=clock, documents=0, access_seconds=3600, refresh_seconds=REFRESH_SECONDS)
    emu.auth = Tenants(
        clock=clock,
        organization_id="-",
        username="-",
        password="-",
        access_seconds=3600,
        refresh_seconds=REFRESH_SECONDS,
        rotate_refresh_tokens=True,
        login_limit_per_minute=None,
    )
    async with emu:
        yield emu


def tenant_client(
    emu: ZapSignEmulator, clock: ManualClock, store: MemoryStore, index: int, *, wrong: bool = False
) -> zapsign.Client:
    organization_id, username = str(10_000 + index), f"user{index}@tenant.example"
    return zapsign.Client(
        auth=zapsign.PasswordAuth(organization_id, username, password_of(organization_id, username, wrong=wrong)),
        base_url=emu.base_url,
        clock=clock,
        store=store,
    )


async def serve(indexes: range, call: Callable[[int], Awaitable[object]]) -> list[object]:
    """`call(i)` for every index, AT_ONCE at a time."""
    results: list[object] = []
    for start in range(indexes.start, indexes.stop, AT_ONCE):
        results += await asyncio.gather(*(call(index) for index in range(start, min(start + AT_ONCE, indexes.stop))))
    return results


async def server_done() -> None:
    """Let the emulator see the last client's connection close: its handler holds the last request it read."""
    await asyncio.sleep(0.1)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def traced_mb() -> float:
    """Traced memory once unreachable cycles are collected, this test module's own bookkeeping left out."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, __file__)])
    return sum(stat.size for stat in snapshot.statistics("filename")) / 2**20


def live(kind: type) -> list[object]:
    gc.collect()
    return [thing for thing in gc.get_objects() if type(thing) is kind]


def passwords_in_heap() -> list[str]:
    """Strings and bytes held by any object that carry a tenant's password (MARK itself aside)."""
    gc.collect()
    found = []
    for holder in gc.get_objects():
        for part in gc.get_referents(holder):
            if (type(part) is str and MARK in part and part != MARK) or (type(part) is bytes and MARK.encode() in part):
                found.append(f"{type(holder).__name__} holds {part[:40]!r}")
    return found


@pytest.fixture
def traced() -> Iterator[None]:
    """Memory traced during the test, with tessera's log records (which pytest keeps, for its report) off."""
    logger = logging.getLogger("tessera")
    level = logger.level
    logger.setLevel(logging.ERROR)
    tracemalloc.start()
    try:
        yield
    finally:
        tracemalloc.stop()
        logger.setLevel(level)


async def test_ten_thousand_tenants_used_once_leave_nothing_once_their_tokens_expire(
    tenants: ZapSignEmulator, clock: ManualClock, traced: None
) -> None:
    store = MemoryStore()

    async def once(index: int) -> None:
        async with tenant_client(tenants, clock, store, index) as zs:
            await zs.docs.list_docs()

    await serve(range(TENANTS, TENANTS + 200), once)  # warm: codec, aiohttp and emulator caches
    clock.advance(REFRESH_SECONDS)
    await once(TENANTS + 999)  # sweeps the warm-up's entries
    secrets_before = {id(secret) for secret in live(Secret)}
    brokers_before = {id(broker) for broker in live(TokenBroker)}  # other tests' clients, still open
    before, rss_before = traced_mb(), rss_mb()
    started = time.monotonic()

    await serve(range(TENANTS), once)

    seconds = time.monotonic() - started
    assert tenants.auth.logins == 200 + 1 + TENANTS
    held, rss_held = traced_mb(), rss_mb()
    clock.advance(REFRESH_SECONDS)  # past every tenant's access and refresh token
    await once(TENANTS + 1_000)  # the next tenant's call sweeps the store on this clock
    await server_done()
    after, rss_after = traced_mb(), rss_mb()
    print(
        f"\n{TENANTS:,} tenants in {seconds:.1f} s: traced {before:.1f} MB -> {held:.1f} MB with their tokens "
        f"-> {after:.1f} MB once expired; RSS {rss_before:.0f} -> {rss_held:.0f} -> {rss_after:.0f} MB"
    )
    assert [broker for broker in live(TokenBroker) if id(broker) not in brokers_before] == []
    assert len([secret for secret in live(Secret) if id(secret) not in secrets_before]) <= 2  # the last tenant's
    assert passwords_in_heap() == []
    assert len(store) == 1  # the last tenant's
    assert after - before < 1.0


async def test_ten_thousand_refused_tenants_leave_no_password_behind(
    tenants: ZapSignEmulator, clock: ManualClock, traced: None, no_secret_in_what_tessera_shows: Shown
) -> None:
    store = MemoryStore()
    shown = no_secret_in_what_tessera_shows

    def let_go_of_shown_errors() -> None:
        """The suite's own check keeps every error raised: it reads them now, then lets go, as callers do."""
        shown.see_errors()
        shown.errors.clear()

    async def refused(index: int) -> errors.InvalidCredentials | None:
        """The first tenant's error is kept by its caller; the others' are dropped as they come."""
        async with tenant_client(tenants, clock, store, index, wrong=True) as zs:
            with pytest.raises(errors.InvalidCredentials) as caught:
                await zs.docs.list_docs()
        let_go_of_shown_errors()
        return caught.value if index == 0 else None

    await serve(range(TENANTS, TENANTS + 200), refused)  # warm
    clock.advance(120)  # past every refusal's backoff
    let_go_of_shown_errors()
    brokers_before = {id(broker) for broker in live(TokenBroker)}
    before, rss_before = traced_mb(), rss_mb()
    started = time.monotonic()

    kept = (await serve(range(TENANTS), refused))[0]

    seconds = time.monotonic() - started
    assert tenants.counts[LOGIN] == 200 + TENANTS
    let_go_of_shown_errors()
    held, rss_held = traced_mb(), rss_mb()
    assert isinstance(kept, errors.InvalidCredentials)
    in_kept_frames = frame_secrets(kept, password_of("10000", "user0@tenant.example", wrong=True))
    del kept
    clock.advance(120)
    await refused(TENANTS + 1_000)  # past the backoffs: the next tenant's client lets go of the others
    let_go_of_shown_errors()
    await server_done()
    after, rss_after = traced_mb(), rss_mb()
    print(
        f"\n{TENANTS:,} refused tenants in {seconds:.1f} s: traced {before:.1f} MB -> {held:.1f} MB, one error kept "
        f"-> {after:.1f} MB once dropped; RSS {rss_before:.0f} -> {rss_held:.0f} -> {rss_after:.0f} MB"
    )
    assert in_kept_frames == []
    assert passwords_in_heap() == []
    # The last tenant's only, answering its refusal from memory.
    assert len([broker for broker in live(TokenBroker) if id(broker) not in brokers_before]) <= 1
    assert after - before < 1.0


async def test_a_client_per_request_logs_in_once(clock: ManualClock) -> None:
    emu = ZapSignEmulator(clock=clock, documents=0, access_seconds=3600, refresh_seconds=REFRESH_SECONDS)
    async with emu:
        for _ in range(5_000):  # a web handler: a client per request, closed after its call
            async with zapsign.Client(
                auth=zapsign.PasswordAuth(ORGANIZATION, USERNAME, PASSWORD), base_url=emu.base_url, clock=clock
            ) as zs:
                await zs.docs.list_docs()
    assert (emu.counts[LOGIN], emu.logins) == (1, 1)
    assert emu.counts["GET /docs/"] == 5_000
