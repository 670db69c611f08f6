"""The Videsk emulator's bookings: appointments, their tokens, cancelling, rescheduling and slots taken."""

from __future__ import annotations

from typing import Any, cast

import aiohttp
import pytest

from tessera.testing import ManualClock, VideskEmulator

PUBLIC = "/public/video-contact-center"
# ManualClock starts on Tuesday 2023-11-14 22:13:20Z; the next Monday's first half hour, in UTC.
MONDAY_9 = "2023-11-20T09:00:00.000Z"
MONDAY_930 = "2023-11-20T09:30:00.000Z"
MONDAY_9_EPOCH = 1_700_470_800


def feathers(name: str, class_name: str, code: int, message: str, **extra: object) -> dict[str, Any]:
    return {"name": name, "message": message, "code": code, "className": class_name, "errors": {}, **extra}


class Videsk:
    """Calls to one emulator, with its backend key unless another bearer is given: (status, parsed JSON)."""

    def __init__(self, session: aiohttp.ClientSession, emu: VideskEmulator) -> None:
        self.session = session
        self.emu = emu

    async def call(self, method: str, path: str, body: object = None, *, bearer: str | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.emu.api_key if bearer is None else bearer}"}
        async with self.session.request(method, f"{self.emu.base_url}{PUBLIC}{path}", json=body, headers=headers) as r:
            return r.status, await r.json()

    async def book(self, start: str = MONDAY_9, **fields: object) -> dict[str, Any]:
        status, appointment = await self.call(
            "POST", f"/schedule/service/{self.service}", {"startAt": start, "timezone": "UTC", **fields}
        )
        assert status == 201, appointment
        return dict(appointment)

    async def field(self, name: str) -> str:
        """The id of a field of the base form, the one bookings answer, as GET /forms shows it."""
        _, form = await self.call("GET", f"/forms/{self.emu.catalog.segments[0]['id']}?version=base")
        return str(next(field["_id"] for field in form["form"] if field["name"] == name))

    @property
    def service(self) -> str:
        return next(iter(self.emu.catalog.services))

    @property
    def agents(self) -> list[dict[str, Any]]:
        """The agents of `service`."""
        return cast(list[dict[str, Any]], self.emu.catalog.services[self.service]["users"])


@pytest.fixture
def api(session: aiohttp.ClientSession, videsk: VideskEmulator) -> Videsk:
    return Videsk(session, videsk)


async def test_booking_a_service_answers_the_appointment_with_its_tokens(api: Videsk) -> None:
    email = {"_id": await api.field("email"), "value": "ana@example.com"}
    name = {"_id": await api.field("firstname"), "value": "Ana"}
    appointment = await api.book(form=[name, email], referrer="campaign-7")

    service = api.emu.catalog.services[api.service]
    assert appointment["email"] == "ana@example.com"
    assert appointment["service"] == service["title"]
    assert (appointment["startAt"], appointment["endAt"]) == (MONDAY_9, "2023-11-20T09:30:00.000Z")
    assert (appointment["duration"], appointment["timezone"]) == (30, "UTC")
    assert appointment["message"] == "Your appointment was successfully scheduled."
    assert appointment["joinURL"].endswith(f"v-schedule-action=join&v-schedule-auth={appointment['accessToken']}")
    assert appointment["cancelURL"].endswith(f"v-schedule-action=modify&v-schedule-auth={appointment['actionToken']}")
    stored = next(iter(api.emu.schedule.appointments.values()))
    assert (stored.user, stored.referrer) == (api.agents[0], "campaign-7")
    assert api.emu.counts[f"POST {PUBLIC}/schedule/service/{{id}}"] == 1


async def test_a_taken_slot_is_a_conflict_and_leaves_the_hours(api: Videsk) -> None:
    await api.book()
    status, body = await api.call("POST", f"/schedule/service/{api.service}", {"startAt": MONDAY_9, "timezone": "UTC"})

    assert (status, body) == (
        409,
        feathers("Conflict", "conflict", 409, f'Sorry, the hour "{MONDAY_9}" is unavailable.'),
    )
    _, hours = await api.call("GET", f"/services/{api.service}/hours?date=2023-11-20&timezone=UTC")
    assert hours[0] == MONDAY_930
    agent = api.agents[0]["_id"]
    _, agent_hours = await api.call("GET", f"/users/{agent}/hours?date=2023-11-20&timezone=UTC")
    assert MONDAY_9 not in agent_hours


@pytest.mark.parametrize(
    "start",
    [
        "2023-11-20T08:30:00.000Z",  # before opening
        "2023-11-20T09:10:00.000Z",  # not a half hour
        "2023-11-18T10:00:00.000Z",  # a Saturday
        "2023-11-14T09:00:00.000Z",  # earlier today, on the emulator's clock
    ],
)
async def test_a_start_that_is_not_a_free_slot_is_a_conflict(api: Videsk, start: str) -> None:
    status, body = await api.call("POST", f"/schedule/service/{api.service}", {"startAt": start, "timezone": "UTC"})
    assert (status, body["name"]) == (409, "Conflict")


async def test_booking_an_agent_needs_a_service_of_theirs(api: Videsk) -> None:
    agent = api.agents[1]["_id"]
    body = {"startAt": MONDAY_9, "timezone": "UTC", "service": api.service}

    status, appointment = await api.call("POST", f"/schedule/user/{agent}", body)
    assert (status, appointment["startAt"]) == (201, MONDAY_9)
    assert next(iter(api.emu.schedule.appointments.values())).user["_id"] == agent

    stranger = next(u for u in api.emu.catalog.users if u not in {user["_id"] for user in api.agents})
    assert await api.call("POST", f"/schedule/user/{stranger}", body) == (
        400,
        feathers("BadRequest", "bad-request", 400, "A valid service id is required"),
    )
    assert (await api.call("POST", "/schedule/user/nope", body))[0] == 404
    assert (await api.call("POST", f"/schedule/user/{agent}", body))[0] == 409


async def test_a_service_without_agents_is_not_acceptable(api: Videsk) -> None:
    api.emu.dismiss_agents(api.service)
    status, body = await api.call("POST", f"/schedule/service/{api.service}", {"startAt": MONDAY_9, "timezone": "UTC"})
    assert (status, body) == (406, feathers("NotAcceptable", "not-acceptable", 406, "There are no agents available."))


@pytest.mark.parametrize(
    ("body", "message", "data"),
    [
        ({"timezone": "UTC"}, 'A valid "startAt" is required', "startAt"),
        ({"startAt": "monday", "timezone": "UTC"}, 'A valid "startAt" is required', "startAt"),
        ({"startAt": "2023-11-20T09:00:00", "timezone": "UTC"}, 'A valid "startAt" is required', "startAt"),
        ({"startAt": MONDAY_9, "timezone": "Mars/Olympus"}, 'A valid "timezone" is required', "timezone"),
        ({"startAt": MONDAY_9}, 'A valid "timezone" is required', "timezone"),
    ],
)
async def test_booking_needs_a_start_and_a_zone(api: Videsk, body: dict[str, Any], message: str, data: str) -> None:
    status, answer = await api.call("POST", f"/schedule/service/{api.service}", body)
    assert (status, answer) == (400, feathers("BadRequest", "bad-request", 400, message, data=data))


async def test_booking_form_answers_are_checked(api: Videsk) -> None:
    long_name = {"_id": await api.field("firstname"), "value": "x" * 51}
    status, body = await api.call(
        "POST", f"/schedule/service/{api.service}", {"startAt": MONDAY_9, "timezone": "UTC", "form": [long_name]}
    )
    assert (status, body["message"]) == (400, f'You reach the max characters is 50 for element "{long_name["_id"]}".')
    status, body = await api.call(
        "POST", f"/schedule/service/{api.service}", {"startAt": MONDAY_9, "timezone": "UTC", "form": [{"_id": "x"}]}
    )
    assert (status, body["message"]) == (400, "Some element not as field, please check or try again")
    assert api.emu.schedule.appointments == {}


async def test_info_shows_the_appointment_to_its_access_token_only(api: Videsk) -> None:
    appointment = await api.book()

    status, info = await api.call("GET", "/schedule/info", bearer=appointment["accessToken"])

    assert status == 200
    assert (info["startAt"], info["endAt"], info["status"]) == (MONDAY_9, "2023-11-20T09:30:00.000Z", "pending")
    assert info["user"] == api.agents[0]
    assert not {"accessToken", "actionToken", "joinURL", "cancelURL"} & set(info)
    forbidden = f"You don't have access to {PUBLIC}/schedule/info. Please contact to your administrator."
    for bearer in (appointment["actionToken"], api.emu.api_key):
        assert await api.call("GET", "/schedule/info", bearer=bearer) == (
            403,
            feathers("Forbidden", "forbidden", 403, forbidden),
        )
    assert (await api.call("GET", "/segments", bearer=appointment["accessToken"]))[0] == 403


async def test_cancel_frees_the_slot_and_spends_the_tokens(api: Videsk) -> None:
    appointment = await api.book()
    action = appointment["actionToken"]

    status, body = await api.call("POST", "/schedule/cancel", {"cancelReason": "No puedo."}, bearer=action)

    assert (status, body) == (
        201,
        {"service": appointment["service"], "message": "The appointment was successfully canceled"},
    )
    stored = next(iter(api.emu.schedule.appointments.values()))
    assert (stored.status, stored.cancel_reason) == ("canceled", "No puedo.")
    spent = feathers("NotAuthenticated", "not-authenticated", 401, "The token is not valid any more.")
    assert await api.call("POST", "/schedule/cancel", {}, bearer=action) == (401, spent)
    assert await api.call("GET", "/schedule/info", bearer=appointment["accessToken"]) == (401, spent)
    assert (await api.book())["startAt"] == MONDAY_9


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (["a"], 'Cast to string failed for value "["a"]" (type Array) at path "cancelReason"'),
        (
            "x" * 1001,
            f"Validation failed: cancelReason: Path `cancelReason` (`{'x' * 1001}`) is longer than the maximum "
            "allowed length (1000).",
        ),
    ],
)
async def test_cancel_reason_is_a_string_of_at_most_1000(api: Videsk, reason: object, message: str) -> None:
    appointment = await api.book()
    status, body = await api.call(
        "POST", "/schedule/cancel", {"cancelReason": reason}, bearer=appointment["actionToken"]
    )
    assert (status, body["message"]) == (400, message)
    assert next(iter(api.emu.schedule.appointments.values())).status == "pending"


async def test_reschedule_moves_the_appointment_and_renews_its_tokens(api: Videsk) -> None:
    first = await api.book()

    status, moved = await api.call("POST", "/schedule/reschedule", {"date": MONDAY_930}, bearer=first["actionToken"])

    assert status == 201
    assert (moved["startAt"], moved["endAt"]) == (MONDAY_930, "2023-11-20T10:00:00.000Z")
    assert moved["actionToken"] != first["actionToken"]
    assert (await api.call("GET", "/schedule/info", bearer=first["accessToken"]))[0] == 401
    assert (await api.call("GET", "/schedule/info", bearer=moved["accessToken"]))[1]["startAt"] == MONDAY_930
    assert (await api.call("POST", "/schedule/reschedule", {"date": MONDAY_9}, bearer=first["actionToken"]))[0] == 401
    assert (await api.book())["startAt"] == MONDAY_9  # its old slot is free again


async def test_reschedule_to_a_taken_or_bad_date(api: Videsk) -> None:
    first, second = await api.book(), await api.book(MONDAY_930)
    action = second["actionToken"]

    assert (await api.call("POST", "/schedule/reschedule", {"date": MONDAY_9}, bearer=action))[0] == 409
    assert (await api.call("POST", "/schedule/reschedule", {"date": MONDAY_930}, bearer=action))[0] == 201  # its own
    assert await api.call("POST", "/schedule/reschedule", {}, bearer=first["actionToken"]) == (
        400,
        feathers("BadRequest", "bad-request", 400, 'A valid "date" is required', data="date"),
    )


async def test_an_action_token_acts_until_the_start_and_info_lasts_until_the_end(
    api: Videsk, clock: ManualClock
) -> None:
    appointment = await api.book()
    clock.advance(MONDAY_9_EPOCH - clock())

    assert (await api.call("POST", "/schedule/cancel", {}, bearer=appointment["actionToken"]))[0] == 401
    assert (await api.call("GET", "/schedule/info", bearer=appointment["accessToken"]))[0] == 200
    clock.advance(30 * 60)
    assert (await api.call("GET", "/schedule/info", bearer=appointment["accessToken"]))[0] == 401


async def test_tokens_of_another_emulator_fail_their_signature(api: Videsk, session: aiohttp.ClientSession) -> None:
    appointment = await api.book()
    async with VideskEmulator() as other_url:
        headers = {"Authorization": f"Bearer {appointment['accessToken']}"}
        async with session.get(f"{other_url}{PUBLIC}/schedule/info", headers=headers) as response:
            assert response.status == 401
            assert (await response.json())["message"] == "invalid signature"
