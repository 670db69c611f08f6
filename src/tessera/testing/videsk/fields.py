"""Videsk's request bodies: JSON objects, dates and zones in them, and answers to form and survey fields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from aiohttp import web

from .._feathers import feathers_error
from .._json import JsonObject, json_object

_NOT_A_FIELD: Final = "Some element not as field, please check or try again"
_FORM_CHANGED: Final = "Maybe the organization has changed the form and you're submit is not valid anymore."


@attrs.frozen
class Field:
    """One field of a form or question of a survey, with the limits Videsk checks answers against."""

    id: str
    type: str
    name: str
    label: str
    required: bool = False
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    hint: str = ""

    def to_json(self) -> JsonObject:
        properties: JsonObject = {"required": self.required}
        # Videsk writes maxlength as a string, and min/max as numbers.
        if self.max_length is not None:
            properties["maxlength"] = str(self.max_length)
        if self.minimum is not None:
            properties["min"] = self.minimum
        if self.maximum is not None:
            properties["max"] = self.maximum
        return {
            "_id": self.id,
            "type": self.type,
            "name": self.name,
            "label": self.label,
            "properties": properties,
            "options": [],
            "hint": self.hint,
        }


async def json_body(request: web.Request) -> JsonObject:
    """The request's JSON object, or the BadRequest feathers' body parser answers."""
    return await json_object(
        request,
        not_json=lambda error: feathers_error(400, f"Invalid JSON: {error}"),
        not_an_object=lambda _: feathers_error(400, "The body must be a JSON object."),
    )


def instant(body: JsonObject, name: str) -> datetime:
    """The ISO 8601 date-time `name` of `body`, as Videsk refuses a missing or bad one."""
    value = body.get(name)
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    # A date-time without an offset names no instant; Videsk's clients send UTC ("...Z").
    if moment is None or moment.tzinfo is None:
        raise feathers_error(400, f'A valid "{name}" is required', data=name)
    return moment


def zone(body: JsonObject, name: str = "timezone") -> ZoneInfo:
    """The IANA time zone `name` of `body`, as Videsk refuses a missing or unknown one."""
    value = body.get(name)
    try:
        if isinstance(value, str) and value:
            return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise feathers_error(400, f'A valid "{name}" is required', data=name)


def checked_answers(values: object, fields: Sequence[Field]) -> list[JsonObject]:
    """`values`, a list of {_id, value}, once each answers a field within its limits; else Videsk's BadRequest."""
    by_id = {field.id: field for field in fields}
    if not isinstance(values, list) or not all(_is_answer(value, by_id) for value in values):
        raise feathers_error(400, _NOT_A_FIELD, data=_FORM_CHANGED)
    answers: list[JsonObject] = values
    given = {str(answer["_id"]): answer["value"] for answer in answers}
    for field in fields:
        value = given.get(field.id)
        if value in (None, "", []):
            if field.required:
                raise feathers_error(400, f'The element form "{field.id}" is required.')
            continue
        _check_limits(field, value)
    return answers


def _is_answer(value: object, fields: dict[str, Field]) -> bool:
    return isinstance(value, dict) and set(value) == {"_id", "value"} and value["_id"] in fields


def _check_limits(field: Field, value: object) -> None:
    """The documented messages for a value past its field's limits."""
    if field.max_length is not None and len(str(value)) > field.max_length:
        raise feathers_error(400, f'You reach the max characters is {field.max_length} for element "{field.id}".')
    if field.minimum is None and field.maximum is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise feathers_error(400, f'The value of element "{field.id}" must be a number.')
    if field.maximum is not None and value > field.maximum:
        raise feathers_error(400, f'The maximum of value is {field.maximum} for element "{field.id}".')
    if field.minimum is not None and value < field.minimum:
        raise feathers_error(400, f'The minimum of value is {field.minimum} for element "{field.id}".')
