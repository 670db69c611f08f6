"""A `webhooks` section the generator cannot turn into webhooks.py fails with a SpecError naming the place."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.document import load_spec
from codegen.errors import SpecError
from codegen.ir import EventType, Spec
from codegen.models import render_models
from codegen.parse import parse_spec

SOURCE = "specs/broken.yaml"
WEBHOOK = "/webhooks/order_event"
SCHEMA = f"{WEBHOOK}/post/requestBody/content/application~1json/schema"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def valid_spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "broken", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "x-tessera": {"vendor": "broken"},
        "paths": {},
        "webhooks": {
            "order_event": {
                "x-tessera-event-field": "data.kind",
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": ref("Envelope")}}},
                    "responses": {"200": {"description": "Acknowledged."}},
                },
            }
        },
        "components": {
            "schemas": {
                "Envelope": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "code": {"type": "string"}, "data": ref("OrderEvent")},
                },
                "OrderEvent": {
                    "oneOf": [ref("Shipped"), ref("Cancelled")],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"shipped": "#/components/schemas/Shipped", "cancelled": "Cancelled"},
                    },
                },
                "Shipped": {"type": "object", "properties": {"kind": {"type": "string"}}},
                "Cancelled": {"type": "object", "properties": {"kind": {"type": "string"}}},
            }
        },
    }


def parse(tmp_path: Path, document: dict[str, Any]) -> Spec:
    path = tmp_path / "broken.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")  # JSON is YAML
    return parse_spec(load_spec(path, SOURCE))


def webhook(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["webhooks"]["order_event"]
    return found


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def body_schema(document: dict[str, Any], schema: dict[str, Any]) -> None:
    webhook(document)["post"]["requestBody"]["content"]["application/json"]["schema"] = schema


def name_not_an_identifier(document: dict[str, Any]) -> None:
    document["webhooks"] = {"Order-Event": document["webhooks"]["order_event"]}


def two_operations(document: dict[str, Any]) -> None:
    webhook(document)["put"] = webhook(document)["post"]


def no_request_body(document: dict[str, Any]) -> None:
    del webhook(document)["post"]["requestBody"]


def no_json_content(document: dict[str, Any]) -> None:
    webhook(document)["post"]["requestBody"]["content"] = {"text/plain": {"schema": {"type": "string"}}}


def inline_text_body(document: dict[str, Any]) -> None:
    """An inline object body is a class of its own (test_unions.py); a string is no event."""
    body_schema(document, {"type": "string"})


def unknown_body(document: dict[str, Any]) -> None:
    body_schema(document, ref("Nope"))


def union_body(document: dict[str, Any]) -> None:
    body_schema(document, ref("OrderEvent"))
    webhook(document)["x-tessera-event-field"] = "kind"


def free_object_body(document: dict[str, Any]) -> None:
    schemas(document)["Loose"] = {"type": "object"}
    body_schema(document, ref("Loose"))


def unknown_property(document: dict[str, Any]) -> None:
    webhook(document)["x-tessera-event-field"] = "datum.kind"


def crossing_a_union(document: dict[str, Any]) -> None:
    webhook(document)["x-tessera-event-field"] = "data.kind.name"


def union_without_that_discriminator(document: dict[str, Any]) -> None:
    webhook(document)["x-tessera-event-field"] = "data.type"


def not_a_string(document: dict[str, Any]) -> None:
    webhook(document)["x-tessera-event-field"] = "id"


def empty_segment(document: dict[str, Any]) -> None:
    webhook(document)["x-tessera-event-field"] = "data..kind"


def enum_of_numbers(document: dict[str, Any]) -> None:
    schemas(document)["Envelope"]["properties"]["code"] = {"type": "integer", "enum": [1, 2]}
    webhook(document)["x-tessera-event-field"] = "code"


def mapping_to_nothing(document: dict[str, Any]) -> None:
    schemas(document)["OrderEvent"]["discriminator"]["mapping"]["shipped"] = "#/components/schemas/Nope"


def inline_member(document: dict[str, Any]) -> None:
    schemas(document)["OrderEvent"]["oneOf"].append({"type": "object"})


def alias_taken_by_a_schema(document: dict[str, Any]) -> None:
    schemas(document)["OrderEventWebhook"] = schemas(document).pop("Envelope")
    body_schema(document, ref("OrderEventWebhook"))


def member_named_like_an_import(document: dict[str, Any]) -> None:
    schemas(document)["Mapping"] = schemas(document).pop("Shipped")
    schemas(document)["OrderEvent"]["oneOf"][0] = ref("Mapping")
    schemas(document)["OrderEvent"]["discriminator"]["mapping"]["shipped"] = "Mapping"


@pytest.mark.parametrize(
    ("break_spec", "message"),
    [
        (
            name_not_an_identifier,
            "/webhooks/Order-Event: webhook 'Order-Event' is not a snake_case Python identifier: "
            "it names parse_Order-Event()",
        ),
        (two_operations, f"{WEBHOOK}: a webhook needs exactly one operation (the request the vendor sends)"),
        (no_request_body, f"{WEBHOOK}/post: a webhook needs a requestBody: it is what parse_order_event() decodes"),
        (no_json_content, f"{WEBHOOK}/post/requestBody: a webhook's request body needs application/json content"),
        (
            inline_text_body,
            f"{SCHEMA}: a webhook's body must be an object schema or a $ref to #/components/schemas/<Name>",
        ),
        (unknown_body, f"{SCHEMA}/$ref: no schema 'Nope' under components/schemas"),
        (
            union_body,
            f"{SCHEMA}/$ref: a webhook's body must be an object schema with properties (a class of models.py); "
            "'OrderEvent' is not",
        ),
        (
            free_object_body,
            f"{SCHEMA}/$ref: a webhook's body must be an object schema with properties (a class of models.py); "
            "'Loose' is not",
        ),
        (
            unknown_property,
            f"{WEBHOOK}/x-tessera-event-field: no property 'datum' at #/components/schemas/Envelope",
        ),
        (
            crossing_a_union,
            f"{WEBHOOK}/x-tessera-event-field: the path crosses the union at #/components/schemas/OrderEvent: "
            "it can only end at one",
        ),
        (
            union_without_that_discriminator,
            f"{WEBHOOK}/x-tessera-event-field: the union at #/components/schemas/OrderEvent needs a "
            "discriminator on 'type'",
        ),
        (
            not_a_string,
            f"{WEBHOOK}/x-tessera-event-field: the event field at "
            "#/components/schemas/Envelope/properties/id must be a string property",
        ),
        (empty_segment, f"{WEBHOOK}/x-tessera-event-field: 'data..kind' is not a dotted path of property names"),
        (
            enum_of_numbers,
            f"{WEBHOOK}/x-tessera-event-field: the event field at "
            "#/components/schemas/Envelope/properties/code must list strings (enum or const)",
        ),
        (
            mapping_to_nothing,
            "/components/schemas/OrderEvent/discriminator/mapping/shipped: no schema 'Nope' under components/schemas",
        ),
        (
            inline_member,
            "/components/schemas/OrderEvent/oneOf/2: a discriminated union's members must be $refs to "
            "components/schemas",
        ),
        (
            alias_taken_by_a_schema,
            "/webhooks: webhooks.py would bind OrderEventWebhook twice: rename a webhook or a schema",
        ),
        (member_named_like_an_import, "/webhooks: webhooks.py would bind Mapping twice: rename a webhook or a schema"),
    ],
)
def test_webhook_spec_errors_name_the_file_and_the_pointer(
    tmp_path: Path, break_spec: Callable[[dict[str, Any]], None], message: str
) -> None:
    document = valid_spec()
    parse(tmp_path, document)  # the spec is fine before it is broken
    break_spec(document)
    with pytest.raises(SpecError) as caught:
        parse(tmp_path, document)
    assert str(caught.value) == f"{SOURCE}#{message}"


def test_the_event_types_come_from_the_mapping_then_from_members_it_leaves_out(tmp_path: Path) -> None:
    document = valid_spec()
    schemas(document)["Returned"] = {"type": "object", "properties": {"kind": {"type": "string"}}}
    schemas(document)["OrderEvent"]["oneOf"].append(ref("Returned"))
    (webhook_ir,) = parse(tmp_path, document).webhooks
    assert webhook_ir.event_types == (
        EventType("shipped", "Shipped"),
        EventType("cancelled", "Cancelled"),
        EventType("Returned", "Returned"),
    )
    assert webhook_ir.models == ("Envelope", "Shipped", "Cancelled", "Returned")


@pytest.mark.parametrize(
    ("schema", "event_types"),
    [
        ({"type": "string", "const": "CONVERSATION_EVENT"}, (EventType("CONVERSATION_EVENT", None),)),
        ({"type": ["string", "null"], "enum": ["a", "b", None]}, (EventType("a", None), EventType("b", None))),
        ({"type": "string"}, None),
        ({"type": ["string", "null"]}, None),
    ],
)
def test_a_string_event_field_lists_its_const_or_enum_or_takes_any_string(
    tmp_path: Path, schema: dict[str, Any], event_types: tuple[EventType, ...] | None
) -> None:
    document = valid_spec()
    schemas(document)["Envelope"]["properties"]["code"] = schema
    webhook(document)["x-tessera-event-field"] = "code"
    (webhook_ir,) = parse(tmp_path, document).webhooks
    assert webhook_ir.event_types == event_types


def test_the_event_field_is_found_in_allof_parts(tmp_path: Path) -> None:
    document = valid_spec()
    schemas(document)["Record"] = {
        "allOf": [ref("Envelope"), {"type": "object", "properties": {"action": {"type": "string"}}}]
    }
    body_schema(document, ref("Record"))
    webhook(document)["x-tessera-event-field"] = "code"
    assert parse(tmp_path, document).webhooks[0].event_types is None
    webhook(document)["x-tessera-event-field"] = "data.kind"
    assert parse(tmp_path, document).webhooks[0].event_types == (
        EventType("shipped", "Shipped"),
        EventType("cancelled", "Cancelled"),
    )


def test_a_webhook_model_named_after_an_import_of_models_py_gets_a_class_of_its_own(tmp_path: Path) -> None:
    # A class `Any` would shadow the typing.Any of its free-form field: models.py and webhooks.py both name
    # the class AnyModel.
    document = valid_spec()
    schemas(document)["Any"] = schemas(document).pop("Envelope")
    schemas(document)["Any"]["properties"]["extra"] = {"type": "object"}
    body_schema(document, ref("Any"))
    spec = parse(tmp_path, document)
    assert spec.webhooks[0].model == "AnyModel"
    assert "class AnyModel(Model):" in render_models(spec)
