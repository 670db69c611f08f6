"""Inline schemas of bodies and responses as schemas of models.py, named after where they stand.

An operation's body or response may spell out its schema instead of `$ref`-ing one under
`components/schemas`. Such a schema (an object, a map, an `allOf`/`oneOf`/`anyOf`, or no type at all:
any value) is added to the spec's schemas under a name derived from its place: `get_doc` →
`GetDocResponse`, `create_doc` → `CreateDocBody`, an array's items `ListDocsResponseItem`. The classes
and unions inside it are named the same way: a property `GetDocResponseEvents`, its array's items
`GetDocResponseEventsItem`, a map's values `...Value`, the inline options of a `oneOf`/`anyOf`
`...Option1`, `...Option2`; an enum inside is named by datamodel-code-generator after its parent and
property (`GetDocResponseEventsItemKind`).

Components keep their classes: a derived name that one already has takes a `Model` suffix
(`GetDocResponseModel`); derived names are given in the document's order, so they are deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from codegen.classes import MODELS_MODULE_NAMES, SCHEMA_REF, with_class_references
from codegen.document import Node
from codegen.ir import TypeRef
from codegen.names import class_name, free_name

_NAMED_SHAPES = ("properties", "allOf", "oneOf", "anyOf", "additionalProperties", "patternProperties")
"""Keywords of a schema that makes a class or an alias of models.py."""
_CLASS_SHAPES = ("properties", "allOf", "oneOf", "anyOf")
"""Keywords of a schema inside another that makes it a class or a union of its own."""


def needs_a_name(schema: Mapping[str, object]) -> bool:
    """An object, a map, a composition or a schema without a type (`{}`: any value, `const: x`): a type
    models.py must define, unlike `str` or `list[int]`."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return kind is None or "object" in kinds or any(keyword in schema for keyword in _NAMED_SHAPES)


class InlineSchemas:
    """Adds inline schemas to the spec's schemas (by class name), each under a free derived name."""

    def __init__(self, schemas: dict[str, object], classes: Mapping[str, str]) -> None:
        self._schemas = schemas
        self._classes = classes

    def name(self, schema: Node, wanted: str) -> str:
        """The class of `schema` in models.py: `wanted`, or with a `Model` suffix when that is taken."""
        return self._add(with_class_references(schema.value, self._classes), wanted)

    def type_of(self, schema: Node, wanted: str) -> TypeRef:
        """`models.<name>` for `schema` (see `name`), `| None` when its type lists null."""
        name = self.name(schema, wanted)
        kind = schema.mapping().get("type")
        nullable = isinstance(kind, list) and "null" in kind
        type_ = TypeRef(f"models.{name}", models=frozenset({name}), union=makes_a_union(schema.mapping()))
        return type_.or_none() if nullable else type_

    def _add(self, value: object, wanted: str) -> str:
        name = free_name(wanted, self._schemas.keys() | MODELS_MODULE_NAMES, suffix="Model")
        self._schemas[name] = value  # taken before its parts are named
        self._schemas[name] = self._with_named_parts(value, name)
        return name

    def _with_named_parts(self, value: object, name: str) -> object:
        """The schema with each inline schema inside it that needs a name (see `_part`) named after its place."""
        if not isinstance(value, dict):
            return value
        named = dict(value)
        properties = value.get("properties")
        if isinstance(properties, dict):
            named["properties"] = {
                key: self._part(part, name + class_name(str(key))) for key, part in properties.items()
            }
        if isinstance(value.get("items"), dict):
            named["items"] = self._part(value["items"], name + "Item")
        if isinstance(value.get("additionalProperties"), dict):
            named["additionalProperties"] = self._part(value["additionalProperties"], name + "Value")
        for keyword in ("oneOf", "anyOf"):
            options = value.get(keyword)
            if isinstance(options, list):
                named[keyword] = [self._part(option, f"{name}Option{n}") for n, option in enumerate(options, start=1)]
        parts = value.get("allOf")
        if isinstance(parts, list):
            # An inline part's properties are the class's own fields (datamodel-code-generator merges them).
            named["allOf"] = [self._with_named_parts(part, name) for part in parts]
        return named

    def _part(self, value: object, wanted: str) -> object:
        """An inline schema inside another: a `$ref` to it under the name `wanted` when it is a class or a
        union (a map stays `dict[str, V]`, with V named `<wanted>Value` if need be; a nullable one stays
        inline, since a `$ref` cannot say null), else the schema with its own parts named."""
        if not isinstance(value, dict) or "$ref" in value:
            return value
        kind = value.get("type")
        shaped = any(keyword in value for keyword in _CLASS_SHAPES)
        if shaped and not (isinstance(kind, list) and "null" in kind):
            reference: dict[str, object] = {"$ref": SCHEMA_REF + self._add(value, wanted)}
            if "description" in value:
                reference["description"] = value["description"]
            return reference
        return self._with_named_parts(value, wanted)


def makes_a_union(schema: Mapping[str, object]) -> bool:
    """A `oneOf`/`anyOf` of two or more different schemas, which models.py writes as an alias of a union
    (datamodel-code-generator writes one of a single schema as that type alone)."""
    for keyword in ("oneOf", "anyOf"):
        options = schema.get(keyword)
        if (
            isinstance(options, list)
            and len({json.dumps(option, sort_keys=True, default=str) for option in options}) > 1
        ):
            return True
    return False
