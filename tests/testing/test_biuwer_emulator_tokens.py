"""The Biuwer emulator's user tokens: minting, validity windows on an injected clock, listing and deleting."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tessera.testing import BiuwerEmulator, ManualClock, emulator
from tests.testing.test_biuwer_emulator import Biuwer, error

NOW = "2023-11-14T22:13:20.000Z"  # ManualClock's start, 1_700_000_000
IN_AN_HOUR = "2023-11-14T23:13:20.000Z"
HOUR = 3600


@pytest.fixture
async def biuwer(clock: ManualClock) -> AsyncIterator[BiuwerEmulator]:
    emu = emulator("biuwer", clock=clock)
    async with emu:
        yield emu


@pytest.fixture
def api(session: aiohttp.ClientSession, biuwer: BiuwerEmulator) -> Biuwer:
    return Biuwer(session, biuwer)


async def mint(api: Biuwer, window: dict[str, Any], user_id: str = "2") -> dict[str, Any]:
    token: dict[str, Any] = await api.ok("POST", f"/users/{user_id}/auth-tokens", window, status=201)
    return token


async def test_a_token_with_a_window(api: Biuwer, clock: ManualClock) -> None:
    clock.advance(5)
    token = await mint(api, {"from": NOW, "to": IN_AN_HOUR})

    assert token == {
        "id": "1",
        "token": token["token"],
        "user_id": "2",
        "from": NOW,
        "to": IN_AN_HOUR,
        "created_at": "2023-11-14T22:13:25.000Z",
    }
    assert str(uuid.UUID(token["token"])) == token["token"]  # UUID-like, not a JWT
    assert api.emu.mints == 1
    assert api.emu.counts["POST /users/{user_id}/auth-tokens"] == 1


async def test_valid_from_from_until_just_before_to(api: Biuwer, clock: ManualClock) -> None:
    token = (await mint(api, {"from": IN_AN_HOUR, "to": "2023-11-15T00:13:20Z"}))["token"]

    assert not api.emu.token_valid(token)  # not yet
    clock.advance(HOUR - 0.001)
    assert not api.emu.token_valid(token)
    clock.advance(0.001)
    assert api.emu.token_valid(token)  # from is included
    clock.advance(HOUR - 0.001)
    assert api.emu.token_valid(token)
    clock.advance(0.001)
    assert not api.emu.token_valid(token)  # to is not


@pytest.mark.parametrize("window", [{"from": NOW}, {"from": NOW, "to": None}])
async def test_no_to_never_expires(api: Biuwer, clock: ManualClock, window: dict[str, Any]) -> None:
    token = await mint(api, window)

    assert token["to"] is None
    clock.advance(50 * 365 * 24 * HOUR)
    assert api.emu.token_valid(token["token"])


@pytest.mark.parametrize(
    ("given", "answered"),
    [
        ("2023-11-14T19:13:20-03:00", NOW),  # an offset is honoured
        ("2023-11-14T22:13:20", NOW),  # no offset: UTC
        ("2023-11-14T22:13:20.123456+00:00", "2023-11-14T22:13:20.123Z"),  # milliseconds are kept, like JS
        ("2023-11-14", "2023-11-14T00:00:00.000Z"),  # a date: its midnight
    ],
)
async def test_from_is_read_as_iso_8601(api: Biuwer, given: str, answered: str) -> None:
    assert (await mint(api, {"from": given}))["from"] == answered


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({}, "`from` is required"),
        ({"from": None, "to": IN_AN_HOUR}, "`from` is required"),
        ({"from": "yesterday"}, "`from` must be an ISO 8601 date-time"),
        ({"from": 1_700_000_000}, "`from` must be an ISO 8601 date-time"),
        ({"from": NOW, "to": "later"}, "`to` must be an ISO 8601 date-time"),
        ({"from": IN_AN_HOUR, "to": NOW}, "`to` must be after `from`"),
        ({"from": NOW, "to": NOW}, "`to` must be after `from`"),
    ],
)
async def test_a_bad_window_is_a_validation_error(api: Biuwer, window: dict[str, Any], message: str) -> None:
    assert await api.call("POST", "/users/2/auth-tokens", window) == (400, error("validation_error", message))
    assert api.emu.mints == 0
    assert await api.ok("GET", "/users/2/auth-tokens") == []


async def test_a_user_holds_several_tokens_at_once(api: Biuwer) -> None:
    first = await mint(api, {"from": NOW})
    second = await mint(api, {"from": NOW, "to": IN_AN_HOUR})
    await mint(api, {"from": NOW}, user_id="3")

    listed = await api.ok("GET", "/users/2/auth-tokens")

    assert listed == [first, second]
    assert api.emu.token_valid(first["token"])
    assert api.emu.token_valid(second["token"])
    assert api.emu.mints == 3


async def test_deleting_a_token_stops_it_at_once(api: Biuwer) -> None:
    kept = await mint(api, {"from": NOW})
    gone = await mint(api, {"from": NOW})

    assert await api.call("DELETE", f"/users/2/auth-tokens/{gone['id']}") == (204, None)

    assert not api.emu.token_valid(gone["token"])
    assert api.emu.token_valid(kept["token"])
    assert await api.ok("GET", "/users/2/auth-tokens") == [kept]
    assert await api.call("DELETE", f"/users/2/auth-tokens/{gone['id']}") == (
        404,
        error("not_found", "Token not found"),
    )


async def test_another_users_token_id_is_not_found(api: Biuwer) -> None:
    token = await mint(api, {"from": NOW})

    assert await api.call("DELETE", f"/users/3/auth-tokens/{token['id']}") == (
        404,
        error("not_found", "Token not found"),
    )
    assert api.emu.token_valid(token["token"])


async def test_deleting_a_user_deletes_their_tokens(api: Biuwer) -> None:
    token = await mint(api, {"from": NOW})

    assert (await api.call("DELETE", "/users/2"))[0] == 204

    assert not api.emu.token_valid(token["token"])
    # Once the user is gone, the token's embed credential is no API credential either: just unknown.
    assert await api.call("GET", "/users", token=token["token"]) == (401, error("token_invalid", "Invalid token"))


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/users/99/auth-tokens"), ("POST", "/users/99/auth-tokens"), ("DELETE", "/users/99/auth-tokens/1")],
)
async def test_tokens_of_an_unknown_user_are_not_found(api: Biuwer, method: str, path: str) -> None:
    assert await api.call(method, path, {"from": NOW} if method == "POST" else None) == (
        404,
        error("not_found", "User not found"),
    )
    assert api.emu.mints == 0


def test_made_up_and_api_tokens_are_not_valid_user_tokens() -> None:
    emu = emulator("biuwer")
    assert not emu.token_valid(str(uuid.uuid4()))
    assert not emu.token_valid(emu.api_token)
