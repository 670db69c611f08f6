"""The Biuwer emulator's users, paging and API credential checks, over real HTTP."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tessera.testing import BiuwerEmulator, ManualClock, emulator
from tests.testing.test_emulator_cli import STARTUP_SECONDS, free_port, read_banner

NEW_USER = {"email": "nuria.vidal@example.com", "name": "Nuria", "surname": "Vidal"}
ROUTES = [
    ("GET", "/users"),
    ("POST", "/users"),
    ("GET", "/users/1"),
    ("PUT", "/users/1"),
    ("DELETE", "/users/1"),
    ("GET", "/users/1/auth-tokens"),
    ("POST", "/users/1/auth-tokens"),
    ("DELETE", "/users/1/auth-tokens/1"),
]


def error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


class Biuwer:
    """Calls to one emulator, with its api_token unless told otherwise, answering (status, parsed JSON)."""

    def __init__(self, session: aiohttp.ClientSession, emu: BiuwerEmulator) -> None:
        self.session = session
        self.emu = emu

    async def call(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        token: str | None = None,
        params: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.emu.api_token if token is None else token}"}
        url = self.emu.base_url + path
        async with self.session.request(method, url, json=body, headers=headers, params=params) as response:
            if response.status == 204:
                assert await response.read() == b""
                return 204, None
            return response.status, await response.json()

    async def ok(self, method: str, path: str, body: object = None, *, status: int = 200) -> Any:
        answered, answer = await self.call(method, path, body)
        assert answered == status, answer
        return answer


@pytest.fixture
async def biuwer(clock: ManualClock) -> AsyncIterator[BiuwerEmulator]:
    emu = emulator("biuwer", clock=clock)
    async with emu:
        yield emu


@pytest.fixture
def api(session: aiohttp.ClientSession, biuwer: BiuwerEmulator) -> Biuwer:
    return Biuwer(session, biuwer)


async def test_base_url_is_the_bare_host(biuwer: BiuwerEmulator) -> None:
    assert biuwer.base_url.startswith("http://127.0.0.1:")
    assert biuwer.base_url.count("/") == 2


async def test_seeded_users_page_with_defaults(api: Biuwer) -> None:
    page = await api.ok("GET", "/users")

    assert (page["total"], page["limit"], page["skip"]) == (5, 20, 0)
    assert [user["id"] for user in page["data"]] == ["1", "2", "3", "4", "5"]
    first = page["data"][0]
    assert first == {
        "id": "1",
        "email": "lucia.martinez@example.com",
        "name": "Lucía",
        "surname": "Martínez",
        "type": "admin",
        # Five users a day apart ending at ManualClock's start, 2023-11-14T22:13:20Z.
        "created_at": "2023-11-10T22:13:20.000Z",
        "updated_at": "2023-11-10T22:13:20.000Z",
    }
    assert {user["type"] for user in page["data"][1:]} == {"basic"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"limit": "2"}, {"limit": 2, "skip": 0, "ids": ["1", "2"]}),
        ({"limit": "2", "skip": "4"}, {"limit": 2, "skip": 4, "ids": ["5"]}),
        ({"limit": "500"}, {"limit": 100, "skip": 0, "ids": ["1", "2", "3", "4", "5"]}),
        ({"skip": "9"}, {"limit": 20, "skip": 9, "ids": []}),
    ],
)
async def test_limit_and_skip(api: Biuwer, params: dict[str, str], expected: dict[str, Any]) -> None:
    status, page = await api.call("GET", "/users", params=params)

    assert status == 200
    assert page["total"] == 5
    assert {"limit": page["limit"], "skip": page["skip"], "ids": [u["id"] for u in page["data"]]} == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "`limit` must be an integer of at least 1"),
        ({"limit": "ten"}, "`limit` must be an integer of at least 1"),
        ({"skip": "-1"}, "`skip` must be an integer of at least 0"),
    ],
)
async def test_bad_limit_or_skip_is_a_validation_error(api: Biuwer, params: dict[str, str], message: str) -> None:
    assert await api.call("GET", "/users", params=params) == (400, error("validation_error", message))


async def test_seed_count_is_an_option(session: aiohttp.ClientSession, clock: ManualClock) -> None:
    emu = emulator("biuwer", clock=clock, users=12)
    async with emu:
        api = Biuwer(session, emu)
        page = await api.ok("GET", "/users")
        assert page["total"] == 12
        assert len({user["email"] for user in page["data"]}) == 12


async def test_email_filter_ignores_case(api: Biuwer) -> None:
    status, page = await api.call("GET", "/users", params={"email": "Pablo.Garcia@EXAMPLE.com"})
    assert status == 200
    assert (page["total"], [user["id"] for user in page["data"]]) == (1, ["2"])

    status, page = await api.call("GET", "/users", params={"email": "nobody@example.com"})
    assert (status, page["total"], page["data"]) == (200, 0, [])


async def test_create_then_get_and_list(api: Biuwer, clock: ManualClock) -> None:
    clock.advance(90)
    created = await api.ok("POST", "/users", NEW_USER, status=201)

    assert created == {
        "id": "6",
        **NEW_USER,
        "type": "basic",
        "created_at": "2023-11-14T22:14:50.000Z",
        "updated_at": "2023-11-14T22:14:50.000Z",
    }
    assert await api.ok("GET", "/users/6") == created
    assert (await api.ok("GET", "/users"))["total"] == 6
    assert api.emu.counts["POST /users"] == 1
    assert api.emu.counts["GET /users/{user_id}"] == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "Nuria"}, "`email` is required"),
        ({"email": 42}, "`email` must be a string"),
        ({"email": "nuria"}, "`email` is not a valid email address"),
        ({"email": "nuria@example.com", "surname": None}, "`surname` must be a string"),
        ({"email": "nuria@example.com", "type": "owner"}, "`type` must be one of basic, admin"),
    ],
)
async def test_create_refuses_bad_fields(api: Biuwer, body: dict[str, Any], message: str) -> None:
    assert await api.call("POST", "/users", body) == (400, error("validation_error", message))
    assert (await api.ok("GET", "/users"))["total"] == 5


async def test_bodies_must_be_json_objects(api: Biuwer, session: aiohttp.ClientSession) -> None:
    assert await api.call("POST", "/users", ["nuria@example.com"]) == (
        400,
        error("validation_error", "The body must be a JSON object"),
    )
    headers = {"Authorization": f"Bearer {api.emu.api_token}", "Content-Type": "application/json"}
    async with session.post(f"{api.emu.base_url}/users", data=b"{not json", headers=headers) as response:
        assert response.status == 400
        assert await response.json() == error("validation_error", "The body is not valid JSON")


async def test_emails_are_unique_without_case(api: Biuwer) -> None:
    conflict = (409, error("conflict", "Email already in use"))
    assert await api.call("POST", "/users", {"email": "LUCIA.martinez@example.com"}) == conflict
    assert await api.call("PUT", "/users/2", {"email": "lucia.martinez@example.com"}) == conflict
    # A user may keep, or re-case, their own email.
    assert (await api.ok("PUT", "/users/1", {"email": "Lucia.Martinez@example.com"}))["email"] == (
        "Lucia.Martinez@example.com"
    )


async def test_update_replaces_only_the_fields_given(api: Biuwer, clock: ManualClock) -> None:
    before = await api.ok("GET", "/users/3")
    clock.advance(60)

    after = await api.ok("PUT", "/users/3", {"surname": "Lorenzo", "type": "admin", "unknown": "ignored"})

    assert after == {
        **before,
        "surname": "Lorenzo",
        "type": "admin",
        "updated_at": "2023-11-14T22:14:20.000Z",
    }
    assert await api.ok("GET", "/users/3") == after
    assert await api.call("PUT", "/users/3", {"type": "owner"}) == (
        400,
        error("validation_error", "`type` must be one of basic, admin"),
    )


async def test_delete_answers_204_and_the_user_is_gone(api: Biuwer) -> None:
    assert await api.call("DELETE", "/users/4") == (204, None)

    assert await api.call("GET", "/users/4") == (404, error("not_found", "User not found"))
    assert [user["id"] for user in (await api.ok("GET", "/users"))["data"]] == ["1", "2", "3", "5"]


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PUT", {"name": "X"}), ("DELETE", None)])
async def test_unknown_users_are_not_found(api: Biuwer, method: str, body: object) -> None:
    assert await api.call(method, "/users/99", body) == (404, error("not_found", "User not found"))


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_every_route_needs_the_api_token(
    session: aiohttp.ClientSession, biuwer: BiuwerEmulator, method: str, path: str
) -> None:
    async with session.request(method, biuwer.base_url + path) as response:
        assert response.status == 401
        assert await response.json() == error("token_missing", "Authentication required")
    assert sum(biuwer.counts.values()) == 1


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz"])
async def test_no_bearer_is_token_missing(session: aiohttp.ClientSession, biuwer: BiuwerEmulator, header: str) -> None:
    async with session.get(f"{biuwer.base_url}/users", headers={"Authorization": header}) as response:
        assert response.status == 401
        assert await response.json() == error("token_missing", "Authentication required")


async def test_an_unknown_token_is_invalid(api: Biuwer) -> None:
    assert await api.call("GET", "/users", token="not-a-token") == (401, error("token_invalid", "Invalid token"))
    other = emulator("biuwer").api_token
    assert await api.call("GET", "/users", token=other) == (401, error("token_invalid", "Invalid token"))


async def test_an_api_token_expires_by_the_emulators_clock(api: Biuwer, clock: ManualClock) -> None:
    short = api.emu.issue_api_token(expires_in=60)
    assert (await api.call("GET", "/users", token=short))[0] == 200

    clock.advance(59.9)
    assert (await api.call("GET", "/users", token=short))[0] == 200
    clock.advance(0.1)
    assert await api.call("GET", "/users", token=short) == (401, error("token_expired", "Token expired"))
    # The default credential never expires.
    clock.advance(10 * 365 * 24 * 3600)
    assert (await api.call("GET", "/users"))[0] == 200


async def test_api_token_lifetime_is_an_option(session: aiohttp.ClientSession, clock: ManualClock) -> None:
    emu = emulator("biuwer", clock=clock, api_token_seconds=3600)
    async with emu:
        api = Biuwer(session, emu)
        assert (await api.call("GET", "/users"))[0] == 200
        clock.advance(3600)
        assert await api.call("GET", "/users") == (401, error("token_expired", "Token expired"))


async def test_a_revoked_api_token_is_forbidden(api: Biuwer) -> None:
    other = api.emu.issue_api_token(expires_in=None)
    api.emu.revoke_api_token()

    assert await api.call("GET", "/users") == (403, error("token_revoked", "Token revoked"))
    assert (await api.call("GET", "/users", token=other))[0] == 200
    api.emu.revoke_api_token(other)
    assert await api.call("GET", "/users", token=other) == (403, error("token_revoked", "Token revoked"))


def test_revoking_what_the_emulator_did_not_issue_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        emulator("biuwer").revoke_api_token("not-a-token")


async def test_a_users_embed_token_may_not_manage_the_account(api: Biuwer) -> None:
    minted = await api.ok("POST", "/users/2/auth-tokens", {"from": "2023-11-14T00:00:00Z"}, status=201)

    assert await api.call("GET", "/users", token=minted["token"]) == (403, error("forbidden", "Forbidden"))


async def test_credentials_name_the_api_token(biuwer: BiuwerEmulator) -> None:
    assert biuwer.credentials() == {"api_token": biuwer.api_token}


async def test_biuwer_from_the_shell(session: aiohttp.ClientSession) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tessera.testing",
        "biuwer",
        "--port",
        str(port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = await read_banner(process.stdout)
        assert banner["url"] == f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {banner['api_token']}"}
        async with session.get(f"{banner['url']}/users", headers=headers) as response:
            assert response.status == 200
            assert (await response.json())["total"] == 5
    finally:
        if process.returncode is None:
            process.terminate()
        _, stderr = await asyncio.wait_for(process.communicate(), STARTUP_SECONDS)

    assert process.returncode == 0, stderr.decode()
