"""The fault table itself, seen on the wire with a plain aiohttp session: each kind does what it says.

Faults are queued per route key, consumed in order, one per request, before authentication; a route
with none queued (or another route) behaves normally.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tessera.testing import Fault, ZapSignEmulator
from tessera.testing._faults import PROXY_PAGE
from tests.faults.conftest import DOCS, LOGIN, origin
from tests.polling import until

TIMEOUT = aiohttp.ClientTimeout(total=5)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        yield session


def bearer(zap: ZapSignEmulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {zap.api_token}"}


async def test_reply_and_html(zap: ZapSignEmulator, session: aiohttp.ClientSession) -> None:
    zap.faults.add(DOCS, Fault.reply(503, {"detail": "down"}, headers={"Retry-After": "3"}))
    zap.faults.add(DOCS, Fault.html())
    zap.faults.add(DOCS, Fault.html(200, "<html>portal</html>"))
    async with session.get(f"{zap.base_url}/docs/") as first:  # no credentials: faults come first
        assert (first.status, first.headers["Retry-After"], await first.json()) == (503, "3", {"detail": "down"})
    async with session.get(f"{zap.base_url}/docs/") as second:
        assert (second.status, second.content_type, await second.text()) == (502, "text/html", PROXY_PAGE)
    async with session.get(f"{zap.base_url}/docs/") as third:
        assert (third.status, await third.text()) == (200, "<html>portal</html>")
    async with session.get(f"{zap.base_url}/docs/") as normal:  # the queue is empty: the route itself
        assert normal.status == 401
    assert zap.counts[DOCS] == 4


async def test_faults_are_per_route(zap: ZapSignEmulator, session: aiohttp.ClientSession) -> None:
    zap.faults.add(LOGIN, Fault.reply(500), times=2)
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as other_route:
        assert other_route.status == 200
    for _ in range(2):
        async with session.post(f"{zap.base_url}/auth/token/123/", json={}) as login:
            assert login.status == 500
    async with session.post(f"{zap.base_url}/auth/token/123/", json={}) as login:
        assert login.status == 400  # the route's own answer to an empty body
    zap.faults.add(DOCS, Fault.reply(500))
    zap.faults.clear()
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as cleared:
        assert cleared.status == 200


async def test_delay_answers_late_and_runs_the_route_even_for_a_client_gone(
    zap: ZapSignEmulator, session: aiohttp.ClientSession
) -> None:
    zap.faults.add(DOCS, Fault.delay(0.3))
    begun = asyncio.get_running_loop().time()
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as late:
        assert late.status == 200
    assert asyncio.get_running_loop().time() - begun >= 0.3
    zap.faults.add(LOGIN, Fault.delay(0.3))
    credentials = {"username": zap.username, "password": zap.password}
    with pytest.raises(TimeoutError):
        await session.post(
            f"{zap.base_url}/auth/token/123/", json=credentials, timeout=aiohttp.ClientTimeout(total=0.1)
        )
    await until(lambda: zap.logins == 1)  # the vendor logged in; nobody read the answer


async def test_reset(zap: ZapSignEmulator, session: aiohttp.ClientSession) -> None:
    zap.faults.add(LOGIN, Fault.reset())
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await session.post(f"{zap.base_url}/auth/token/123/", json={})
    assert zap.logins == 0


@pytest.mark.parametrize("keep", [0.0, 0.5, 1.0])
async def test_truncate_is_a_complete_response_with_part_of_the_body(
    zap: ZapSignEmulator, session: aiohttp.ClientSession, keep: float
) -> None:
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as whole:
        full = await whole.read()
    zap.faults.add(DOCS, Fault.truncate(keep))
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as cut:
        body = await cut.read()
        assert (cut.status, cut.content_type) == (200, "application/json")
    assert body == full[: int(len(full) * keep)]
    assert int(cut.headers["Content-Length"]) == len(body)


async def test_truncate_with_drop_announces_the_whole_body_then_closes(
    zap: ZapSignEmulator, session: aiohttp.ClientSession
) -> None:
    zap.faults.add(DOCS, Fault.truncate(0.5, drop=True))
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as cut:
        announced = int(cut.headers["Content-Length"])
        with pytest.raises(aiohttp.ClientPayloadError):
            await cut.read()
    assert announced > 0


async def test_wrong_content_type_keeps_status_and_body(zap: ZapSignEmulator, session: aiohttp.ClientSession) -> None:
    zap.faults.add(DOCS, Fault.wrong_content_type("text/plain"))
    async with session.get(f"{zap.base_url}/docs/") as refused:  # the route's error answer, relabelled
        assert (refused.status, refused.content_type) == (401, "text/plain")
        assert json.loads(await refused.read()) == {"detail": "Authentication credentials were not provided."}


async def test_stall_sends_part_then_nothing_until_the_client_goes(
    zap: ZapSignEmulator, session: aiohttp.ClientSession
) -> None:
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as whole:
        full = await whole.read()
    zap.faults.add(DOCS, Fault.stall(0.5))
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as stalled:
        assert stalled.status == 200
        part = await stalled.content.read(10)
        assert part  # the start of the body arrived
        assert full.startswith(part)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):
                await stalled.read()
        stalled.close()  # the client goes: the emulator's handler ends (the settled fixture checks it)


async def test_redirect_keeps_path_and_query(zap: ZapSignEmulator, session: aiohttp.ClientSession) -> None:
    zap.faults.add(DOCS, Fault.redirect("http://other.example:8080/", 307))
    async with session.get(f"{zap.base_url}/docs/?page=2", allow_redirects=False) as moved:
        assert moved.status == 307
        assert moved.headers["Location"] == "http://other.example:8080/api/v1/docs/?page=2"
    zap.faults.add(DOCS, Fault.redirect(origin(zap.base_url)))
    async with session.get(f"{zap.base_url}/docs/", headers=bearer(zap)) as followed:  # aiohttp follows it
        assert followed.status == 200
    assert zap.counts[DOCS] == 3


def test_constructors_refuse_what_cannot_be_sent() -> None:
    with pytest.raises(ValueError, match="not a redirect status"):
        Fault.redirect("http://localhost:1", 200)
    for keep in (-0.1, 1.5):
        with pytest.raises(ValueError, match="share of the body"):
            Fault.truncate(keep)
        with pytest.raises(ValueError, match="share of the body"):
            Fault.stall(keep)
    assert Fault.reply(500, b"raw").body == b"raw"
    assert Fault.reply(500, "text").body == b"text"
    assert Fault.reply(500).body == b"{}"
