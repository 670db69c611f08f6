"""Where each schema is used: the docstring of a class whose schema has no `description` of its own.

A reader of models.py (or of the reference site) meets `DocListSigner` with nothing to say what it is; its
uses say it: "The `signers` of `DocList`", "The answer of `docs.get_doc()`".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from codegen.classes import SCHEMA_REF
from codegen.ir import Spec

_SHOWN = 3
"""Uses named in a docstring; more are counted."""
_COMPOSITIONS = {"allOf": "a part of", "oneOf": "a kind of", "anyOf": "a kind of"}


def with_usage_descriptions(spec: Spec) -> dict[str, object]:
    """The spec's schemas, each without a description given one from its uses (those with none stay as they are)."""
    uses = _uses(spec)
    described: dict[str, object] = {}
    for name, schema in spec.schemas.items():
        found = uses.get(name)
        described[name] = schema
        if isinstance(schema, dict) and not schema.get("description") and found:
            shown = "; ".join(found[:_SHOWN]) + (f"; and {len(found) - _SHOWN} more" if len(found) > _SHOWN else "")
            described[name] = {**schema, "description": shown[0].upper() + shown[1:] + "."}
    return described


def _uses(spec: Spec) -> dict[str, list[str]]:
    """Each class name → its uses in words, operations first, in the spec's order, each once."""
    uses: dict[str, list[str]] = {}

    def note(names: frozenset[str] | tuple[str, ...], use: str) -> None:
        for name in sorted(names):
            found = uses.setdefault(name, [])
            if use not in found:
                found.append(use)

    for resource in spec.resources:
        for operation in resource.operations:
            call = f"`{resource.attribute}.{operation.operation_id}()`"
            for parameter in operation.parameters:
                note(parameter.type.models, f"the `{parameter.argument}` argument of {call}")
            if operation.body is not None:
                note(operation.body.type.models, f"the body of {call}")
            if operation.pagination is not None:
                note(operation.pagination.page.models, f"a page of {call}")
                note(operation.pagination.item.models, f"an item of {call}'s pages")
            elif operation.response is not None:
                note(operation.response.models, f"the answer of {call}")
    for webhook in spec.webhooks:
        note((webhook.model,), f"the body of the `{webhook.name}` webhook")
    for owner, schema in spec.schemas.items():
        for target, use in _references(owner, schema):
            note((target,), use)
    return uses


def _references(owner: str, schema: object) -> Iterator[tuple[str, str]]:
    """(class, use) for each schema a property or a composition of `owner` names."""
    if not isinstance(schema, Mapping):
        return
    properties = schema.get("properties")
    for name, value in properties.items() if isinstance(properties, Mapping) else ():
        for target in _named(value):
            yield target, f"the `{name}` of `{owner}`"
    for keyword, words in _COMPOSITIONS.items():
        members = schema.get(keyword)
        for member in members if isinstance(members, list) else ():
            for target in _named(member):
                yield target, f"{words} `{owner}`"


def _named(value: object) -> Iterator[str]:
    """The classes a property's schema names: itself, its items, its map's values, its union's members."""
    if not isinstance(value, Mapping):
        return
    reference = value.get("$ref")
    if isinstance(reference, str) and reference.startswith(SCHEMA_REF):
        yield reference.removeprefix(SCHEMA_REF)
    for key in ("items", "additionalProperties"):
        yield from _named(value.get(key))
    for keyword in _COMPOSITIONS:
        members = value.get(keyword)
        for member in members if isinstance(members, list) else ():
            yield from _named(member)
