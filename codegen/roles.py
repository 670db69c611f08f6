"""Which schemas only requests write: their enum fields stay closed; every other schema's are open.

A schema a response or a webhook reaches (through `$ref`s at any depth, `allOf` bases included) is read
from the vendor, who may send an enum value the spec does not list yet: its enum fields are typed
`Enum | str` and keep such a value. A schema only request bodies reach is written by the user: its enum
fields are typed `Enum | EnumValue` (the enum's values as a Literal), so a type checker refuses a
typo. A schema both reach is read, so it is open (the runtime still refuses an unlisted value before
sending: tessera._runtime.requestbody); one nothing reaches (an error body, an auth answer) is open too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

_SCHEMA_REF = "#/components/schemas/"


def request_only(schemas: Mapping[str, object], written: Iterable[str], read: Iterable[str]) -> frozenset[str]:
    """The schema names reached from the `written` roots and not from the `read` ones."""
    return frozenset(_reached(schemas, written) - _reached(schemas, read))


def _reached(schemas: Mapping[str, object], roots: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    waiting = [name for name in roots if name in schemas]
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        waiting += [target for target in _references(schemas[name]) if target in schemas]
    return seen


def _references(schema: object) -> Iterator[str]:
    """The names of the component schemas a schema's `$ref`s point at, at any depth."""
    if isinstance(schema, dict):
        reference = schema.get("$ref")
        if isinstance(reference, str) and reference.startswith(_SCHEMA_REF):
            yield reference.removeprefix(_SCHEMA_REF)
        for value in schema.values():
            yield from _references(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _references(item)
