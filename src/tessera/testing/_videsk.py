"""The Videsk emulator: feathers.js behaviour under /public/video-contact-center."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Final, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web
from aiohttp.typedefs import Handler

from ._clock import Clock
from ._errors import JsonObject
from ._feathers import feathers_error, page
from ._server import Emulator, Route
from ._videsk_auth import VideskKeys
from ._videsk_catalog import Catalog, available_dates, available_hours

PUBLIC: Final = "/public/video-contact-center"
_YEAR_SECONDS: Final = 365 * 24 * 3600

Slots: TypeAlias = Callable[[date, ZoneInfo], list[str]]


class VideskEmulator(Emulator):
    """Videsk's public API: segments, services and their free dates and hours, behind a JWT API key.

    `api_key` is valid for `api_key_seconds` (None: no exp); `issue_api_key` makes more keys of the
    account, `revoke_key` removes one.
    """

    vendor = "videsk"

    def __init__(
        self,
        *,
        clock: Clock = time.time,
        port: int = 0,
        api_key_seconds: float | None = _YEAR_SECONDS,
        segments: int = 12,
        services: int = 12,
    ) -> None:
        super().__init__(clock=clock, port=port)
        self.keys = VideskKeys(clock)
        self.api_key = self.keys.issue(api_key_seconds)
        self.catalog = Catalog.seeded(segments=segments, services=services)

    def issue_api_key(self, *, expires_in: float | None) -> str:
        """Another key of the same account, e.g. one that expires in a second for tests of expiry."""
        return self.keys.issue(expires_in)

    def revoke_key(self, key: str | None = None) -> None:
        """Remove `key` (by default `api_key`); it gets 403 from now on."""
        self.keys.revoke(self.api_key if key is None else key)

    def credentials(self) -> dict[str, str]:
        return {"api_key": self.api_key}

    def authenticate(self, request: web.Request) -> None:
        self.keys.authenticate(request)

    def routes(self) -> Iterable[Route]:
        services, users = self.catalog.services, self.catalog.users
        return [
            Route("GET", f"{PUBLIC}/segments", self._list_segments),
            Route("GET", f"{PUBLIC}/services", self._list_services),
            Route("GET", f"{PUBLIC}/services/{{id}}/dates", _availability(services, available_dates)),
            Route("GET", f"{PUBLIC}/services/{{id}}/hours", _availability(services, available_hours)),
            Route("GET", f"{PUBLIC}/users/{{id}}/dates", _availability(users, available_dates)),
            Route("GET", f"{PUBLIC}/users/{{id}}/hours", _availability(users, available_hours)),
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
        return web.json_response(slots(day, zone))

    return handler


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
