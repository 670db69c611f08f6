"""Django REST framework's conventions (ZapSign's, and Optiwe's where it answers like DRF): error bodies,
JSON parsing, page-number pagination and the Throttled answer."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Final, TypeVar

from aiohttp import web

from ._errors import ErrorReply
from ._json import JsonObject
from ._json import json_object as read_json_object

Item = TypeVar("Item")

REQUIRED: Final = ("This field is required.",)
# DRF's message for a value of the wrong JSON type, per serializer field type.
_WRONG_TYPE: Final = {
    str: "Not a valid string.",
    int: "A valid integer is required.",
    bool: "Must be a valid boolean.",
}


def invalid(errors: JsonObject) -> ErrorReply:
    """A 400 with DRF's per-field messages, e.g. {"name": ["This field is required."]}."""
    return ErrorReply(400, errors)


def not_found() -> ErrorReply:
    return ErrorReply(404, {"detail": "Not found."})


def parse_error(error: ValueError) -> ErrorReply:
    """DRF's JSONParser refusing a body that is not JSON."""
    return ErrorReply(400, {"detail": f"JSON parse error - {error}"})


async def json_object(request: web.Request) -> JsonObject:
    """The request's JSON object body, refused the way DRF's JSONParser and serializers refuse it."""
    return await read_json_object(
        request, not_json=parse_error, not_an_object=lambda body: invalid(_not_an_object(body))
    )


def field_errors(fields: object, kinds: Mapping[str, type], required: Collection[str]) -> JsonObject:
    """A serializer's errors for the `kinds` fields of `fields`; empty when they are valid.

    Fields not in `kinds` are ignored, as DRF ignores them; a required field may not be blank either.
    """
    if not isinstance(fields, dict):
        return _not_an_object(fields)
    errors: JsonObject = {}
    for name, kind in kinds.items():
        if name not in fields:
            if name in required:
                errors[name] = REQUIRED
            continue
        value = fields[name]
        if value is None:
            errors[name] = ["This field may not be null."]
        # JSON true is a Python int too; only a boolean field takes it.
        elif not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            errors[name] = [_WRONG_TYPE[kind]]
        elif value == "" and name in required:
            errors[name] = ["This field may not be blank."]
    return errors


def _not_an_object(value: object) -> JsonObject:
    return {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {type(value).__name__}."]}


def page(request: web.Request, items: Sequence[Item], size: int, render: Callable[[Item], JsonObject]) -> JsonObject:
    """One page of `items` as DRF's PageNumberPagination answers it: {count, next, previous, results}."""
    last = max(1, math.ceil(len(items) / size))
    raw = request.query.get("page", "1")
    number = int(raw) if raw.isdecimal() else 0
    if not 1 <= number <= last:
        raise ErrorReply(404, {"detail": "Invalid page."})
    url = request.url
    # DRF drops the parameter, rather than writing page=1, on the link back to the first page.
    previous = url.without_query_params("page") if number == 2 else url.update_query(page=number - 1)
    return {
        "count": len(items),
        "next": str(url.update_query(page=number + 1)) if number < last else None,
        "previous": str(previous) if number > 1 else None,
        "results": [render(item) for item in items[(number - 1) * size : number * size]],
    }


def throttled(wait: int) -> ErrorReply:
    """DRF's Throttled: its detail in the singular or plural, as DRF words it, and Retry-After."""
    unit = "second" if wait == 1 else "seconds"
    detail = f"Request was throttled. Expected available in {wait} {unit}."
    return ErrorReply(429, {"detail": detail}, {"Retry-After": str(wait)})
