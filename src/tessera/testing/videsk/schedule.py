"""Videsk's calendar bookings: appointments with a service or an agent, and the tokens that manage them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Final, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import attrs
from aiohttp import web

from .._clock import TimeFunction, js_timestamp
from .._errors import ErrorReply
from .._feathers import feathers_error
from .._json import JsonObject
from .auth import BEARER, Bearer, Grant, VideskKeys
from .catalog import SLOT, Catalog, available_hours, object_id
from .fields import checked_answers, instant, json_body, zone
from .forms import BASE_FORM, EMAIL_FIELD

BOOKING_PAGE: Final = "https://example.com/agenda"
"""The account's booking page, where Videsk's join, reschedule and cancel links point."""
MAX_CANCEL_REASON: Final = 1000
_SCHEDULED: Final = "Your appointment was successfully scheduled."


@attrs.define
class Appointment:
    id: str
    service: JsonObject
    user: JsonObject
    """The agent."""
    start: datetime
    timezone: str
    email: str | None
    referrer: str | None
    access_token: str
    action_token: str
    created_at: float
    status: str = "pending"
    """pending, or canceled."""
    cancel_reason: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + SLOT

    def booked(self) -> JsonObject:
        """The appointment as booking and rescheduling answer it, with its tokens and their links."""
        body: JsonObject = {
            "service": self.service["title"],
            "startAt": js_timestamp(self.start.timestamp()),
            "endAt": js_timestamp(self.end.timestamp()),
            "duration": SLOT // timedelta(minutes=1),
            "timezone": self.timezone,
            "joinURL": _link("join", self.access_token),
            "rescheduleURL": _link("modify", self.action_token),
            "cancelURL": _link("modify", self.action_token),
            "accessToken": self.access_token,
            "actionToken": self.action_token,
            "message": _SCHEDULED,
        }
        return body if self.email is None else {"email": self.email, **body}

    def info(self) -> JsonObject:
        """The appointment as /schedule/info shows it (Videsk's docs): no tokens, the service and agent as objects."""
        booked = self.booked()
        service = {name: self.service[name] for name in ("id", "title", "description")}
        return {
            "id": self.id,
            "service": service,
            "user": self.user,
            "startAt": booked["startAt"],
            "endAt": booked["endAt"],
            "status": self.status,
        }


class Schedule:
    """The handlers of /schedule/...; `appointments` holds every booking by id, canceled ones included.

    A slot is one of the half hours the hours endpoints list, in the booking's time zone, still ahead on the
    emulator's clock. A service takes one booking per slot, and so does an agent.
    """

    def __init__(self, catalog: Catalog, keys: VideskKeys, clock: TimeFunction) -> None:
        self._catalog = catalog
        self._keys = keys
        self._clock = clock
        self.appointments: dict[str, Appointment] = {}

    def taken(self, record_id: str, *, ignoring: Appointment | None = None) -> set[str]:
        """The starts booked with a service or an agent, as the hours endpoints print them."""
        return {
            js_timestamp(a.start.timestamp())
            for a in self._pending(ignoring)
            if record_id in (a.service["id"], a.user["_id"])
        }

    async def schedule_service(self, request: web.Request) -> web.Response:
        """POST /schedule/service/{id}: the service's first agent free at startAt takes it."""
        service = self._record(self._catalog.services, request.match_info["id"])
        body = await json_body(request)
        start, timezone = instant(body, "startAt"), zone(body)
        answers = _answers(body)
        agents = cast(list[JsonObject], service["users"])
        if not agents:
            raise feathers_error(406, "There are no agents available.")
        self._check_open(start, timezone, str(service["id"]))
        free = [agent for agent in agents if js_timestamp(start.timestamp()) not in self.taken(str(agent["_id"]))]
        if not free:
            raise _unavailable(start)
        return self._book(service, free[0], start, timezone=timezone, answers=answers, referrer=body.get("referrer"))

    async def schedule_user(self, request: web.Request) -> web.Response:
        """POST /schedule/user/{id} {service, ...}: the agent must serve that service."""
        user = self._record(self._catalog.users, request.match_info["id"])
        body = await json_body(request)
        service = self._catalog.services.get(str(body.get("service")))
        if service is None or user not in cast(list[JsonObject], service["users"]):
            raise feathers_error(400, "A valid service id is required")
        start, timezone = instant(body, "startAt"), zone(body)
        answers = _answers(body)
        self._check_open(start, timezone, str(service["id"]), str(user["_id"]))
        return self._book(service, user, start, timezone=timezone, answers=answers, referrer=body.get("referrer"))

    async def cancel_appointment(self, request: web.Request) -> web.Response:
        """POST /schedule/cancel {cancelReason?} with the actionToken, before the appointment starts.

        Answered 201, as Videsk documents it (a feathers create); the spec says 200.
        """
        appointment = self._held(request[BEARER])
        body = await json_body(request)
        reason = _cancel_reason(body.get("cancelReason"))
        appointment.status, appointment.cancel_reason = "canceled", reason
        message = {"service": appointment.service["title"], "message": "The appointment was successfully canceled"}
        return web.json_response(message, status=201)

    async def reschedule_appointment(self, request: web.Request) -> web.Response:
        """POST /schedule/reschedule {date} with the actionToken; the old tokens stop working. 201, as cancel."""
        appointment = self._held(request[BEARER])
        body = await json_body(request)
        start = instant(body, "date")
        booked_with = (str(appointment.service["id"]), str(appointment.user["_id"]))
        self._check_open(start, ZoneInfo(appointment.timezone), *booked_with, ignoring=appointment)
        appointment.start = start.astimezone(UTC)
        appointment.access_token, appointment.action_token = self._tokens(appointment.id)
        return web.json_response(appointment.booked(), status=201)

    async def get_appointment_info(self, request: web.Request) -> web.Response:
        """GET /schedule/info with the accessToken, until the appointment ends."""
        return web.json_response(self._held(request[BEARER]).info())

    def report_rows(self) -> list[JsonObject]:
        """The appointments as the appointments export lists them."""
        return [
            {
                "id": a.id,
                "service": a.service["title"],
                "agent": f"{a.user['firstname']} {a.user['lastname']}",
                "startTime": a.start.timestamp(),
                "endTime": a.end.timestamp(),
                "duration": SLOT // timedelta(minutes=1),
                "canceled": a.status == "canceled",
                "canceledReason": a.cancel_reason,
                "timezone": a.timezone,
                "referrer": a.referrer,
                "createdAt": a.created_at,
            }
            for a in self.appointments.values()
        ]

    def _book(
        self,
        service: JsonObject,
        agent: JsonObject,
        start: datetime,
        *,
        timezone: ZoneInfo,
        answers: list[JsonObject],
        referrer: object,
    ) -> web.Response:
        appointment_id = object_id("appointment", len(self.appointments))
        access_token, action_token = self._tokens(appointment_id)
        email = next((str(a["value"]) for a in answers if a["_id"] == EMAIL_FIELD), None)
        appointment = Appointment(
            id=appointment_id,
            service=service,
            user=agent,
            start=start.astimezone(UTC),
            timezone=str(timezone),
            email=email,
            referrer=referrer if isinstance(referrer, str) else None,
            access_token=access_token,
            action_token=action_token,
            created_at=self._clock(),
        )
        self.appointments[appointment_id] = appointment
        return web.json_response(appointment.booked(), status=201)

    def _tokens(self, appointment_id: str) -> tuple[str, str]:
        return (
            self._keys.issue_appointment_token(appointment_id, Grant.ACCESS),
            self._keys.issue_appointment_token(appointment_id, Grant.ACTION),
        )

    def _check_open(
        self, start: datetime, timezone: ZoneInfo, *record_ids: str, ignoring: Appointment | None = None
    ) -> None:
        """409 unless `start` is a listed half hour, still ahead, and free with the service and agent named."""
        stamp = js_timestamp(start.timestamp())
        local_day = start.astimezone(timezone).date()
        if (
            start.timestamp() <= self._clock()
            or stamp not in available_hours(local_day, timezone)
            or any(stamp in self.taken(record_id, ignoring=ignoring) for record_id in record_ids)
        ):
            raise _unavailable(start)

    def _held(self, bearer: Bearer) -> Appointment:
        """The appointment whose current token `bearer` is, while that token may still act on it.

        Videsk documents one answer for a canceled, rescheduled (an older token), started or ended appointment.
        """
        appointment = self.appointments[bearer.subject]
        current = appointment.access_token if bearer.grant is Grant.ACCESS else appointment.action_token
        # An actionToken acts until the appointment starts; an accessToken shows it until it ends.
        until = appointment.end if bearer.grant is Grant.ACCESS else appointment.start
        if appointment.status != "pending" or bearer.token != current or self._clock() >= until.timestamp():
            raise feathers_error(401, "The token is not valid any more.")
        return appointment

    def _pending(self, ignoring: Appointment | None) -> list[Appointment]:
        return [a for a in self.appointments.values() if a.status == "pending" and a is not ignoring]

    @staticmethod
    def _record(records: dict[str, JsonObject], record_id: str) -> JsonObject:
        if record_id not in records:
            raise feathers_error(404, f"No record found for id '{record_id}'")
        return records[record_id]


def _answers(body: JsonObject) -> list[JsonObject]:
    """The booking's form answers, checked against the base form when sent."""
    return checked_answers(body["form"], BASE_FORM) if "form" in body else []


def _cancel_reason(value: object) -> str | None:
    """The reason as Videsk's mongoose model casts and checks it."""
    if value is None:
        return None
    if isinstance(value, list | dict):
        js_type = "Array" if isinstance(value, list) else "Object"
        message = f'Cast to string failed for value "{json.dumps(value)}" (type {js_type}) at path "cancelReason"'
        raise feathers_error(400, message)
    reason = str(value).lower() if isinstance(value, bool) else str(value)
    if len(reason) > MAX_CANCEL_REASON:
        raise feathers_error(
            400,
            f"Validation failed: cancelReason: Path `cancelReason` (`{reason}`) is longer than the maximum "
            f"allowed length ({MAX_CANCEL_REASON}).",
        )
    return reason


def _unavailable(start: datetime) -> ErrorReply:
    return feathers_error(409, f'Sorry, the hour "{js_timestamp(start.timestamp())}" is unavailable.')


def _link(action: str, token: str) -> str:
    return f"{BOOKING_PAGE}?{urlencode({'v-schedule-action': action, 'v-schedule-auth': token})}"
