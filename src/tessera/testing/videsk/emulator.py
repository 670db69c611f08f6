"""The Videsk emulator: feathers.js behaviour under /public/video-contact-center."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Final, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web
from aiohttp.typedefs import Handler

from .._clock import TimeFunction
from .._counting import route_key
from .._feathers import feathers_error, page
from .._json import JsonObject
from .._server import Emulator, Route
from .auth import API_KEYS, BEARER, Grant, VideskKeys, no_access
from .catalog import Catalog, available_dates, available_hours
from .forms import Forms
from .qms import Qms, seeded_branches
from .ratelimit import VideskRateLimit
from .reports import Reports
from .schedule import Schedule
from .surveys import Surveys
from .uploads import Uploads

PUBLIC: Final = "/public/video-contact-center"
_YEAR_SECONDS: Final = 365 * 24 * 3600
_BACKEND: Final = frozenset({Grant.BACKEND})
_ACCESS: Final = frozenset({Grant.ACCESS})
_ACTION: Final = frozenset({Grant.ACTION})
AI_PROJECT_ID: Final = "65f0a1b2c3d4e5f6a7b8c9d0"
"""The account's one AI project, the id of Videsk's upload example."""

Slots: TypeAlias = Callable[[str, date, ZoneInfo], list[str]]
"""The free slots of the service or agent with an id, on a day in a zone."""
Grants: TypeAlias = frozenset[Grant] | None
"""The bearers a route lets in; None for the export route, which takes the X-API-Token instead."""


class VideskEmulator(Emulator):
    """Videsk's public API and its private export, as specs/videsk.yaml describes them.

    Keys are JWTs of two integrations: `api_key` is a backend key, `public_key` a browser key (no QMS, and
    form submissions need a captcha `token`: any non-empty one passes but "fail"). Both are valid for
    `api_key_seconds` (None: no exp); `issue_api_key` makes more, `revoke_key` removes one. Bookings answer
    an accessToken and an actionToken the emulator signs too. `export_token` opens the export API.
    `uploads` grants file uploads for the AI project AI_PROJECT_ID, to backend keys only.
    `requests_per_second` refuses requests past it with feathers' 429 (None, the default, refuses none);
    every answer carries Ratelimit-Limit, Ratelimit-Remaining and Ratelimit-Reset either way.
    """

    vendor = "videsk"

    def __init__(
        self,
        *,
        clock: TimeFunction = time.time,
        port: int = 0,
        api_key_seconds: float | None = _YEAR_SECONDS,
        segments: int = 12,
        services: int = 12,
        requests_per_second: int | None = None,
    ) -> None:
        super().__init__(clock=clock, port=port)
        self.keys = VideskKeys(clock)
        self.api_key = self.keys.issue(api_key_seconds)
        self.public_key = self.keys.issue(api_key_seconds, public=True)
        self.catalog = Catalog.seeded(segments=segments, services=services)
        self.schedule = Schedule(self.catalog, self.keys, clock)
        self.forms = Forms(self.catalog.segments, clock)
        self.surveys = Surveys(
            {"segments": {str(s["id"]) for s in self.catalog.segments}, "services": self.catalog.services.keys()},
            self.schedule.appointments.keys(),
            clock,
        )
        self.qms = Qms(seeded_branches(self.catalog.segments), clock)
        self.reports = Reports(
            {
                "appointments": self.schedule.report_rows,
                "forms": self.forms.report_rows,
                "surveys": self.surveys.report_rows,
                "queues": self.qms.report_rows,
            }
        )
        self.uploads = Uploads(clock, projects=frozenset({AI_PROJECT_ID}))
        self._rate_limit = VideskRateLimit(requests_per_second, clock)
        self._grants = {f"{route.method} {route.path}": grants for route, grants in self._table()}

    @property
    def ai_project_id(self) -> str:
        """The id of the account's AI project, the one upload grants are given for."""
        return AI_PROJECT_ID

    @property
    def export_token(self) -> str:
        """The token of the private export API, sent as `X-API-Token: Bearer <token>`."""
        return self.reports.token

    def issue_api_key(self, *, expires_in: float | None, public: bool = False) -> str:
        """Another key of the backend (or public) integration, e.g. one that expires in a second."""
        return self.keys.issue(expires_in, public=public)

    def revoke_key(self, key: str | None = None) -> None:
        """Remove `key` (by default `api_key`); it gets 403 from now on."""
        self.keys.revoke(self.api_key if key is None else key)

    def dismiss_agents(self, service_id: str) -> None:
        """Leave a service without agents: it lists none, and booking it is NotAcceptable."""
        self.catalog.services[service_id]["users"] = []

    def credentials(self) -> dict[str, str]:
        return {"api_key": self.api_key, "public_key": self.public_key, "export_token": self.export_token}

    def authenticate(self, request: web.Request) -> None:
        """Each route lets in its own bearers (Grant); the export route checks its X-API-Token instead."""
        grants = self._grants[route_key(request, self.base_path)]
        if grants is None:
            self.reports.authenticate(request)
            return
        bearer = self.keys.authenticate(request)
        if bearer.grant not in grants:
            raise no_access(request.path)
        request[BEARER] = bearer

    def routes(self) -> Iterable[Route]:
        return [route for route, _ in self._table()]

    def _application(self) -> web.Application:
        # Innermost, so that its headers reach error answers too before they are sent.
        app = super()._application()
        app.middlewares.append(self._rate_limit.middleware())
        return app

    def _table(self) -> list[tuple[Route, Grants]]:
        services, users, schedule = self.catalog.services, self.catalog.users, self.schedule
        forms, surveys, qms = self.forms, self.surveys, self.qms
        queue = f"{PUBLIC}/branches/{{branchId}}/queues/{{queueId}}"
        hours = _free_hours(schedule.taken)
        return [
            (Route("GET", f"{PUBLIC}/segments", self._list_segments), API_KEYS),
            (Route("GET", f"{PUBLIC}/services", self._list_services), API_KEYS),
            (Route("GET", f"{PUBLIC}/services/{{id}}/dates", _availability(services, _dates)), API_KEYS),
            (Route("GET", f"{PUBLIC}/services/{{id}}/hours", _availability(services, hours)), API_KEYS),
            (Route("GET", f"{PUBLIC}/users/{{id}}/dates", _availability(users, _dates)), API_KEYS),
            (Route("GET", f"{PUBLIC}/users/{{id}}/hours", _availability(users, hours)), API_KEYS),
            (Route("POST", f"{PUBLIC}/schedule/service/{{id}}", schedule.schedule_service), API_KEYS),
            (Route("POST", f"{PUBLIC}/schedule/user/{{id}}", schedule.schedule_user), API_KEYS),
            (Route("POST", f"{PUBLIC}/schedule/cancel", schedule.cancel_appointment), _ACTION),
            (Route("POST", f"{PUBLIC}/schedule/reschedule", schedule.reschedule_appointment), _ACTION),
            (Route("GET", f"{PUBLIC}/schedule/info", schedule.get_appointment_info), _ACCESS),
            (Route("GET", f"{PUBLIC}/forms/{{segmentId}}", forms.get_form), API_KEYS),
            (Route("POST", f"{PUBLIC}/forms", forms.submit_form), API_KEYS),
            (Route("GET", f"{PUBLIC}/surveys/{{id}}", surveys.get_survey), API_KEYS),
            (Route("POST", f"{PUBLIC}/surveys", surveys.submit_survey), API_KEYS),
            (Route("GET", f"{PUBLIC}/branches", qms.list_branches), _BACKEND),
            (Route("GET", f"{PUBLIC}/branches/{{branchId}}/queues", qms.list_queues), _BACKEND),
            (Route("GET", queue, qms.get_queue), _BACKEND),
            (Route("POST", queue, qms.join_queue), _BACKEND),
            (Route("POST", f"{PUBLIC}/reports/exports/{{kind}}", self.reports.export_report), None),
            (Route("POST", f"{PUBLIC}/reports/exports/ai/{{kind}}", self.reports.export_ai_report), None),
            (Route("POST", "/file-uploads/grants", self.uploads.create_upload_grant), _BACKEND),
        ]

    async def _list_segments(self, request: web.Request) -> web.Response:
        return web.json_response({**page(request, self.catalog.segments), "cached": False})

    async def _list_services(self, request: web.Request) -> web.Response:
        return web.json_response(page(request, list(self.catalog.services.values())))


def _availability(records: Mapping[str, JsonObject], slots: Slots) -> Handler:
    """A handler answering `slots` of the record named by {id}, on the query's date and in its zone."""

    async def handler(request: web.Request) -> web.Response:
        record_id = request.match_info["id"]
        if record_id not in records:
            raise feathers_error(404, f"No record found for id '{record_id}'")
        day, zone = _day_and_zone(request)
        return web.json_response(slots(record_id, day, zone))

    return handler


def _dates(record_id: str, day: date, zone: ZoneInfo) -> list[str]:
    return available_dates(day, zone)


def _free_hours(taken: Callable[[str], set[str]]) -> Slots:
    """The opening hours of a service or agent, less the ones booked with it."""

    def hours(record_id: str, day: date, zone: ZoneInfo) -> list[str]:
        booked = taken(record_id)
        return [hour for hour in available_hours(day, zone) if hour not in booked]

    return hours


def _day_and_zone(request: web.Request) -> tuple[date, ZoneInfo]:
    """The required `date` (ISO date or date-time) and `timezone` (IANA name), or feathers' BadRequest."""
    for name in ("date", "timezone"):
        if not request.query.get(name):
            raise feathers_error(400, f"The query parameter '{name}' is required.")
    try:
        zone = ZoneInfo(request.query["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise feathers_error(400, f"Invalid timezone '{request.query['timezone']}'.") from None
    try:
        moment = datetime.fromisoformat(request.query["date"])
    except ValueError:
        raise feathers_error(400, f"Invalid date '{request.query['date']}'.") from None
    # A date-time names a day in the caller's zone; a plain date already is one.
    return (moment.astimezone(zone) if moment.tzinfo else moment).date(), zone
