"""What a Videsk account holds in the emulator: segments, services with their agents, and free slots."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import attrs

from .._clock import js_timestamp
from .._json import JsonObject

_AGENTS: Final = (("Camila", "Reyes"), ("Tomás", "Fuentes"), ("Valentina", "Muñoz"), ("Matías", "Soto"))
# Availability, in the caller's time zone: weekdays, half-hour starts from 09:00 to 17:30, two weeks ahead.
_OPENING: Final = time(9)
_SLOTS_PER_DAY: Final = 18
SLOT: Final = timedelta(minutes=30)
"""The length of an appointment and the step between its possible starts."""
_DAYS_AHEAD: Final = 14
_SATURDAY: Final = 5


def object_id(kind: str, number: int) -> str:
    """A MongoDB-style id (24 hex digits), the same on every run so ids can be typed from the shell."""
    return hashlib.sha256(f"{kind}:{number}".encode()).hexdigest()[:24]


@attrs.frozen
class Catalog:
    segments: list[JsonObject]
    services: dict[str, JsonObject]
    users: dict[str, JsonObject]

    @classmethod
    def seeded(cls, segments: int, services: int) -> Catalog:
        """`segments` segments and `services` services, each served by two of a few agents."""
        users: dict[str, JsonObject] = {
            object_id("user", n): {"_id": object_id("user", n), "firstname": first, "lastname": last}
            for n, (first, last) in enumerate(_AGENTS)
        }
        agents = list(users.values())
        return cls(
            segments=[{"name": f"Segmento {n + 1}", "id": object_id("segment", n)} for n in range(segments)],
            services={
                object_id("service", n): {
                    "users": [agents[n % len(agents)], agents[(n + 1) % len(agents)]],
                    "title": f"Servicio {n + 1}",
                    "description": f"Atención por video, servicio {n + 1}.",
                    "automatic": n % 2 == 0,
                    "id": object_id("service", n),
                }
                for n in range(services)
            },
            users=users,
        )


def available_dates(day: date, zone: ZoneInfo) -> list[str]:
    """The weekdays of the two weeks from `day`, each as its local midnight."""
    days = (day + timedelta(days=n) for n in range(_DAYS_AHEAD))
    return [_instant(d, time(0), zone) for d in days if d.weekday() < _SATURDAY]


def available_hours(day: date, zone: ZoneInfo) -> list[str]:
    """The half-hour starts of a weekday's opening hours; none on a weekend."""
    if day.weekday() >= _SATURDAY:
        return []
    opening = datetime.combine(day, _OPENING)
    return [_instant(day, (opening + n * SLOT).time(), zone) for n in range(_SLOTS_PER_DAY)]


def _instant(day: date, at: time, zone: ZoneInfo) -> str:
    return js_timestamp(datetime.combine(day, at, tzinfo=zone).timestamp())
