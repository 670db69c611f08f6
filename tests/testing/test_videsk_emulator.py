"""The Videsk emulator's key checks, feathers pagination and availability, over real HTTP."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tessera.testing import ManualClock, VideskEmulator, emulator

PUBLIC = "/public/video-contact-center"
SANTIAGO = {"date": "2024-05-20", "timezone": "America/Santiago"}


def not_authenticated(message: str) -> dict[str, Any]:
    return {
        "name": "NotAuthenticated",
        "message": message,
        "code": 401,
        "className": "not-authenticated",
        "errors": {},
    }


async def get(
    session: aiohttp.ClientSession,
    emu: VideskEmulator,
    path: str,
    *,
    key: str | None = None,
    params: dict[str, str] | None = None,
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {emu.api_key if key is None else key}"}
    async with session.get(f"{emu.base_url}{PUBLIC}{path}", headers=headers, params=params) as response:
        return response.status, await response.json()


async def test_base_url_is_the_bare_host(videsk: VideskEmulator) -> None:
    assert videsk.base_url.startswith("http://127.0.0.1:")
    assert videsk.base_url.count("/") == 2


async def test_segments_page_with_feathers_defaults(session: aiohttp.ClientSession, videsk: VideskEmulator) -> None:
    status, body = await get(session, videsk, "/segments")

    assert status == 200
    assert (body["total"], body["limit"], body["skip"], body["cached"]) == (12, 10, 0, False)
    assert len(body["data"]) == 10
    assert set(body["data"][0]) == {"name", "id"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"$limit": "5", "$skip": "10"}, {"limit": 5, "skip": 10, "items": 2}),
        ({"$limit": "500"}, {"limit": 50, "skip": 0, "items": 12}),
        ({"$limit": "-3"}, {"limit": 10, "skip": 0, "items": 10}),
        ({"$limit": "0"}, {"limit": 0, "skip": 0, "items": 0}),
        ({"$skip": "40"}, {"limit": 10, "skip": 40, "items": 0}),
    ],
)
async def test_services_limit_and_skip(
    session: aiohttp.ClientSession, videsk: VideskEmulator, params: dict[str, str], expected: dict[str, int]
) -> None:
    status, body = await get(session, videsk, "/services", params=params)

    assert status == 200
    assert body["total"] == 12
    assert {"limit": body["limit"], "skip": body["skip"], "items": len(body["data"])} == expected


async def test_walking_skip_visits_every_service_once(session: aiohttp.ClientSession, videsk: VideskEmulator) -> None:
    seen: list[str] = []
    total = 1
    while len(seen) < total:
        _, body = await get(session, videsk, "/services", params={"$limit": "5", "$skip": str(len(seen))})
        total = body["total"]
        seen += [service["id"] for service in body["data"]]
    assert len(set(seen)) == 12
    assert videsk.counts[f"GET {PUBLIC}/services"] == 3
    service = body["data"][0]
    assert set(service) == {"users", "title", "description", "automatic", "id"}
    assert set(service["users"][0]) == {"_id", "firstname", "lastname"}


async def test_missing_malformed_and_foreign_keys(
    session: aiohttp.ClientSession, videsk: VideskEmulator, clock: ManualClock
) -> None:
    async with session.get(f"{videsk.base_url}{PUBLIC}/segments") as response:
        assert response.status == 401
        assert await response.json() == not_authenticated("Authorization header with valid JWT is required.")

    assert await get(session, videsk, "/segments", key="garbage") == (401, not_authenticated("jwt malformed"))
    foreign = emulator("videsk", clock=clock).api_key
    assert await get(session, videsk, "/segments", key=foreign) == (
        401,
        not_authenticated("invalid signature"),
    )


async def test_expired_key_says_jwt_expired_with_token_expired_data(
    session: aiohttp.ClientSession, videsk: VideskEmulator, clock: ManualClock
) -> None:
    key = videsk.issue_api_key(expires_in=60)
    assert (await get(session, videsk, "/segments", key=key))[0] == 200

    clock.advance(60)
    status, body = await get(session, videsk, "/segments", key=key)

    assert status == 401
    expired_at = "2023-11-14T22:14:20.000Z"  # ManualClock's start, 1_700_000_000, plus 60 seconds
    data = {"name": "TokenExpiredError", "message": "jwt expired", "expiredAt": expired_at}
    assert body == {**not_authenticated("jwt expired"), "data": data}


async def test_default_key_lives_a_year_and_can_be_issued_without_exp(
    session: aiohttp.ClientSession, videsk: VideskEmulator, clock: ManualClock
) -> None:
    forever = videsk.issue_api_key(expires_in=None)
    clock.advance(365 * 24 * 3600)
    assert (await get(session, videsk, "/segments"))[0] == 401
    assert (await get(session, videsk, "/segments", key=forever))[0] == 200


async def test_revoked_key_is_forbidden(session: aiohttp.ClientSession, videsk: VideskEmulator) -> None:
    other = videsk.issue_api_key(expires_in=3600)
    videsk.revoke_key()

    status, body = await get(session, videsk, "/segments")

    assert status == 403
    assert body == {
        "name": "Forbidden",
        "message": "The integration token it's invalid or was removed.",
        "code": 403,
        "className": "forbidden",
        "errors": {},
    }
    assert (await get(session, videsk, "/segments", key=other))[0] == 200


async def test_hours_are_half_hours_of_the_local_working_day(
    session: aiohttp.ClientSession, videsk: VideskEmulator
) -> None:
    service = next(iter(videsk.catalog.services))
    status, hours = await get(session, videsk, f"/services/{service}/hours", params=SANTIAGO)

    assert status == 200
    # Santiago is UTC-4 in May: 09:00 local is 13:00Z, the last start 17:30 local is 21:30Z.
    assert hours[0] == "2024-05-20T13:00:00.000Z"
    assert hours[-1] == "2024-05-20T21:30:00.000Z"
    assert len(hours) == 18


async def test_dates_are_the_weekdays_of_two_weeks(session: aiohttp.ClientSession, videsk: VideskEmulator) -> None:
    user = next(iter(videsk.catalog.users))
    status, dates = await get(session, videsk, f"/users/{user}/dates", params=SANTIAGO)

    assert status == 200
    assert len(dates) == 10
    assert dates[0] == "2024-05-20T04:00:00.000Z"
    assert "2024-05-25T04:00:00.000Z" not in dates  # a Saturday


async def test_weekend_has_no_hours(session: aiohttp.ClientSession, videsk: VideskEmulator) -> None:
    user = next(iter(videsk.catalog.users))
    saturday = {"date": "2024-05-25", "timezone": "UTC"}
    assert await get(session, videsk, f"/users/{user}/hours", params=saturday) == (200, [])


async def test_a_date_time_names_the_day_in_the_callers_zone(
    session: aiohttp.ClientSession, videsk: VideskEmulator
) -> None:
    user = next(iter(videsk.catalog.users))
    # Monday 03:00Z is still Sunday evening in Santiago, a day without hours.
    sunday_evening = {"date": "2024-05-20T03:00:00.000Z", "timezone": "America/Santiago"}
    assert await get(session, videsk, f"/users/{user}/hours", params=sunday_evening) == (200, [])
    status, hours = await get(session, videsk, f"/users/{user}/hours", params={**sunday_evening, "timezone": "UTC"})
    assert (status, len(hours)) == (200, 18)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"timezone": "UTC"}, "The query parameter 'date' is required."),
        ({"date": "2024-05-20"}, "The query parameter 'timezone' is required."),
        ({"date": "2024-05-20", "timezone": "Mars/Olympus"}, "Invalid timezone 'Mars/Olympus'."),
        ({"date": "yesterday", "timezone": "UTC"}, "Invalid date 'yesterday'."),
    ],
)
async def test_availability_needs_date_and_timezone(
    session: aiohttp.ClientSession, videsk: VideskEmulator, params: dict[str, str], message: str
) -> None:
    service = next(iter(videsk.catalog.services))
    status, body = await get(session, videsk, f"/services/{service}/dates", params=params)

    assert status == 400
    assert body == {
        "name": "BadRequest",
        "message": message,
        "code": 400,
        "className": "bad-request",
        "errors": {},
    }


@pytest.mark.parametrize(
    "path", ["/services/nope/dates", "/services/nope/hours", "/users/nope/dates", "/users/nope/hours"]
)
async def test_unknown_ids_are_not_found(session: aiohttp.ClientSession, videsk: VideskEmulator, path: str) -> None:
    status, body = await get(session, videsk, path, params=SANTIAGO)

    assert status == 404
    assert body == {
        "name": "NotFound",
        "message": "No record found for id 'nope'",
        "code": 404,
        "className": "not-found",
        "errors": {},
    }
