"""The spec's `webhooks` section → the IR's webhooks: the model of each body and the event types it knows.

A webhook's `x-tessera-event-field` is a dotted path into its body (`event_type`, `payload.type`). The
path is followed through the schemas: properties (also of `allOf` parts), and last, either a string
property (its `enum` or `const` lists the known types; a plain string knows none, so any type decodes)
or a property named by the `discriminator` of a `oneOf`/`anyOf` (its mapping lists them, each with its
member's class).
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from collections.abc import Mapping

from codegen.document import Node, json_schema, resolve
from codegen.errors import json_pointer
from codegen.inline import InlineSchemas
from codegen.ir import EventType, Webhook
from codegen.names import pascal_case

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_LOWER_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_SCHEMA_REF = "#/components/schemas/"
_EVENT_FIELD = "x-tessera-event-field"
_UNIONS = ("oneOf", "anyOf")
_MODULE_NAMES = frozenset({"Mapping", "TypeAlias", "UnknownEvent", "parse", "annotations"})
"""Names webhooks.py defines or imports besides its webhooks' own, which a model it imports must not take."""


def read_webhooks(root: Node, classes: Mapping[str, str], inline: InlineSchemas) -> tuple[Webhook, ...]:
    """The webhooks in the spec's order; empty when the spec has no `webhooks` section.

    `classes`: each schema's name in the spec → its class in models.py; `inline`: where an inline body's
    schema becomes a class of models.py, named after its webhook (`pet_seen` → `PetSeenBody`).
    """
    section = root.get("webhooks")
    if section is None:
        return ()
    webhooks = tuple(_Reader(root, classes, inline).webhook(name, node) for name, node in section.items())
    _check_names(section, webhooks)
    return webhooks


class _Reader:
    def __init__(self, root: Node, classes: Mapping[str, str], inline: InlineSchemas) -> None:
        self._root = root
        self._classes = classes
        self._inline = inline

    def webhook(self, name: str, node: Node) -> Webhook:
        if not _LOWER_IDENTIFIER.fullmatch(name) or keyword.iskeyword(name):
            raise node.error(f"webhook {name!r} is not a snake_case Python identifier: it names parse_{name}()")
        item = resolve(self._root, node)
        operations = [operation for method, operation in item.items() if method in _METHODS]
        if len(operations) != 1:
            raise item.error("a webhook needs exactly one operation (the request the vendor sends)")
        operation = operations[0]
        request_body = operation.get("requestBody")
        if request_body is None:
            raise operation.error(f"a webhook needs a requestBody: it is what parse_{name}() decodes")
        schema = json_schema(resolve(self._root, request_body).require("content"))
        if schema is None:
            raise request_body.error("a webhook's request body needs application/json content")
        model = self._model(schema, pascal_case(name) + "Body")
        event_field = item.get(_EVENT_FIELD)
        return Webhook(
            name=name,
            summary=operation.optional_string("summary") or operation.optional_string("description") or name,
            model=model,
            event_field=None if event_field is None else event_field.string(),
            event_types=None if event_field is None else self._event_types(resolve(self._root, schema), event_field),
        )

    def _model(self, schema: Node, inline_name: str) -> str:
        """The class of models.py the body decodes into: a `$ref` to an object schema, or an inline one."""
        reference = schema.get("$ref")
        if reference is None and _is_object(schema):
            return self._inline.name(schema, inline_name)
        target = "" if reference is None else reference.string()
        if reference is None or not target.startswith(_SCHEMA_REF):
            raise schema.error(f"a webhook's body must be an object schema or a $ref to {_SCHEMA_REF}<Name>")
        name = target.removeprefix(_SCHEMA_REF)
        if name not in self._classes:
            raise reference.error(f"no schema {name!r} under components/schemas")
        if not _is_object(resolve(self._root, schema)):
            raise reference.error(
                f"a webhook's body must be an object schema with properties (a class of models.py); {name!r} is not"
            )
        return self._classes[name]

    def _event_types(self, schema: Node, field: Node) -> tuple[EventType, ...] | None:
        """Follow the event field's path from the body's schema; None when its last property is any string."""
        path = field.string().split(".")
        if not all(path):
            raise field.error(f"{field.string()!r} is not a dotted path of property names")
        for index, segment in enumerate(path):
            if any(schema.get(union) is not None for union in _UNIONS):
                if index < len(path) - 1:
                    raise field.error(f"the path crosses the union at #{_pointer(schema)}: it can only end at one")
                return self._discriminated(schema, segment, field)
            found = self._property(schema, segment)
            if found is None:
                raise field.error(f"no property {segment!r} at #{_pointer(schema)}")
            schema = resolve(self._root, found)
        return self._values(schema, field)

    def _property(self, schema: Node, name: str) -> Node | None:
        """The property `name` of an object schema, also found in its `allOf` parts."""
        properties = schema.get("properties")
        found = properties.get(name) if properties is not None else None
        if found is not None:
            return found
        parts = schema.get("allOf")
        for part in parts.elements() if parts is not None else ():
            found = self._property(resolve(self._root, part), name)
            if found is not None:
                return found
        return None

    def _discriminated(self, union: Node, name: str, field: Node) -> tuple[EventType, ...]:
        """The discriminator's mapping, then members it leaves out, by their schema names (OpenAPI's rule)."""
        discriminator = union.get("discriminator")
        if discriminator is None or discriminator.require("propertyName").string() != name:
            raise field.error(f"the union at #{_pointer(union)} needs a discriminator on {name!r}")
        events: list[EventType] = []
        mapped: set[str] = set()
        mapping = discriminator.get("mapping")
        for value, target in mapping.items() if mapping is not None else ():
            model = self._classes[self._schema_name(target)]
            events.append(EventType(value, model))
            mapped.add(model)
        for kind in _UNIONS:
            members = union.get(kind)
            for member in members.elements() if members is not None else ():
                reference = member.get("$ref")
                if reference is None:
                    raise member.error("a discriminated union's members must be $refs to components/schemas")
                schema_name = self._schema_name(reference)
                model = self._classes[schema_name]
                if model not in mapped:
                    events.append(EventType(schema_name, model))
                    mapped.add(model)
        return tuple(events)

    def _schema_name(self, target: Node) -> str:
        """A discriminator mapping's value or a member's $ref: `#/components/schemas/Name` or `Name`."""
        name = target.string().removeprefix(_SCHEMA_REF)
        if name not in self._classes:
            raise target.error(f"no schema {name!r} under components/schemas")
        return name

    def _values(self, schema: Node, field: Node) -> tuple[EventType, ...] | None:
        """A string property's listed values (`const` or `enum`); None when it takes any string."""
        const = schema.get("const")
        enum = schema.get("enum")
        if const is not None:
            values = [const.value]
        elif enum is not None:
            values = [value.value for value in enum.elements() if value.value is not None]
        else:
            kind = schema.get("type")
            kinds = [] if kind is None else kind.value if isinstance(kind.value, list) else [kind.value]
            if "string" not in kinds:
                raise field.error(f"the event field at #{_pointer(schema)} must be a string property")
            return None
        if not values or not all(isinstance(value, str) for value in values):
            raise field.error(f"the event field at #{_pointer(schema)} must list strings (enum or const)")
        return tuple(EventType(str(value), None) for value in values)


def _is_object(schema: Node) -> bool:
    """An object schema with properties (of its own or of `allOf` parts), not a union: a class of models.py."""
    found = schema.mapping()
    return not any(union in found for union in _UNIONS) and ("properties" in found or "allOf" in found)


def _pointer(node: Node) -> str:
    return json_pointer(node.path)


def _check_names(section: Node, webhooks: tuple[Webhook, ...]) -> None:
    """Every name webhooks.py binds is bound once: functions, aliases and the models it imports."""
    names = Counter(_MODULE_NAMES)
    for webhook in webhooks:
        names.update([webhook.function, webhook.alias])
    names.update({model for webhook in webhooks for model in webhook.models})
    twice = sorted(name for name, count in names.items() if count > 1)
    if twice:
        raise section.error(f"webhooks.py would bind {', '.join(twice)} twice: rename a webhook or a schema")
