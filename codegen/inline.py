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

from codegen.classes import MODELS_MODULE_NAMES, with_class_references
from codegen.document import Node
from codegen.names import free_name

_NAMED_SHAPES = ("properties", "allOf", "oneOf", "anyOf", "additionalProperties", "patternProperties")
"""Keywords of a schema that makes a class or an alias of models.py."""


def needs_a_name(schema: Mapping[str, object]) -> bool:
    """An object, a map or a composition: a type models.py must define, unlike `str` or `list[int]`."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "object" in kinds or any(keyword in schema for keyword in _NAMED_SHAPES)


class InlineSchemas:
    """Adds inline schemas to the spec's schemas (by class name), each under a free derived name."""

    def __init__(self, schemas: dict[str, object], classes: Mapping[str, str]) -> None:
        self._schemas = schemas
        self._classes = classes

    def name(self, schema: Node, wanted: str) -> str:
        """The class of `schema` in models.py: `wanted`, or with a `Model` suffix when that is taken."""
        name = free_name(wanted, self._schemas.keys() | MODELS_MODULE_NAMES, suffix="Model")
        self._schemas[name] = with_class_references(schema.value, self._classes)
        return name
