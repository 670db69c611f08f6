"""The Videsk emulator's forms, surveys, QMS, export API, public keys and rate limit, over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from tessera.testing import ManualClock, VideskEmulator, emulator

PUBLIC = "/public/video-contact-center"
EXPORT = {"$sort": {"createdAt": 1}, "start": "2023-11-01T00:00:00Z", "end": "2023-12-01T00:00:00Z", "timezone": "UTC"}


def feathers(name: str, class_name: str, code: int, message: str, **extra: object) -> dict[str, Any]:
    return {"name": name, "message": message, "code": code, "className": class_name, "errors": {}, **extra}


def bad_request(message: str, **extra: object) -> dict[str, Any]:
    return feathers("BadRequest", "bad-request", 400, message, **extra)


class Videsk:
    """Calls to one emulator, with its backend key unless another is given: (status, parsed JSON)."""

    def __init__(self, session: aiohttp.ClientSession, emu: VideskEmulator) -> None:
        self.session = session
        self.emu = emu

    async def call(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        sent = {"Authorization": f"Bearer {self.emu.api_key if key is None else key}"} if headers is None else headers
        async with self.session.request(method, f"{self.emu.base_url}{PUBLIC}{path}", json=body, headers=sent) as r:
            return r.status, await r.json()

    async def export(self, kind: str, body: object = EXPORT) -> tuple[int, Any]:
        return await self.call(
            "POST", f"/reports/exports/{kind}", body, headers={"X-API-Token": f"Bearer {self.emu.export_token}"}
        )

    @property
    def segment(self) -> str:
        return str(self.emu.catalog.segments[0]["id"])

    async def fields(self, version: str = "base") -> dict[str, str]:
        """The field ids of a form, by field name."""
        _, form = await self.call("GET", f"/forms/{self.segment}?version={version}")
        return {field["name"]: field["_id"] for field in form["form"]}


@pytest.fixture
def api(session: aiohttp.ClientSession, videsk: VideskEmulator) -> Videsk:
    return Videsk(session, videsk)


# ---------------------------------------------------------------- forms


async def test_forms_have_base_and_contact_versions_with_the_captcha_for_public_keys(api: Videsk) -> None:
    status, base = await api.call("GET", f"/forms/{api.segment}")
    _, contact = await api.call("GET", f"/forms/{api.segment}?version=contact")
    _, public = await api.call("GET", f"/forms/{api.segment}", key=api.emu.public_key)

    assert status == 200
    assert [field["name"] for field in base["form"]] == ["firstname", "lastname", "email", "phone"]
    assert [field["name"] for field in contact["form"]] == ["firstname", "email", "message"]
    assert base["form"][0]["properties"] == {"required": True, "maxlength": "50"}
    assert (base["siteKey"], base["resource"], base["provider"]) == (None, None, None)
    assert public["provider"] == "turnstile"
    assert public["resource"] == "https://challenges.cloudflare.com/turnstile/v0/api.js"
    assert public["siteKey"]


async def test_form_lookups_are_not_found(api: Videsk) -> None:
    assert await api.call("GET", "/forms/nope") == (
        404,
        feathers("NotFound", "not-found", 404, "Not form found in segment provided."),
    )
    assert (await api.call("GET", f"/forms/{api.segment}?version=exit"))[1][
        "message"
    ] == "The exit version of form not found."


async def test_a_backend_key_submits_a_form_without_captcha(api: Videsk, clock: ManualClock) -> None:
    fields = await api.fields("contact")
    values = [{"_id": fields["firstname"], "value": "Ana"}, {"_id": fields["email"], "value": "ana@x.co"}]

    status, answer = await api.call("POST", "/forms", {"segment": api.segment, "type": "contact", "values": values})

    assert status == 201
    assert answer["message"] == "The form was saved successfully."
    assert answer["success"] is True
    (stored,) = api.emu.forms.submissions
    assert (stored.id, stored.segment, stored.type, stored.values, stored.created_at) == (
        answer["submission"],
        api.segment,
        "contact",
        values,
        clock(),
    )


@pytest.mark.parametrize(
    ("token", "status", "expected"),
    [
        (None, 400, bad_request('Please provide a valid "token", is mandatory.')),
        ("", 400, bad_request('Please provide a valid "token", is mandatory.')),
        (
            "fail",
            422,
            feathers(
                "Unprocessable",
                "unprocessable",
                422,
                "Your submit looks suspicious, not pass the captcha validation.",
                data={"extraData": "invalid-input-response"},
            ),
        ),
    ],
)
async def test_a_public_key_needs_a_passing_captcha(
    api: Videsk, token: str | None, status: int, expected: dict[str, Any]
) -> None:
    fields = await api.fields()
    values = [{"_id": fields["firstname"], "value": "Ana"}, {"_id": fields["email"], "value": "ana@x.co"}]
    body: dict[str, Any] = {"segment": api.segment, "type": "pre-call", "values": values}
    if token is not None:
        body["token"] = token

    assert await api.call("POST", "/forms", body, key=api.emu.public_key) == (status, expected)
    assert api.emu.forms.submissions == []
    assert (await api.call("POST", "/forms", {**body, "token": "XXXX.DUMMY.TOKEN"}, key=api.emu.public_key))[0] == 201


async def test_form_submission_errors(api: Videsk) -> None:
    fields = await api.fields()
    ana = {"_id": fields["firstname"], "value": "Ana"}
    email = {"_id": fields["email"], "value": "ana@x.co"}
    body = {"segment": api.segment, "type": "pre-call", "values": [ana, email]}
    changed = "Maybe the organization has changed the form and you're submit is not valid anymore."

    assert await api.call("POST", "/forms", {**body, "segment": "nope"}) == (
        400,
        bad_request("Please check the segment id provided."),
    )
    assert await api.call("POST", "/forms", {**body, "type": "exit"}) == (
        400,
        bad_request('Provide a valid "type" form submission.'),
    )
    assert await api.call("POST", "/forms", {**body, "values": [ana, {"_id": "x", "value": 1}]}) == (
        400,
        bad_request("Some element not as field, please check or try again", data=changed),
    )
    assert await api.call("POST", "/forms", {**body, "values": [ana]}) == (
        400,
        bad_request(f'The element form "{fields["email"]}" is required.'),
    )
    phone = {"_id": fields["phone"], "value": "9" * 21}
    assert (await api.call("POST", "/forms", {**body, "values": [ana, email, phone]}))[1]["message"] == (
        f'You reach the max characters is 20 for element "{fields["phone"]}".'
    )
    assert api.emu.forms.submissions == []


# ---------------------------------------------------------------- surveys


async def test_surveys_of_segments_and_services(api: Videsk) -> None:
    service = next(iter(api.emu.catalog.services))
    status, survey = await api.call("GET", f"/surveys/{api.segment}?type=segments")
    _, other = await api.call("GET", f"/surveys/{service}?type=services")

    assert status == 200
    assert [question["type"] for question in survey["form"]] == ["nps", "csat", "ces"]
    assert survey["form"][0]["properties"] == {"required": True, "min": 0, "max": 10}
    assert other == survey  # the documented survey carries no id: both targets ask the same questions here
    assert await api.call("GET", f"/surveys/{service}?type=segments") == (
        404,
        feathers("NotFound", "not-found", 404, "We do not cannot find a survey for the segment id provided."),
    )
    assert await api.call("GET", f"/surveys/{service}") == (
        400,
        bad_request('Provide a valid type, allowed are "segments,services".'),
    )


async def test_survey_answers_are_stored_within_their_scales(api: Videsk) -> None:
    _, survey = await api.call("GET", f"/surveys/{api.segment}?type=segments")
    nps, csat, _ = (question["_id"] for question in survey["form"])
    appointment = await booked_appointment(api)
    body = {"appointment": appointment, "values": [{"_id": nps, "value": 9}, {"_id": csat, "value": 4}]}

    too_high = {**body, "values": [{"_id": nps, "value": 11}]}
    assert (await api.call("POST", "/surveys", too_high))[1] == bad_request(
        f'The maximum of value is 10 for element "{nps}".'
    )
    too_low = {**body, "values": [{"_id": nps, "value": 9}, {"_id": csat, "value": 0}]}
    assert (await api.call("POST", "/surveys", too_low))[1] == bad_request(
        f'The minimum of value is 1 for element "{csat}".'
    )
    words = {**body, "values": [{"_id": nps, "value": "nine"}]}
    assert (await api.call("POST", "/surveys", words))[1] == bad_request(
        f'The value of element "{nps}" must be a number.'
    )
    assert (await api.call("POST", "/surveys", {**body, "values": [{"_id": csat, "value": 3}]}))[1] == bad_request(
        f'The element form "{nps}" is required.'
    )
    assert await api.call("POST", "/surveys", body) == (
        201,
        {"message": "The survey was saved successfully.", "success": True},
    )
    assert [(answer.appointment, answer.values) for answer in api.emu.surveys.answers] == [
        (appointment, body["values"])
    ]


async def test_a_survey_answers_one_call_or_appointment_once(api: Videsk) -> None:
    """Videsk's documented refusals: no id, and an id it cannot find or whose survey was answered."""
    _, survey = await api.call("GET", f"/surveys/{api.segment}?type=segments")
    values = [{"_id": survey["form"][0]["_id"], "value": 10}]
    appointment = await booked_appointment(api)
    gone = "The call or appointment not exist or the survey was answered."

    assert (await api.call("POST", "/surveys", {"values": values}))[1] == bad_request(
        "Provide a call or appointment id."
    )
    assert (await api.call("POST", "/surveys", {"appointment": "nope", "values": values}))[1] == bad_request(gone)
    assert (await api.call("POST", "/surveys", {"call": "a-call", "values": values}))[1] == bad_request(gone)
    assert (await api.call("POST", "/surveys", {"appointment": appointment, "values": values}))[0] == 201
    assert (await api.call("POST", "/surveys", {"appointment": appointment, "values": values}))[1] == bad_request(gone)
    assert len(api.emu.surveys.answers) == 1


async def booked_appointment(api: Videsk) -> str:
    """Books a service's appointment and returns its id (the booking answer carries none: Videsk's exports do)."""
    service = next(iter(api.emu.catalog.services))
    status, _ = await api.call(
        "POST", f"/schedule/service/{service}", {"startAt": "2023-11-20T09:00:00.000Z", "timezone": "UTC"}
    )
    assert status == 201
    return list(api.emu.schedule.appointments)[-1]


# ---------------------------------------------------------------- QMS


async def test_branches_and_their_queues(api: Videsk) -> None:
    status, branches = await api.call("GET", "/branches")
    assert status == 200
    assert [set(branch) for branch in branches] == [{"location", "label", "address", "name", "id"}] * 2

    _, queues = await api.call("GET", f"/branches/{branches[0]['id']}/queues")
    segments = api.emu.catalog.segments
    assert [(q["id"], q["name"]) for q in queues] == [(s["id"], s["name"]) for s in segments[:3]]
    assert [q["users"] for q in queues] == [1, 2, 0]
    assert await api.call("GET", f"/branches/{branches[0]['id']}/queues/{queues[1]['id']}") == (200, queues[1])
    assert await api.call("GET", "/branches/nope/queues") == (
        404,
        feathers("NotFound", "not-found", 404, "The branch was not found"),
    )
    assert await api.call("GET", f"/branches/{branches[1]['id']}/queues/{queues[1]['id']}") == (
        404,
        feathers("NotFound", "not-found", 404, "The branch or segment was not found"),
    )


async def test_joining_a_queue_answers_the_ticket_and_the_segments_name(api: Videsk) -> None:
    branch, queue = queue_with(api, agents=1, form_required=False)
    body = {"integrationData": {"customer": "C-1"}, "ticketId": "A-042"}

    status, ticket = await api.call("POST", f"/branches/{branch}/queues/{queue}", body)

    assert status == 201
    assert ticket["segment"] == next(s["name"] for s in api.emu.catalog.segments if s["id"] == queue)
    (stored,) = api.emu.qms.tickets
    assert (stored.id, stored.ticket_id, stored.integration_data) == (ticket["id"], "A-042", {"customer": "C-1"})


async def test_joining_limits(api: Videsk) -> None:
    branch, queue = queue_with(api, agents=1, form_required=False)
    path = f"/branches/{branch}/queues/{queue}"
    # 50 KB of JSON exactly: {"k":"xxx..."} is 8 bytes around the value.
    at_limit = {"integrationData": {"k": "x" * (50 * 1024 - 8)}}
    assert len(json.dumps(at_limit["integrationData"], separators=(",", ":"))) == 50 * 1024

    assert (await api.call("POST", path, at_limit))[0] == 201
    assert await api.call("POST", path, {"integrationData": {"k": "x" * (50 * 1024 - 7)}}) == (
        400,
        bad_request("The integrationData is larger than 50 Kb."),
    )
    assert (await api.call("POST", path, {"ticketId": "T" * 50}))[0] == 201
    for ticket_id in ("T" * 51, "", 42):
        assert await api.call("POST", path, {"ticketId": ticket_id}) == (
            400,
            bad_request('The "ticketId" must be a string of 1 to 50 characters.'),
        )
    assert len(api.emu.qms.tickets) == 2


async def test_a_queue_without_agents_or_needing_a_form(api: Videsk) -> None:
    branch, empty = queue_with(api, agents=0, form_required=False)
    assert await api.call("POST", f"/branches/{branch}/queues/{empty}", {}) == (
        406,
        feathers(
            "NotAcceptable", "not-acceptable", 406, f'Not agent available in the segment "{empty}", please try later.'
        ),
    )
    branch, strict = queue_with(api, agents=1, form_required=True)
    # Videsk's documented body: code 426 and className precondition-require, under a 428 status.
    assert await api.call("POST", f"/branches/{branch}/queues/{strict}", {}) == (
        428,
        {
            "name": "PreconditionRequired",
            "message": "Is mandatory to provide a forms submission id.",
            "code": 426,
            "className": "precondition-require",
            "errors": {},
        },
    )
    fields = await api.fields()
    form = [{"_id": fields["firstname"], "value": "Ana"}, {"_id": fields["email"], "value": "ana@x.co"}]
    assert (await api.call("POST", f"/branches/{branch}/queues/{strict}", {"form": form}))[0] == 201
    assert (await api.call("POST", f"/branches/{branch}/queues/{api.segment}", {}))[1]["message"].startswith(
        "The segment for the branch"
    )


async def test_qms_needs_a_backend_key(api: Videsk) -> None:
    message = f"You don't have access to {PUBLIC}/branches. Please contact to your administrator."
    assert await api.call("GET", "/branches", key=api.emu.public_key) == (
        403,
        feathers("Forbidden", "forbidden", 403, message),
    )
    assert (await api.call("GET", "/segments", key=api.emu.public_key))[0] == 200


def queue_with(api: Videsk, *, agents: int, form_required: bool) -> tuple[str, str]:
    """A branch and one of its queues with that many agents and that form rule."""
    return next(
        (branch.id, queue_id)
        for branch in api.emu.qms.branches.values()
        for queue_id, queue in branch.queues.items()
        if (queue.agents > 0) == (agents > 0) and queue.form_required == form_required
    )


# ---------------------------------------------------------------- exports


async def test_export_lists_what_happened_in_the_range_in_its_zone(api: Videsk, clock: ManualClock) -> None:
    fields = await api.fields("contact")
    values = [{"_id": fields["firstname"], "value": "Ana"}, {"_id": fields["email"], "value": "a@x.co"}]
    for segment in (api.emu.catalog.segments[1]["id"], api.segment):
        await api.call("POST", "/forms", {"segment": segment, "type": "contact", "values": values})
        clock.advance(3600)

    status, report = await api.export("forms", {**EXPORT, "$sort": {"segment": 1}, "timezone": "America/Santiago"})

    assert status == 201
    assert report["$limit"] == 5000
    assert report["columns"] == ["id", "segment", "type", "createdAt"]
    assert [row["segment"] for row in report["data"]] == ["Segmento 1", "Segmento 2"]
    # ManualClock's start, 22:13:20Z, is 19:13:20 in Santiago (UTC-3 in November).
    assert [row["createdAt"] for row in report["data"]] == ["2023-11-14 20:13:20", "2023-11-14 19:13:20"]
    _, newest_first = await api.export("forms", {**EXPORT, "$sort": {"createdAt": -1}, "keys": ["id"]})
    assert newest_first["columns"] == ["id"]
    assert [row["id"] for row in newest_first["data"]] == [s.id for s in reversed(api.emu.forms.submissions)]
    _, outside = await api.export("forms", {**EXPORT, "end": "2023-11-14T22:13:19Z"})
    assert outside["data"] == []


async def test_every_kind_exports_and_appointments_show_cancellations(api: Videsk) -> None:
    service = next(iter(api.emu.catalog.services))
    _, appointment = await api.call(
        "POST", f"/schedule/service/{service}", {"startAt": "2023-11-20T09:00:00.000Z", "timezone": "UTC"}
    )
    await api.call("POST", "/schedule/cancel", {"cancelReason": "Viaje"}, key=appointment["actionToken"])

    for kind in ("calls", "queues", "comments", "tags", "recordings", "forms", "surveys"):
        status, report = await api.export(kind)
        assert (status, report["data"]) == (201, []), kind
    _, report = await api.export("appointments")
    (row,) = report["data"]
    assert (row["canceled"], row["canceledReason"], row["startTime"]) == (True, "Viaje", "2023-11-20 09:00:00")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"$sort": 1}, 'A valid "$sort" is required'),
        ({"$sort": {"createdAt": 2}}, 'A valid "$sort" is required'),
        ({"$sort": {"nope": 1}}, 'A valid "$sort" is required'),
        ({"start": "yesterday"}, 'A valid "start" is required'),
        ({"timezone": "Mars/Olympus"}, 'A valid "timezone" is required'),
        ({"keys": ["id", "nope"]}, 'A valid "keys" is required, among id, segment, type, createdAt'),
    ],
)
async def test_export_body_errors(api: Videsk, change: dict[str, object], message: str) -> None:
    status, body = await api.export("forms", {**EXPORT, **change})
    assert (status, body["message"]) == (400, message)


async def test_export_takes_its_own_token(api: Videsk) -> None:
    path = "/reports/exports/forms"
    assert await api.call("POST", path, EXPORT) == (
        401,
        feathers("NotAuthenticated", "not-authenticated", 401, "Not authenticated"),
    )
    assert (await api.call("POST", path, EXPORT, headers={"X-API-Token": api.emu.export_token}))[0] == 401
    assert await api.call("POST", path, EXPORT, headers={"X-API-Token": "Bearer wrong"}) == (
        403,
        feathers("Forbidden", "forbidden", 403, "The integration token it's invalid or was removed."),
    )
    assert (await api.export("nope"))[0] == 404
    assert api.emu.counts[f"POST {PUBLIC}/reports/exports/{{kind}}"] == 4


# ---------------------------------------------------------------- rate limit


async def test_every_answer_carries_generous_rate_limit_headers_by_default(
    session: aiohttp.ClientSession, videsk: VideskEmulator
) -> None:
    headers = {"Authorization": f"Bearer {videsk.api_key}"}
    for path in ("/segments", "/forms/nope", "/nowhere"):
        async with session.get(f"{videsk.base_url}{PUBLIC}{path}", headers=headers) as response:
            assert response.headers["Ratelimit-Limit"] == "10000", path
            assert response.headers["Ratelimit-Reset"] == "1"
    assert response.headers["Ratelimit-Remaining"] == "9997"


async def test_past_the_limit_requests_are_too_many_until_the_second_passes(
    session: aiohttp.ClientSession, clock: ManualClock
) -> None:
    emu = emulator("videsk", clock=clock, requests_per_second=2)
    async with emu:
        url, headers = f"{emu.base_url}{PUBLIC}/segments", {"Authorization": f"Bearer {emu.api_key}"}
        seen = []
        for _ in range(3):
            async with session.get(url, headers=headers) as response:
                seen.append(
                    (response.status, response.headers["Ratelimit-Remaining"], response.headers.get("Retry-After"))
                )
                refusal = await response.json()
        assert seen == [(200, "1", None), (200, "0", None), (429, "0", "1")]
        assert refusal == feathers(
            "TooManyRequests", "too-many-requests", 429, "Too many requests, please try again later."
        )
        clock.advance(0.5)
        async with session.get(url) as response:  # refused before its missing key is even looked at
            assert (response.status, response.headers["Ratelimit-Reset"]) == (429, "1")
        clock.advance(0.5)
        async with session.get(url, headers=headers) as response:
            assert (response.status, response.headers["Ratelimit-Remaining"]) == (200, "1")
    assert emu.counts[f"GET {PUBLIC}/segments"] == 5
