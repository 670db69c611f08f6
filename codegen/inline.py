"""Inline schemas of bodies and responses as schemas of models.py, named after where they stand.

An operation's body or response may spell out its schema instead of `$ref`-ing one under
`components/schemas`. Such a schema (an object, a map, an `allOf`/`oneOf`/`anyOf`) is added to the
spec's schemas under a name derived from its place: `get_doc` → `GetDocResponse`, `create_doc` →
`CreateDocBody`, an array's items `GetDocResponseItem`. What it holds (nested properties, their array
items, nested compositions) datamodel-code-generator names in turn after their parent
(`GetDocResponse.events: list[...]` → `Event`, or `GetDocResponseEvent` when that is taken).

Components keep their classes: a derived name that one already has takes a `Model` suffix
(`GetDocResponseModel`), and derived names are given in the document's order, so they are
deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping

from codegen.classes import MODELS_MODULE_NAMES, SCHEMA_REF, with_class_references
from codegen.document import Node
from codegen.ir import TypeRef
from codegen.names import free_name

_NAMED_SHAPES = ("properties", "allOf", "oneOf", "anyOf", "additionalProperties", "patternProperties")
"""Keywords of a schema that makes a class or an alias of models.py."""


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
        name = free_name(wanted, self._schemas.keys() | MODELS_MODULE_NAMES, suffix="Model")
        value = with_class_references(schema.value, self._classes)
        self._schemas[name] = value  # taken before its options are named
        self._schemas[name] = self._with_named_options(schema, value, name)
        return name

    def type_of(self, schema: Node, wanted: str) -> TypeRef:
        """`models.<name>` for `schema` (see `name`), `| None` when its type lists null."""
        name = self.name(schema, wanted)
        kind = schema.mapping().get("type")
        nullable = isinstance(kind, list) and "null" in kind
        union = any(keyword in schema.mapping() for keyword in ("oneOf", "anyOf"))
        type_ = TypeRef(f"models.{name}", models=frozenset({name}), union=union)
        return type_.or_none() if nullable else type_

    def _with_named_options(self, schema: Node, value: object, name: str) -> object:
        """The schema with each inline object of its `oneOf`/`anyOf` named `<name>Option<n>` (n from 1, by
        position) and referenced; datamodel-code-generator would name them `<name><name>`, `<name><name>1`."""
        if not isinstance(value, dict):
            return value
        named = dict(value)
        for keyword in ("oneOf", "anyOf"):
            options = schema.get(keyword)
            if options is None:
                continue
            named[keyword] = [
                {"$ref": SCHEMA_REF + self.name(option, f"{name}Option{index}")}
                if isinstance(option.value, Mapping) and "$ref" not in option.value and needs_a_name(option.mapping())
                else with_class_references(option.value, self._classes)
                for index, option in enumerate(options.elements(), start=1)
            ]
        return named
