"""The spec's schemas as datamodel-code-generator reads them best: same meaning, spelled its way."""

from __future__ import annotations

from collections.abc import Mapping


def as_datamodel_code_generator_reads_best(schemas: Mapping[str, object]) -> dict[str, object]:
    return {
        name: _free_object_as_map(_base64_as_binary(_nullable_spelled_out(schema))) for name, schema in schemas.items()
    }


def _base64_as_binary(value: object) -> object:
    """`format: byte` and `contentEncoding: base64` as `format: binary`: each is bytes in the model (base64
    text in JSON, which the runtime's converter reads and writes); datamodel-code-generator types only
    the last as `bytes`."""
    if isinstance(value, list):
        return [_base64_as_binary(item) for item in value]
    if not isinstance(value, dict):
        return value
    schema = {key: _base64_as_binary(item) for key, item in value.items()}
    if schema.get("type") == "string" and (schema.get("format") == "byte" or schema.get("contentEncoding") == "base64"):
        schema["format"] = "binary"
        schema.pop("contentEncoding", None)
    return schema


def _nullable_spelled_out(value: object) -> object:
    """Schemas with `type: [T, "null"]` as `type: T, nullable: true`, and null out of enums likewise.

    datamodel-code-generator reads the second spelling better: with the type list it loses an object's
    `additionalProperties` type and writes a str enum as a plain Enum (with a None member if listed).
    """
    if isinstance(value, list):
        return [_nullable_spelled_out(item) for item in value]
    if not isinstance(value, dict):
        return value
    schema = {key: _nullable_spelled_out(item) for key, item in value.items()}
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind and len(kind) == 2:
        schema["type"] = next(item for item in kind if item != "null")
        schema["nullable"] = True
    values = schema.get("enum")
    if isinstance(values, list) and "type" not in schema:
        # Untyped, datamodel-code-generator writes a plain Enum, which has no `<Enum>Value` alias.
        kinds = {type(item) for item in values if item is not None}
        if kinds in ({str}, {int}):
            schema["type"] = "string" if kinds == {str} else "integer"
    if isinstance(values, list) and None in values:
        schema["enum"] = [item for item in values if item is not None]
        schema["nullable"] = True
    return schema


def _free_object_as_map(schema: object) -> object:
    """A named object without properties as `additionalProperties: {}`: a `dict[str, Any]` alias.

    datamodel-code-generator writes such a schema as a class without fields, which would drop every key.
    """
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    composed = any(keyword in schema for keyword in ("properties", "allOf", "oneOf", "anyOf", "patternProperties"))
    if "object" in kinds and not composed and schema.get("additionalProperties", True) is True:
        return {**schema, "additionalProperties": {}}
    return schema
