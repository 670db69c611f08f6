"""Videsk's private export API: a report of what the emulator recorded, behind its own X-API-Token."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Final, cast
from zoneinfo import ZoneInfo

from aiohttp import web

from .._bearer import bearer_token
from .._feathers import feathers_error
from .._json import JsonObject
from .._secrets import remember
from .fields import instant, json_body, zone

EXPORT_LIMIT: Final = 5000
"""The rows one export answers at most: its `$limit`."""
# The columns of each report, by the keys Videsk's export docs name. Calls, comments, tags and recordings
# come from video calls, which the emulator has none of: those reports have their columns and no rows.
COLUMNS: Final = {
    "calls": ("id", "segment", "agent", "createdAt", "startTime", "endTime", "duration", "canceled"),
    "queues": ("id", "segment", "ticketId", "extraData", "createdAt"),
    "comments": ("id", "call", "comments", "createdAt"),
    "tags": ("id", "call", "tagName", "tagLabel", "createdAt"),
    "appointments": (
        "id",
        "service",
        "agent",
        "startTime",
        "endTime",
        "duration",
        "canceled",
        "canceledReason",
        "timezone",
        "referrer",
        "createdAt",
    ),
    "recordings": ("id", "call", "url", "createdAt"),
    "forms": ("id", "segment", "type", "createdAt"),
    "surveys": ("id", "surveyId", "createdAt"),
}
# Columns holding epoch seconds, printed in the export's time zone.
_TIMES: Final = frozenset({"createdAt", "startTime", "endTime"})

Rows = Callable[[], list[JsonObject]]


class Reports:
    """The handler of /reports/exports/{kind} and the check of its token, `token`."""

    def __init__(self, sources: Mapping[str, Rows]) -> None:
        self.token = remember(secrets.token_urlsafe(24))
        self._sources = sources

    def authenticate(self, request: web.Request) -> None:
        """X-API-Token: Bearer <token>, the word Bearer inside the header's value."""
        token = bearer_token(request, "X-API-Token")
        if not token:
            raise feathers_error(401, "Not authenticated")
        if not secrets.compare_digest(token, self.token):
            raise feathers_error(403, "The integration token it's invalid or was removed.")

    async def export_report(self, request: web.Request) -> web.Response:
        """POST {$sort, start, end, timezone, keys?} → {$limit, columns, data}, rows created in [start, end].

        Answered 201, as Videsk documents it (a feathers create); the spec says 200.
        """
        kind = request.match_info["kind"]
        if kind not in COLUMNS:
            raise feathers_error(404, f'There is no "{kind}" export.')
        body = await json_body(request)
        sort = _sort(body.get("$sort"), COLUMNS[kind])
        start, end, timezone = instant(body, "start"), instant(body, "end"), zone(body)
        columns = _columns(body.get("keys"), COLUMNS[kind])
        source = self._sources.get(kind)
        rows = [row for row in (source() if source else []) if start <= _created(row) <= end]
        for column, direction in reversed(sort.items()):
            rows.sort(key=_by(column), reverse=direction == -1)
        data = [{column: _shown(column, row.get(column), timezone) for column in columns} for row in rows]
        answer = {"$limit": EXPORT_LIMIT, "columns": list(columns), "data": data[:EXPORT_LIMIT]}
        return web.json_response(answer, status=201)


def _created(row: JsonObject) -> datetime:
    return datetime.fromtimestamp(cast(float, row["createdAt"]), UTC)


def _sort(value: object, known: tuple[str, ...]) -> dict[str, int]:
    """`$sort`, {column: 1 | -1}; sorting by its last column first makes the first one decide."""
    if (
        not isinstance(value, dict)
        or not value
        or not all(column in known and type(d) is int and d in (1, -1) for column, d in value.items())
    ):
        raise feathers_error(400, 'A valid "$sort" is required', data="$sort")
    return {str(column): int(direction) for column, direction in value.items()}


def _columns(keys: object, known: tuple[str, ...]) -> tuple[str, ...]:
    if keys is None:
        return known
    if not isinstance(keys, list) or not keys or not all(key in known for key in keys):
        raise feathers_error(400, f'A valid "keys" is required, among {", ".join(known)}', data="keys")
    return tuple(keys)


def _by(column: str) -> Callable[[JsonObject], tuple[bool, float | str]]:
    """A sort key on `column`: missing values last, numbers (times, durations) by value, the rest by text."""

    def key(row: JsonObject) -> tuple[bool, float | str]:
        value = row.get(column)
        if isinstance(value, int | float):
            return (False, value)
        return (value is None, "" if value is None else str(value))

    return key


def _shown(column: str, value: object, timezone: ZoneInfo) -> object:
    """Times as Videsk's exports print them, "2023-04-04 21:45:16" in the export's zone; the rest as is."""
    if column in _TIMES and isinstance(value, int | float):
        return datetime.fromtimestamp(value, timezone).strftime("%Y-%m-%d %H:%M:%S")
    return value
