"""A spec document → the IR (ir.py). Every problem is a SpecError naming the file and the JSON pointer."""

from __future__ import annotations

import keyword
import re
import typing
from pathlib import PurePosixPath
from typing import Any, Literal

import attrs

from codegen.classes import SCHEMA_REF, schema_classes, with_class_references
from codegen.document import Node, resolve
from codegen.extensions import check_extensions
from codegen.inline import InlineSchemas, makes_a_union, needs_a_name
from codegen.ir import Body, Operation, Pagination, Parameter, Resource, Spec, TypeRef
from codegen.media import request_media, response_media
from codegen.names import class_name, free_name, pascal_case, snake_case
from codegen.profile import profile_data
from codegen.security import read_security
from codegen.webhooks import read_webhooks

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_LOWER_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_PARAMETER_REF = "#/components/parameters/"
_LOCATIONS = ("path", "query", "header", "cookie")
"""Where a parameter goes, in the order its arguments lead a method's signature."""
_DEFAULT_STYLES = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
"""The style each location takes by default: the one the runtime writes."""
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""An HTTP token (RFC 9110): what a header's or a cookie's name must be."""
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
"""Header parameters OpenAPI says to ignore: the runtime (the body, the credential) sets these headers."""

_RESERVED_ARGUMENTS = frozenset(
    {
        "self",
        "body",
        "send_unknown_fields",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
        "max_response_bytes",
        "destination",
        "models",
        "uploads",
        "os",
    }
)
"""Names a method already uses: its own arguments (a `_to_file` method's `destination` too), and the modules
its body and signature read."""
_ENDPOINTS_MODULE_NAMES = frozenset(
    {
        "Api",
        "BaseClient",
        "NOT_GIVEN",
        "NoneType",
        "NotGiven",
        "OPERATIONS",
        "Operation",
        "Pages",
        "Requester",
        "Resource",
    }
)
"""Names `_endpoints.py` defines or imports, which a tag's class must not take."""
_RESERVED_METHODS = frozenset({"_requester"})
"""The attribute every group of operations (the runtime's Resource) has, which a method must not hide."""
_RESERVED_TAGS = frozenset({"aclose"})
"""Attributes of the runtime's BaseClient, which a tag's attribute must not hide."""
_UNTAGGED = "default"
"""The group of the operations that have no tag: `client.default.<operation>()`."""

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_BINARY_FORMATS = frozenset({"binary", "byte"})
"""String formats of bytes: base64 text inside JSON (and `contentEncoding: base64`)."""
_DATETIME_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date"}
_PRIMITIVE_KINDS = {"string": "STRING", "integer": "INTEGER", "number": "NUMBER", "boolean": "BOOLEAN"}
_DATETIME_KINDS = {"date-time": "DATE_TIME", "date": "DATE"}
"""The runtime's parameter kinds (tessera._runtime.arguments) of each type and format."""


def parse_spec(root: Node) -> Spec:
    """Read one spec document into the IR."""
    vendor = _vendor(root)
    components = root.get("components")
    schemas_node = components.get("schemas") if components is not None else None
    spec_schemas = dict(schemas_node.mapping()) if schemas_node is not None else {}
    classes = schema_classes(spec_schemas)
    schemas = {classes[name]: with_class_references(schema, classes) for name, schema in spec_schemas.items()}
    reader = _OperationReader(root, schemas, classes)
    operations = reader.operations()
    check_extensions(root, reader.method_names)
    security = read_security(root, {name for operation in operations for name in operation.security})
    return Spec(
        vendor=vendor,
        source=root.source,
        resources=_resources(root, operations),
        schemas=schemas,
        profile=profile_data(root, vendor, reader.method_names, security.kept),
        webhooks=read_webhooks(root, classes, reader.inline_schemas),
        auth_classes=security.auth_classes,
        minted_scheme=security.minted_scheme,
        notices=(*reader.notices, *security.notices),
    )


def _vendor(root: Node) -> str:
    """`x-tessera.vendor`, or else the package named after the spec's file: `oai-petstore.yaml` → `oai_petstore`."""
    extension = root.get("x-tessera")
    vendor_node = extension.get("vendor") if extension is not None else None
    if vendor_node is None:
        return snake_case(PurePosixPath(root.source).stem)
    vendor = vendor_node.string()
    if not _LOWER_IDENTIFIER.fullmatch(vendor) or keyword.iskeyword(vendor):
        raise vendor_node.error(f"vendor {vendor!r} is not a lowercase Python identifier")
    return vendor


class _OperationReader:
    """Reads the operations of one document, naming the enums of parameters as it goes."""

    def __init__(self, root: Node, schemas: dict[str, object], classes: dict[str, str]) -> None:
        self._root = root
        self._schemas = schemas
        """By class name; shared with the Spec: the named enums of inline parameter enums are added to it."""
        self._classes = classes
        """Each schema's name in the spec → its class."""
        self._named_enums: dict[str, object] = {}
        self.inline_schemas = InlineSchemas(schemas, classes)
        """Where inline schemas become classes of models.py (the webhooks' too)."""
        self._security_schemes = self._scheme_names()
        self._default_security = self._security(root.get("security"), ())
        self._pagination_styles = _pagination_styles(root)
        self.notices: list[str] = []
        """What generating tells of the operations (Spec.notices)."""
        self.method_names: dict[str, str] = {}
        """Each operationId of the spec → its method's name, once `operations()` has run."""

    def operations(self) -> tuple[Operation, ...]:
        found: list[tuple[str, str, Node, Node]] = []
        seen: set[str] = set()
        for path, path_item in self._root.require("paths").items():
            if not path.startswith("/"):
                raise path_item.error(f"path {path!r} does not start with '/'")
            item = self._resolve(path_item)
            for method, operation_node in item.items():
                if method not in _METHODS:
                    continue  # parameters, summary, servers, x-...
                id_node = operation_node.get("operationId")
                if id_node is not None:
                    if id_node.string() in seen:
                        raise operation_node.error(f"operationId {id_node.string()!r} is used twice")
                    seen.add(id_node.string())
                found.append((path, method, item, operation_node))
        names = _method_names([(path, method, node.get("operationId")) for path, method, _, node in found])
        for name, (_, _, _, node) in zip(names, found, strict=True):
            id_node = node.get("operationId")
            if id_node is not None:
                self.method_names[id_node.string()] = name
        return tuple(
            self._operation(name, path, method.upper(), item, node)
            for name, (path, method, item, node) in zip(names, found, strict=True)
        )

    def _operation(self, operation_id: str, path: str, method: str, path_item: Node, node: Node) -> Operation:
        tags = node.get("tags")
        first_tag = next(tags.elements(), None) if tags is not None else None
        tag = first_tag.string() if first_tag is not None else _UNTAGGED
        retry_safe = node.flag("x-tessera-retry-safe")
        body = self._body(node.get("requestBody"), pascal_case(operation_id) + "Body")
        response_kind, response_schema, response = self._success(
            node.require("responses"), pascal_case(operation_id) + "Response"
        )
        pagination = self._pagination(node, response_schema if response_kind == "json" else None, response)
        if pagination is not None and body is not None:
            raise node.error("a paginated operation cannot take a body: the runtime pages through query parameters")
        return Operation(
            operation_id=operation_id,
            method=method,
            path=path,
            tag=tag,
            summary=node.optional_string("summary") or f"`{method} {path}`",
            description=node.optional_string("description"),
            security=self._security(node.get("security"), self._default_security),
            retry_safe_marked=bool(retry_safe),
            parameters=self._parameters(operation_id, path_item, node),
            body=body,
            response=response,
            pagination=pagination,
            response_media=response_kind,
        )

    def _parameters(self, operation_id: str, path_item: Node, node: Node) -> tuple[Parameter, ...]:
        """Path-level parameters, overridden by the operation's of the same name and location."""
        declared: dict[tuple[str, str], tuple[Node, str | None]] = {}
        for holder in (path_item, node):
            listed = holder.get("parameters")
            for reference in listed.elements() if listed is not None else ():
                resolved = self._resolve(reference)
                key = (resolved.require("name").string(), resolved.require("in").string())
                if key[1] == "header" and key[0].lower() in _IGNORED_HEADERS:
                    continue
                if key[1] in ("header", "cookie") and not _TOKEN.fullmatch(key[0]):
                    self._left_out(resolved, key)
                    continue
                declared[key] = (resolved, self._parameter_component(reference))
        read = [self._parameter(operation_id, resolved, component) for resolved, component in declared.values()]
        # Path parameters lead the signature, then query, header, cookie; within a location the spec's order.
        ordered = [p for location in _LOCATIONS for p in read if p.location == location]
        taken = set(_RESERVED_ARGUMENTS)
        arguments: list[Parameter] = []
        for parameter in ordered:
            argument = parameter.argument
            while argument in taken:
                argument += "_"
            taken.add(argument)
            arguments.append(attrs.evolve(parameter, argument=argument))
        return tuple(arguments)

    def _left_out(self, node: Node, key: tuple[str, str]) -> None:
        """A header or cookie parameter whose name no request can carry: a required one is a SpecError; an
        optional one is left out of the methods that declare it, which generating tells once per parameter."""
        name = node.require("name")
        if node.flag("required"):
            raise name.error(
                f"{key[0]!r} is not a {key[1]}'s name: an HTTP token (letters, digits and !#$%&'*+-.^_`|~)"
            )
        notice = name.notice(
            f"{key[0]!r} is not a {key[1]}'s name (an HTTP token): the optional parameter is left out of the"
            " methods that declare it"
        )
        if notice not in self.notices:
            self.notices.append(notice)

    def _parameter(self, operation_id: str, node: Node, component: str | None) -> Parameter:
        name = node.require("name").string()
        location_node = node.require("in")
        location = location_node.string()
        if location not in _LOCATIONS:
            raise location_node.error(f"a parameter is in path, query, header or cookie, not {location!r}")
        style = node.optional_string("style") or _DEFAULT_STYLES[location]
        if style != _DEFAULT_STYLES[location]:
            raise node.require("style").error(
                f"style {style!r} is not supported in {location}: the runtime writes the default,"
                f" {_DEFAULT_STYLES[location]!r}"
            )
        required = bool(node.flag("required"))
        if location == "path" and not required:
            raise node.error("a path parameter must be `required: true`")
        # An inline enum becomes a class of models.py, named after the shared parameter when it is one.
        enum_name = pascal_case(component) if component else pascal_case(operation_id) + pascal_case(name)
        schema = node.require("schema")
        type_ = self._type(schema, enum_name=enum_name, enum_values=True)
        if type_.kind is None and location == "query":
            type_ = self._object_parameter(schema, type_, enum_name)
        if type_.kind is None:
            raise schema.error(
                "a parameter must be a string (a date or date-time too), an integer, a number, a boolean, an enum,"
                " an array of one of these, or in a query an object of them: the runtime checks and writes its"
                " values in the URL"
            )
        explode = node.flag("explode")
        return Parameter(
            argument=snake_case(name),
            wire_name=name,
            location=_location(location),
            type=type_,
            required=required,
            description=node.optional_string("description"),
            explode=style == "form" if explode is None else explode,
        )

    def _body(self, node: Node | None, inline_name: str) -> Body | None:
        if node is None:
            return None
        request_body = self._resolve(node)
        required = request_body.flag("required") is not False
        media = request_media(request_body.require("content"))
        if media.kind == "binary":
            return Body(TypeRef("uploads.File"), required, "binary", media.media_type)
        if media.schema is None:
            raise request_body.require("content").error(f"{media.media_type} content needs a schema")
        type_ = self._type(media.schema, inline_name)
        if media.kind != "json" and (type_.array or not type_.models):
            raise media.schema.error(
                f"a body sent as {media.media_type} must be an object: its properties are the fields"
            )
        return Body(type_, required, media.kind, media.media_type)

    def _success(self, responses: Node, inline_name: str) -> tuple[str, Node | None, TypeRef | None]:
        """The success response's kind (json, text, binary), JSON schema and type: that of the first 2xx
        status with content (or else of `default`), None for none; `X | None` when another 2xx has none.
        """
        successes = sorted((status, node) for status, node in responses.items() if status.startswith("2"))
        if not successes:
            default = responses.get("default")
            if default is None:
                raise responses.error("an operation needs a 2xx or a default response")
            successes = [("default", default)]
        contents = [self._resolve(node).get("content") for _, node in successes]
        with_content = [content for content in contents if content is not None and content.mapping()]
        if not with_content:
            return "json", None, None
        media = response_media(with_content[0])
        may_be_empty = len(with_content) < len(contents)
        if media.kind == "json":
            if media.schema is None:
                raise with_content[0].error(f"{media.media_type} content needs a schema")
            response = self._type(media.schema, inline_name)
        else:
            response = TypeRef("str" if media.kind == "text" else "bytes")
        return media.kind, media.schema, response.or_none() if may_be_empty else response

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
        inline_array = items.get("$ref") is None
        items = self._resolve(items)
        if "array" not in _types(items):
            raise items.error(f"the {items_field!r} property of a page must be an array")
        item = items.require("items")
        if not (inline_array and item.get("$ref") is None and needs_a_name(item.mapping())):
            return Pagination(style=style, page=page_type, item=self._type(item))
        return Pagination(style=style, page=page_type, item=self._named_page_item(page_type, items_field, item))

    def _named_page_item(self, page_type: TypeRef, items_field: str, item: Node) -> TypeRef:
        """The inline schema of a page's items as a class of its own (`PetPageResultsItem`), which the page's
        array then `$ref`s: the page's field and the pages' items are one type."""
        (page_class,) = page_type.models
        item_type = self.inline_schemas.type_of(item, page_class + class_name(items_field) + "Item")
        (item_class,) = item_type.models
        page = dict(typing.cast("dict[str, Any]", self._schemas[page_class]))
        array = dict(page["properties"][items_field])
        page["properties"] = {**page["properties"], items_field: {**array, "items": {"$ref": SCHEMA_REF + item_class}}}
        self._schemas[page_class] = page
        return attrs.evolve(item_type, nullable=False)

    def _type(  # noqa: PLR0911 - one return per kind of schema
        self, schema: Node, enum_name: str | None = None, *, enum_values: bool = False
    ) -> TypeRef:
        """The Python type of a parameter's, body's or response's schema.

        `enum_name`: the class an inline enum, object, map or composition becomes (see inline.py); an
        array's items take it with `Item` added.
        `enum_values`: an enum is typed to take its values too (`models.DocStatus | models.DocStatusValue`,
        the Literal alias models.py writes beside each enum), as a parameter does.
        """
        reference = schema.get("$ref")
        if reference is not None:
            return self._referenced(reference, enum_values=enum_values)
        values = schema.get("enum")
        if values is not None and values.value in ([True, False], [False, True]):
            return TypeRef("bool", kind="arguments.BOOLEAN")  # both booleans: no enum needed
        if values is not None:
            return _enum(self._named_enum(schema, enum_name), enum_values=enum_values)
        options = _options(schema)
        if enum_values and options is not None:
            return self._parameter_union(options, enum_name)
        if enum_name is not None and needs_a_name(schema.mapping()):
            return self.inline_schemas.type_of(schema, enum_name)
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
        formatted = _formatted_string(schema) if kind == "string" else None
        if formatted is not None:
            return _nullable(formatted, nullable)
        if kind not in _PRIMITIVES:
            raise schema.error(f"an inline {kind!r} schema needs a name: move it to components/schemas")
        return TypeRef(_PRIMITIVES[kind], nullable=nullable, kind=f"arguments.{_PRIMITIVE_KINDS[kind]}")

    def _object_parameter(self, schema: Node, type_: TypeRef, name: str) -> TypeRef:
        """A query parameter's object (form style: `a=1&b=x` exploded, else `name=a,1,b,x`) whose properties are
        each what a URL carries on its own; `type_` unchanged (no kind) for any other schema."""
        resolved = self._resolve(schema)
        properties = resolved.get("properties")
        if properties is None or type_.nullable or not type_.models or "object" not in _types(resolved):
            return type_
        kinds: list[str] = []
        models = set(type_.models)
        for key, property_ in properties.items():
            member = self._type(property_, name + pascal_case(key), enum_values=True)
            if member.kind is None or member.array:
                return type_
            kinds.append(f"{key!r}: {member.kind}")
            models |= member.models
        return attrs.evolve(
            type_, models=frozenset(models), kind=f"arguments.ObjectOf({type_.expression}, {{{', '.join(kinds)}}})"
        )

    def _parameter_union(self, options: list[Node], name: str | None) -> TypeRef:
        """A parameter's `oneOf`/`anyOf` (or type list) as a union written in the signature (`datetime.date |
        datetime.datetime`), its value checked against each member in turn (arguments.AnyOf); a null member
        makes it nullable. Each member must be what a URL carries on its own: no array, no object."""
        members: list[TypeRef] = []
        nullable = False
        for number, option in enumerate(options, start=1):
            if option.mapping().get("type") == "null":
                nullable = True
                continue
            member = self._type(option, f"{name}Option{number}" if name else None, enum_values=True)
            if member.kind is None or member.array:
                raise option.error(
                    "a member of a parameter's oneOf/anyOf must be a string (a date or date-time too), an integer,"
                    " a number, a boolean or an enum: the runtime checks and writes its value in the URL"
                )
            nullable = nullable or member.nullable
            members.append(member)
        if len(members) == 1:
            return _nullable(members[0], nullable)
        return TypeRef(
            " | ".join(member.expression for member in members),
            nullable=nullable,
            models=frozenset().union(*(member.models for member in members)),
            uses_datetime=any(member.uses_datetime for member in members),
            kind=f"arguments.AnyOf({', '.join(str(member.kind) for member in members)})",
        )

    def _referenced(self, reference: Node, *, enum_values: bool) -> TypeRef:
        """The type of the schema a `$ref` names under components/schemas."""
        target = reference.string()
        if not target.startswith(SCHEMA_REF):
            raise reference.error(f"expected a reference to {SCHEMA_REF}<Name>, found {target!r}")
        spec_name = target.removeprefix(SCHEMA_REF)
        if spec_name not in self._classes:
            raise reference.error(f"no schema {spec_name!r} under components/schemas")
        name = self._classes[spec_name]
        target_schema = self._schemas[name]
        if isinstance(target_schema, dict) and "enum" in target_schema:
            if not [value for value in target_schema["enum"] if value is not None]:
                # models.py writes it as an alias of None. Alone, a parameter of it is never sent (a null is
                # left out of a URL); as an array's items, each is an empty value (`name=&name=`).
                return TypeRef(f"models.{name}", nullable=True, models=frozenset({name}), kind="arguments.NULL")
            return _enum(name, enum_values=enum_values)
        union = isinstance(target_schema, dict) and makes_a_union(target_schema)
        return TypeRef(f"models.{name}", models=frozenset({name}), union=union)

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
            if len(requirement.mapping()) > 1:
                # Each call is sent with one credential; sending one of two required would earn a 401.
                raise requirement.error("a requirement of several schemes at once is not supported: list them apart")
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


def _method_names(operations: list[tuple[str, str, Node | None]]) -> list[str]:
    """Each operation's method: its operationId in snake_case (`findPetsByStatus` → `find_pets_by_status`), or
    without one, its method and path (`get /pets/{petId}` → `get_pets_pet_id`).

    A name two operations would share, or a keyword, takes a `_`; the operations are named in the document's
    order, those whose operationId is already a free snake_case name first, so they never change.
    """
    wanted = [
        snake_case(id_node.string()) if id_node is not None else snake_case(f"{method} {path}")
        for path, method, id_node in operations
    ]
    kept = {
        index
        for index, (_, _, id_node) in enumerate(operations)
        if id_node is not None and id_node.string() == wanted[index]
    }
    taken = set(_RESERVED_METHODS)
    names: dict[int, str] = {}
    for index in [*sorted(kept), *(index for index in range(len(operations)) if index not in kept)]:
        names[index] = free_name(wanted[index], taken)
        taken.add(names[index])
    return [names[index] for index in range(len(operations))]


def _location(location: str) -> Literal["path", "query", "header", "cookie"]:
    if location == "path":
        return "path"
    if location == "header":
        return "header"
    return "cookie" if location == "cookie" else "query"


def _options(schema: Node) -> list[Node] | None:
    """The members of a `oneOf`/`anyOf`, or of a type list (`type: [number, string]`, each with the schema's
    other keywords); None for a schema of one type (`[T, "null"]` included)."""
    for composition in ("oneOf", "anyOf"):
        found = schema.get(composition)
        if found is not None:
            return list(found.elements())
    kind = schema.mapping().get("type")
    if not isinstance(kind, list) or len([item for item in kind if item != "null"]) < 2:
        return None
    return [Node({**schema.mapping(), "type": item}, schema.source, schema.path) for item in kind]


def _types(schema: Node) -> list[str]:
    """`type` as a list: `string` → [string]; `[string, "null"]` as is."""
    kind = schema.require("type")
    if isinstance(kind.value, list):
        return [element.string() for element in kind.elements()]
    return [kind.string()]


def _formatted_string(schema: Node) -> TypeRef | None:
    """A string's type by its format: bytes (base64 in JSON), a date or a date-time; None for a plain str."""
    format_ = schema.optional_string("format")
    if format_ in _BINARY_FORMATS or schema.optional_string("contentEncoding") == "base64":
        return TypeRef("bytes")
    if format_ in _DATETIME_FORMATS:
        return TypeRef(_DATETIME_FORMATS[format_], uses_datetime=True, kind=f"arguments.{_DATETIME_KINDS[format_]}")
    return None


def _nullable(type_: TypeRef, nullable: bool) -> TypeRef:
    return type_.or_none() if nullable else type_


def _pagination_styles(root: Node) -> dict[str, str]:
    """Each pagination style's name → the JSON name of its page's items array."""
    extension = root.get("x-tessera")
    styles = extension.get("pagination") if extension is not None else None
    if styles is None:
        return {}
    return {name: style.require("items").string() for name, style in styles.items()}


def _resources(root: Node, operations: tuple[Operation, ...]) -> tuple[Resource, ...]:
    """One resource per tag: tags in the order of the document's `tags` list, then of first use.

    A tag's attribute is its snake_case form and its class its PascalCase form (`API Keys` → `client.api_keys`,
    `APIKeys`), each with a `_` added when a keyword, a name the client or `_endpoints.py` has, or an earlier
    tag's takes it.
    """
    listed = root.get("tags")
    listed_names = [tag.require("name").string() for tag in listed.elements()] if listed is not None else []
    used = dict.fromkeys(operation.tag for operation in operations)
    order = [tag for tag in dict.fromkeys(listed_names) if tag in used]
    order += [tag for tag in used if tag not in listed_names]
    attributes = set(_RESERVED_TAGS)
    classes = set(_ENDPOINTS_MODULE_NAMES)
    resources: list[Resource] = []
    for tag in order:
        attribute = free_name(snake_case(tag), attributes)
        class_ = free_name(class_name(tag), classes)
        attributes.add(attribute)
        classes.add(class_)
        resources.append(
            Resource(tag, tuple(operation for operation in operations if operation.tag == tag), attribute, class_)
        )
    return tuple(resources)
