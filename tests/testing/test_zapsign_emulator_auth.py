"""The ZapSign emulator's login, refresh, rotation and bearer checks, over real HTTP."""

from __future__ import annotations

from typing import Any

import aiohttp
import jwt
import pytest

from tessera.testing import ManualClock, ZapSignEmulator, emulator

CREDENTIALS = {"username": "dev@ejemplo.com", "password": "StrongPassword123"}
TOKEN_NOT_VALID = {"detail": "Token is invalid or expired", "code": "token_not_valid"}


def access_refused(message: str) -> dict[str, Any]:
    return {
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [{"token_class": "AccessToken", "token_type": "access", "message": message}],
    }


def claims(token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return decoded


async def login(session: aiohttp.ClientSession, emu: ZapSignEmulator) -> dict[str, str]:
    async with session.post(f"{emu.base_url}/auth/token/123/", json=CREDENTIALS) as response:
        assert response.status == 200
        tokens: dict[str, str] = await response.json()
        return tokens


async def refresh(session: aiohttp.ClientSession, emu: ZapSignEmulator, token: str) -> aiohttp.ClientResponse:
    async with session.post(f"{emu.base_url}/auth/token-refresh/", json={"refresh": token}) as response:
        await response.read()
        return response


async def list_docs(session: aiohttp.ClientSession, emu: ZapSignEmulator, bearer: str | None) -> Any:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer is not None else {}
    async with session.get(f"{emu.base_url}/docs/", headers=headers) as response:
        return response.status, await response.json()


async def test_login_issues_simplejwt_pair(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator, clock: ManualClock
) -> None:
    tokens = await login(session, zapsign)

    assert set(tokens) == {"refresh", "access"}
    access, refresh_token = claims(tokens["access"]), claims(tokens["refresh"])
    assert access["token_type"] == "access"
    assert refresh_token["token_type"] == "refresh"
    assert access["iat"] == int(clock.now())
    assert access["exp"] - access["iat"] == 3600
    assert {"jti", "user_id"} <= access.keys()
    assert access["jti"] != refresh_token["jti"]
    assert zapsign.logins == 1


async def test_login_lifetimes_follow_the_options(session: aiohttp.ClientSession, clock: ManualClock) -> None:
    emu = emulator("zapsign", clock=clock, access_seconds=60, refresh_seconds=600)
    async with emu:
        tokens = await login(session, emu)
    assert claims(tokens["access"])["exp"] == int(clock.now()) + 60
    assert claims(tokens["refresh"])["exp"] == int(clock.now()) + 600


@pytest.mark.parametrize(
    ("organization_id", "body"),
    [
        ("123", {**CREDENTIALS, "password": "wrong"}),
        ("123", {**CREDENTIALS, "username": "other@ejemplo.com"}),
        ("999", CREDENTIALS),
    ],
)
async def test_login_refuses_wrong_credentials(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator, organization_id: str, body: dict[str, str]
) -> None:
    async with session.post(f"{zapsign.base_url}/auth/token/{organization_id}/", json=body) as response:
        assert response.status == 401
        assert await response.json() == {"detail": "No active account found with the given credentials"}
    assert zapsign.logins == 0


async def test_login_without_password_is_a_field_error(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator
) -> None:
    async with session.post(f"{zapsign.base_url}/auth/token/123/", json={"username": "x"}) as response:
        assert response.status == 400
        assert await response.json() == {"password": ["This field is required."]}


async def test_login_throttle_answers_rate_limit_until_a_minute_passes(
    session: aiohttp.ClientSession, clock: ManualClock
) -> None:
    emu = emulator("zapsign", clock=clock, login_limit_per_minute=2)
    async with emu:
        await login(session, emu)
        await login(session, emu)
        async with session.post(f"{emu.base_url}/auth/token/123/", json=CREDENTIALS) as response:
            assert response.status == 400
            assert await response.json() == {"message": "Rate limit exceeded"}
        clock.advance(60)
        await login(session, emu)
    assert emu.logins == 3
    assert emu.counts["POST /auth/token/{organization_id}/"] == 4


async def test_refresh_rotates_and_blacklists_the_used_token(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator
) -> None:
    first = await login(session, zapsign)

    response = await refresh(session, zapsign, first["refresh"])
    assert response.status == 200
    rotated = await response.json()
    assert set(rotated) == {"access", "refresh"}
    assert claims(rotated["access"])["token_type"] == "access"
    assert rotated["refresh"] != first["refresh"]

    reused = await refresh(session, zapsign, first["refresh"])
    assert reused.status == 401
    assert await reused.json() == TOKEN_NOT_VALID

    again = await refresh(session, zapsign, rotated["refresh"])
    assert again.status == 200
    assert zapsign.refreshes == 2


async def test_refresh_without_rotation_keeps_the_refresh_token(
    session: aiohttp.ClientSession, clock: ManualClock
) -> None:
    emu = emulator("zapsign", clock=clock, rotate_refresh_tokens=False)
    async with emu:
        tokens = await login(session, emu)
        for _ in range(2):
            response = await refresh(session, emu, tokens["refresh"])
            assert response.status == 200
            assert set(await response.json()) == {"access"}
    assert emu.refreshes == 2


async def test_refresh_refuses_expired_malformed_and_access_tokens(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator, clock: ManualClock
) -> None:
    tokens = await login(session, zapsign)
    for bad in ("not-a-jwt", tokens["access"]):
        response = await refresh(session, zapsign, bad)
        assert response.status == 401
        assert await response.json() == TOKEN_NOT_VALID

    clock.advance(3600)
    expired = await refresh(session, zapsign, tokens["refresh"])
    assert expired.status == 401
    assert await expired.json() == TOKEN_NOT_VALID
    assert zapsign.refreshes == 0


async def test_refresh_one_second_before_expiry_still_works(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator, clock: ManualClock
) -> None:
    tokens = await login(session, zapsign)
    clock.advance(3599)
    response = await refresh(session, zapsign, tokens["refresh"])
    assert response.status == 200


async def test_access_token_opens_routes_until_it_expires(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator, clock: ManualClock
) -> None:
    access = (await login(session, zapsign))["access"]
    status, _ = await list_docs(session, zapsign, access)
    assert status == 200

    clock.advance(3600)
    status, body = await list_docs(session, zapsign, access)
    assert status == 401
    assert body == access_refused("Token is expired")


async def test_missing_bearer_is_not_provided(session: aiohttp.ClientSession, zapsign: ZapSignEmulator) -> None:
    async with session.get(f"{zapsign.base_url}/docs/") as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
        assert await response.json() == {"detail": "Authentication credentials were not provided."}


async def test_malformed_foreign_and_refresh_tokens_are_refused(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator, clock: ManualClock
) -> None:
    other = emulator("zapsign", clock=clock)
    async with other:
        foreign = (await login(session, other))["access"]
    refresh_token = (await login(session, zapsign))["refresh"]

    assert await list_docs(session, zapsign, "abc.def") == (401, access_refused("Token is invalid"))
    assert await list_docs(session, zapsign, foreign) == (401, access_refused("Token is invalid"))
    assert await list_docs(session, zapsign, refresh_token) == (401, access_refused("Token has wrong type"))


async def test_api_token_works_as_bearer_and_as_query_parameter(
    session: aiohttp.ClientSession, zapsign: ZapSignEmulator
) -> None:
    status, _ = await list_docs(session, zapsign, zapsign.api_token)
    assert status == 200
    async with session.get(f"{zapsign.base_url}/docs/", params={"api_token": zapsign.api_token}) as response:
        assert response.status == 200
    assert zapsign.logins == 0


async def test_counts_include_refused_requests(session: aiohttp.ClientSession, zapsign: ZapSignEmulator) -> None:
    await list_docs(session, zapsign, None)
    await list_docs(session, zapsign, "garbage")
    await list_docs(session, zapsign, zapsign.api_token)
    async with session.get(f"{zapsign.base_url}/docs/some-token/", headers={"Authorization": "x"}):
        pass

    assert zapsign.counts == {"GET /docs/": 3, "GET /docs/{doc_token}/": 1}
