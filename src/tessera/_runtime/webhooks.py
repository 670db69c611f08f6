"""Webhook bodies into models: what each vendor's generated webhooks.py calls.

A `Webhook` decodes every body into its model. An `EventWebhook` first reads the event field
(`x-tessera-event-field`, a dotted path such as `payload.type`): a type the spec lists decodes into the
model; any other is an event the spec does not know yet, returned as an `UnknownEvent` that keeps the
whole body, so that a new event type never breaks a receiver. A body that is not a JSON object, an
event field that is missing or not a string, and a known event that does not fit its model raise
`DecodeError` naming the field (`$.payload.payload.conversation.id`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

import attrs

from tessera._runtime.conversion import Codec, json_name
from tessera._runtime.redaction import shown_body
from tessera.errors import DecodeError

T = TypeVar("T")

_CODEC = Codec()
"""One codec for every webhook: it caches a structuring function per model."""


def _frozenset(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@attrs.frozen
class UnknownEvent:
    """An event whose type the spec does not list: the type as sent and the whole body, kept as decoded."""

    event_type: str
    body: Mapping[str, object]


@attrs.frozen
class Webhook(Generic[T]):
    """A webhook whose every body decodes into `model`."""

    vendor: str
    name: str
    model: type[T]

    def parse(self, body: bytes | str | Mapping[str, object]) -> T:
        data = _json_object(body, self.model, self.vendor, self.name)
        return _decode(data, body, self.model, self.vendor, self.name)


@attrs.frozen
class EventWebhook(Generic[T]):
    """A webhook whose event field tells the type: a listed type decodes into `model`, another is kept."""

    vendor: str
    name: str
    model: type[T]
    event_field: str
    """A dotted path of property names: `payload.type`."""
    event_types: frozenset[str] = attrs.field(converter=_frozenset)
    """The types the spec lists for the event field."""

    def parse(self, body: bytes | str | Mapping[str, object]) -> T | UnknownEvent:
        data = _json_object(body, self.model, self.vendor, self.name)
        event_type = self.event_type(data, shown=body)
        if event_type not in self.event_types:
            return UnknownEvent(event_type=event_type, body=data)
        return _decode(data, body, self.model, self.vendor, self.name)

    def event_type(self, data: Mapping[str, object], *, shown: object = None) -> str:
        """The event field's value; DecodeError at its path when it is missing or not a string. `shown`: the
        body as it came (bytes or text), which the error shows; without it, `data` written again."""
        value: object = data
        path = "$"
        body = data if shown is None else shown
        for name in self.event_field.split("."):
            if not isinstance(value, Mapping):
                problem = f"expected an object, got {_json_type(value)}"
                raise _error(problem, path, body=body, model=self.model, vendor=self.vendor, name=self.name)
            path += f".{name}"
            if name not in value:
                raise _error(
                    "required field missing (the event type)",
                    path,
                    body=body,
                    model=self.model,
                    vendor=self.vendor,
                    name=self.name,
                )
            value = value[name]
        if not isinstance(value, str):
            problem = f"expected a string event type, got {_json_type(value)}"
            raise _error(problem, path, body=body, model=self.model, vendor=self.vendor, name=self.name)
        return value


def _json_object(
    body: bytes | str | Mapping[str, object], model: type[object], vendor: str, name: str
) -> Mapping[str, object]:
    """The body as a JSON object: bytes and text are parsed, a mapping is taken as it is."""
    if isinstance(body, Mapping):
        return body
    if not isinstance(body, bytes | bytearray | str):
        raise TypeError(f"a webhook body is bytes, str or a mapping, not {type(body).__name__}")
    try:
        data: object = json.loads(body)
    except ValueError:  # UnicodeDecodeError is one too
        size = f"{len(body)} bytes" if isinstance(body, bytes | bytearray) else f"{len(body)} characters"
        raise _error(f"the body is not JSON ({size})", "$", body=body, model=model, vendor=vendor, name=name) from None
    if not isinstance(data, dict):
        raise _error(
            f"expected a JSON object, got {_json_type(data)}", "$", body=body, model=model, vendor=vendor, name=name
        )
    return data


def _decode(data: Mapping[str, object], body: object, model: type[T], vendor: str, name: str) -> T:
    """`data` into `model`; `body`, as it came, is what a DecodeError shows (a mapping: `data` written again)."""
    raw = bytes(body) if isinstance(body, bytearray) else body if isinstance(body, bytes | str) else None
    return _CODEC.structure(data, model, vendor=vendor, operation=_operation(name), body=raw)


def _error(message: str, path: str, *, body: object, model: type[object], vendor: str, name: str) -> DecodeError:
    shown = shown_body(body, model, json_name)
    return DecodeError(message, path=path, vendor=vendor, operation=_operation(name), body=shown)


def _operation(name: str) -> str:
    """How a DecodeError names the webhook: `optiwe.webhooks.conversation_event: ... at $.payload`."""
    return f"webhooks.{name}"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, Mapping) else type(value).__name__
