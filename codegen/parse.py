"""A spec document → the IR (ir.py). Every problem is a SpecError naming the file and the JSON pointer."""

from __future__ import annotations

import keyword
import re
from typing import Literal

import attrs

from codegen.document import Node, json_schema, resolve
from codegen.ir import Body, Operation, Pagination, Parameter, Resource, Spec, TypeRef
from codegen.names import pascal_case, snake_case
from codegen.profile import profile_data
from codegen.webhooks import read_webhooks

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_LOWER_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_CLASS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SCHEMA_REF = "#/components/schemas/"
_PARAMETER_REF = "#/components/parameters/"

_RESERVED_ARGUMENTS = frozenset(
    {"self", "body", "send_unknown_fields", "timeout", "max_retries", "max_response_bytes", "models"}
)
"""Names a method already uses: its own arguments, and the `models` module its body reads."""
_ENDPOINTS_MODULE_NAMES = frozenset(
    {"Api", "BaseClient", "NoneType", "NotGiven", "Operation", "Pages", "Requester", "Resource"}
)
"""Names `_endpoints.py` defines or imports, which a tag's class must not take."""
_RESERVED_TAGS = frozenset({"aclose"})
"""Attributes of the runtime's BaseClient, which a tag's attribute must not hide."""

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_DATETIME_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date"}
_PRIMITIVE_KINDS = {"string": "STRING", "integer": "INTEGER", "number": "NUMBER", "boolean": "BOOLEAN"}
_DATETIME_KINDS = {"date-time": "DATE_TIME", "date": "DATE"}
"""The runtime's parameter kinds (tessera._runtime.arguments) of each type and format."""


def parse_spec(root: Node) -> Spec:
    """Read one spec document into the IR."""
    extension = root.require("x-tessera")
    vendor_node = extension.require("vendor")
    vendor = vendor_node.string()
    if not _LOWER_IDENTIFIER.fullmatch(vendor) or keyword.iskeyword(vendor):
        raise vendor_node.error(f"vendor {vendor!r} is not a lowercase Python identifier")
    components = root.get("components")
    schemas_node = components.get("schemas") if components is not None else None
    schemas = dict(schemas_node.mapping()) if schemas_node is not None else {}
    for name, schema in schemas_node.items() if schemas_node is not None else ():
        if not _CLASS_NAME.fullmatch(name) or keyword.iskeyword(name):
            raise schema.error(f"schema name {name!r} is not a Python class name")
    reader = _OperationReader(root, schemas)
    operations = reader.operations()
    return Spec(
        vendor=vendor,
        source=root.source,
        resources=_resources(root, operations),
        schemas=schemas,
        profile=profile_data(root, vendor),
        webhooks=read_webhooks(root, schemas),
    )


class _OperationReader:
    """Reads the operations of one document, naming the enums of parameters as it goes."""

    def __init__(self, root: Node, schemas: dict[str, object]) -> None:
        self._root = root
        self._schemas = schemas
        """Shared with the Spec: the named enums of inline parameter enums are added to it."""
        self._named_enums: dict[str, object] = {}
        self._security_schemes = self._scheme_names()
        self._default_security = self._security(root.get("security"), ())
        self._pagination_styles = _pagination_styles(root)

    def operations(self) -> tuple[Operation, ...]:
        operations: list[Operation] = []
        seen: dict[str, Node] = {}
        for path, path_item in self._root.require("paths").items():
            if not path.startswith("/"):
                raise path_item.error(f"path {path!r} does not start with '/'")
            item = self._resolve(path_item)
            for method, operation_node in item.items():
                if method not in _METHODS:
                    continue  # parameters, summary, servers, x-...
                operation = self._operation(path, method.upper(), item, operation_node)
                if operation.operation_id in seen:
                    raise operation_node.error(f"operationId {operation.operation_id!r} is used twice")
                seen[operation.operation_id] = operation_node
                operations.append(operation)
        return tuple(operations)

    def _operation(self, path: str, method: str, path_item: Node, node: Node) -> Operation:
        id_node = node.require("operationId")
        operation_id = id_node.string()
        if not _LOWER_IDENTIFIER.fullmatch(operation_id) or keyword.iskeyword(operation_id):
            raise id_node.error(f"operationId {operation_id!r} is not a snake_case Python identifier")
        tags = list(node.require("tags").elements())
        if not tags:
            raise node.error("an operation needs a tag: its first tag is its group")
        tag = _tag(tags[0])
        retry_safe = node.flag("x-tessera-retry-safe")
        body = self._body(node.get("requestBody"))
        response_schema = self._success_schema(node.require("responses"))
        response = self._type(response_schema) if response_schema is not None else None
        pagination = self._pagination(node, response_schema, response)
        if pagination is not None and body is not None:
            raise node.error("a paginated operation cannot take a body: the runtime pages through query parameters")
        return Operation(
            operation_id=operation_id,
            method=method,
            path=path,
            tag=tag,
            summary=node.optional_string("summary") or f"`{method} {path}`",
            security=self._security(node.get("security"), self._default_security),
            retry_safe_marked=bool(retry_safe),
            parameters=self._parameters(operation_id, path_item, node),
            body=body,
            response=response,
            pagination=pagination,
        )

    def _parameters(self, operation_id: str, path_item: Node, node: Node) -> tuple[Parameter, ...]:
        """Path-level parameters, overridden by the operation's of the same name and location."""
        declared: dict[tuple[str, str], tuple[Node, str | None]] = {}
        for holder in (path_item, node):
            listed = holder.get("parameters")
            for reference in listed.elements() if listed is not None else ():
                resolved = self._resolve(reference)
                key = (resolved.require("name").string(), resolved.require("in").string())
                declared[key] = (resolved, self._parameter_component(reference))
        read = [self._parameter(operation_id, resolved, component) for resolved, component in declared.values()]
        # Path parameters lead the signature; within a location the spec's order is kept.
        ordered = [p for p in read if p.location == "path"] + [p for p in read if p.location == "query"]
        taken = set(_RESERVED_ARGUMENTS)
        arguments: list[Parameter] = []
        for parameter in ordered:
            argument = parameter.argument
            while argument in taken:
                argument += "_"
            taken.add(argument)
            arguments.append(attrs.evolve(parameter, argument=argument))
        return tuple(arguments)

    def _parameter(self, operation_id: str, node: Node, component: str | None) -> Parameter:
        name = node.require("name").string()
        location_node = node.require("in")
        location = location_node.string()
        if location not in ("path", "query"):
            raise location_node.error(
                f"parameters in {location!r} are not supported: the runtime sends path and query parameters"
            )
        required = bool(node.flag("required"))
        if location == "path" and not required:
            raise node.error("a path parameter must be `required: true`")
        # An inline enum becomes a class of models.py, named after the shared parameter when it is one.
        enum_name = pascal_case(component) if component else pascal_case(operation_id) + pascal_case(name)
        schema = node.require("schema")
        type_ = self._type(schema, enum_name=enum_name, enum_values=True)
        if type_.kind is None:
            raise schema.error(
                "a parameter must be a string (a date or date-time too), an integer, a number, a boolean, an enum,"
                " or an array of one of these: the runtime checks and writes its values in the URL"
            )
        if location == "path" and type_.array:
            raise schema.error("a path parameter cannot be an array: a value must stay inside its own segment")
        return Parameter(
            argument=snake_case(name),
            wire_name=name,
            location=_location(location),
            type=type_,
            required=required,
            description=node.optional_string("description"),
        )

    def _body(self, node: Node | None) -> Body | None:
        if node is None:
            return None
        request_body = self._resolve(node)
        schema = json_schema(request_body.require("content"))
        if schema is None:
            raise request_body.error("a request body needs application/json content")
        return Body(type=self._type(schema), required=request_body.flag("required") is not False)

    def _success_schema(self, responses: Node) -> Node | None:
        """The JSON schema of the first success response; None for a response without content."""
        successes = sorted((status, node) for status, node in responses.items() if status.startswith("2"))
        if not successes:
            raise responses.error("an operation needs a 2xx response")
        response = self._resolve(successes[0][1])
        content = response.get("content")
        if content is None or not content.mapping():
            return None
        schema = json_schema(content)
        if schema is None:
            raise content.error("a success response needs application/json content, or none")
        return schema

    def _pagination(self, node: Node, page_schema: Node | None, page_type: TypeRef | None) -> Pagination | None:
        style_node = node.get("x-tessera-pagination")
        if style_node is None:
            return None
        style = style_node.string()
        items_field = self._pagination_styles.get(style)
        if items_field is None:
            raise style_node.error(f"no pagination style {style!r} under x-tessera.pagination")
        if page_schema is None or page_type is None or page_schema.get("$ref") is None:
            raise style_node.error("a paginated operation's success response must be a $ref to its page schema")
        page = self._resolve(page_schema)
        properties = page.get("properties")
        items = properties.get(items_field) if properties is not None else None
        if items is None:
            raise page.error(f"the page schema has no {items_field!r} property (x-tessera.pagination.{style}.items)")
        items = self._resolve(items)
        if "array" not in _types(items):
            raise items.error(f"the {items_field!r} property of a page must be an array")
        return Pagination(style=style, page=page_type, item=self._type(items.require("items")))

    def _type(self, schema: Node, enum_name: str | None = None, *, enum_values: bool = False) -> TypeRef:
        """The Python type of a parameter's, body's or response's schema.

        `enum_values`: an enum is typed to take its values too (`models.DocStatus | models.DocStatusValue`,
        the Literal alias models.py writes beside each enum), as a parameter does.
        """
        reference = schema.get("$ref")
        if reference is not None:
            target = reference.string()
            if not target.startswith(_SCHEMA_REF):
                raise reference.error(f"expected a reference to {_SCHEMA_REF}<Name>, found {target!r}")
            name = target.removeprefix(_SCHEMA_REF)
            if name not in self._schemas:
                raise reference.error(f"no schema {name!r} under components/schemas")
            target_schema = self._schemas[name]
            if isinstance(target_schema, dict) and "enum" in target_schema:
                return _enum(name, enum_values=enum_values)
            return TypeRef(f"models.{name}", models=frozenset({name}))
        if schema.get("enum") is not None:
            return _enum(self._named_enum(schema, enum_name), enum_values=enum_values)
        kinds = _types(schema)
        nullable = "null" in kinds
        kinds = [kind for kind in kinds if kind != "null"]
        if len(kinds) != 1:
            raise schema.error("expected a $ref, an enum or one type (plus null)")
        kind = kinds[0]
        if kind == "array":
            item_name = enum_name + "Item" if enum_name else None
            items = self._type(schema.require("items"), enum_name=item_name, enum_values=enum_values)
            return _nullable(items.list_of(), nullable)
        if kind == "string" and schema.optional_string("format") in _DATETIME_FORMATS:
            format_ = schema.require("format").string()
            return TypeRef(
                _DATETIME_FORMATS[format_],
                nullable=nullable,
                uses_datetime=True,
                kind=f"arguments.{_DATETIME_KINDS[format_]}",
            )
        if kind not in _PRIMITIVES:
            raise schema.error(f"an inline {kind!r} schema needs a name: move it to components/schemas")
        return TypeRef(_PRIMITIVES[kind], nullable=nullable, kind=f"arguments.{_PRIMITIVE_KINDS[kind]}")

    def _named_enum(self, schema: Node, name: str | None) -> str:
        """The name of an inline enum's class in models.py."""
        if name is None:
            raise schema.error("an inline enum needs a name: move it to components/schemas")
        if name in self._schemas and self._named_enums.get(name) != schema.value:
            raise schema.error(f"the name {name!r} for this parameter's enum is taken under components/schemas")
        self._named_enums[name] = schema.value
        self._schemas[name] = schema.value
        return name

    def _parameter_component(self, reference: Node) -> str | None:
        """The name under components/parameters that a parameter's $ref points at, if it does."""
        target = reference.get("$ref")
        if target is None or not target.string().startswith(_PARAMETER_REF):
            return None
        return target.string().removeprefix(_PARAMETER_REF)

    def _resolve(self, node: Node) -> Node:
        return resolve(self._root, node)

    def _scheme_names(self) -> frozenset[str]:
        components = self._root.get("components")
        schemes = components.get("securitySchemes") if components is not None else None
        return frozenset(name for name, _ in schemes.items()) if schemes is not None else frozenset()

    def _security(self, node: Node | None, default: tuple[str, ...]) -> tuple[str, ...]:
        if node is None:
            return default
        names: list[str] = []
        for requirement in node.elements():
            for name, _ in requirement.items():
                if name not in self._security_schemes:
                    raise requirement.error(f"no security scheme {name!r} under components/securitySchemes")
                if name not in names:
                    names.append(name)
        return tuple(names)


def _enum(name: str, *, enum_values: bool) -> TypeRef:
    """The enum class `name` of models.py, and with `enum_values` the Literal alias of its values too."""
    if not enum_values:
        return TypeRef(f"models.{name}", models=frozenset({name}), kind=f"arguments.EnumOf(models.{name})")
    alias = f"{name}Value"
    return TypeRef(
        f"models.{name} | models.{alias}", models=frozenset({name, alias}), kind=f"arguments.EnumOf(models.{name})"
    )


def _tag(node: Node) -> str:
    tag = node.string()
    if not _LOWER_IDENTIFIER.fullmatch(tag) or keyword.iskeyword(tag) or tag in _RESERVED_TAGS:
        raise node.error(f"tag {tag!r} is not a lowercase identifier free for a client attribute")
    if pascal_case(tag) in _ENDPOINTS_MODULE_NAMES:
        raise node.error(f"tag {tag!r} would name its class {pascal_case(tag)}, a name _endpoints.py already uses")
    return tag


def _location(location: str) -> Literal["path", "query"]:
    return "path" if location == "path" else "query"


def _types(schema: Node) -> list[str]:
    """`type` as a list: `string` → [string]; `[string, "null"]` as is."""
    kind = schema.require("type")
    if isinstance(kind.value, list):
        return [element.string() for element in kind.elements()]
    return [kind.string()]


def _nullable(type_: TypeRef, nullable: bool) -> TypeRef:
    return type_.or_none() if nullable else type_


def _pagination_styles(root: Node) -> dict[str, str]:
    """Each pagination style's name → the JSON name of its page's items array."""
    styles = root.require("x-tessera").get("pagination")
    if styles is None:
        return {}
    return {name: style.require("items").string() for name, style in styles.items()}


def _resources(root: Node, operations: tuple[Operation, ...]) -> tuple[Resource, ...]:
    """One resource per tag: tags in the order of the document's `tags` list, then of first use."""
    listed = root.get("tags")
    order = [tag.require("name").string() for tag in listed.elements()] if listed is not None else []
    order += [operation.tag for operation in operations if operation.tag not in order]
    return tuple(
        Resource(tag, tuple(operation for operation in operations if operation.tag == tag))
        for tag in order
        if any(operation.tag == tag for operation in operations)
    )
