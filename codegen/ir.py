"""What the templates need of a spec, computed once: names, type expressions, signatures.

Parsing (parse.py) builds these frozen objects; the templates only loop over them. Type expressions
are written as the generated `_endpoints.py` spells them (`models.DocStatus`, `list[str]`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Literal

import attrs

from codegen.names import constant_case, pascal_case

_RETRY_SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_DOCSTRING_WIDTH = 90
"""Docstring lines of a method (indented by 8) then fit the project's line length of 110."""


@attrs.frozen
class TypeRef:
    """A Python type of a parameter, body or response, as `_endpoints.py` writes it."""

    expression: str
    """The type without its None: `models.Doc`, `list[models.Doc]`, `datetime.date`, `str`."""
    nullable: bool = False
    """The spec allows null (`type: [T, "null"]`)."""
    models: frozenset[str] = frozenset()
    """Class names it takes from models.py, checked against what datamodel-code-generator wrote."""
    uses_datetime: bool = False
    """It names `datetime.date` or `datetime.datetime`, so the module imports datetime."""

    @property
    def annotation(self) -> str:
        return f"{self.expression} | None" if self.nullable else self.expression

    def list_of(self) -> TypeRef:
        """`list[T]`, with T's None kept inside: `list[str | None]`."""
        return TypeRef(f"list[{self.annotation}]", models=self.models, uses_datetime=self.uses_datetime)

    def or_none(self) -> TypeRef:
        return attrs.evolve(self, nullable=True)


@attrs.frozen
class Parameter:
    """A path or query parameter: one keyword-only argument of the operation's method."""

    argument: str
    """The Python name, snake_case and clear of the method's other names."""
    wire_name: str
    """The spec's name, the key in the `path=`/`query=` dict."""
    location: Literal["path", "query"]
    type: TypeRef
    required: bool
    description: str | None

    @property
    def declaration(self) -> str:
        """`page: int | None = None` or `doc_token: str`."""
        if self.required:
            return f"{self.argument}: {self.type.annotation}"
        return f"{self.argument}: {self.type.or_none().annotation} = None"


@attrs.frozen
class Body:
    """The JSON request body: the `body=` argument."""

    type: TypeRef
    required: bool

    @property
    def declaration(self) -> str:
        if self.required:
            return f"body: {self.type.annotation}"
        return f"body: {self.type.or_none().annotation} = None"


@attrs.frozen
class Pagination:
    """A paginated operation's style and the types of its pages and of their items."""

    style: str
    page: TypeRef
    item: TypeRef


@attrs.frozen
class Operation:
    """One operationId: a module-level `Operation` constant and a method of its tag's class."""

    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    security: tuple[str, ...]
    """Security scheme names in the spec's order; empty for `security: []`."""
    retry_safe_marked: bool
    """`x-tessera-retry-safe: true`: a POST (or PATCH) the vendor treats as idempotent."""
    parameters: tuple[Parameter, ...]
    body: Body | None
    response: TypeRef | None
    """The success response's JSON type; None when it has no content."""
    pagination: Pagination | None

    @property
    def constant(self) -> str:
        """`_LIST_DOCS`: private, so a module of operations exports only its classes."""
        return "_" + constant_case(self.operation_id)

    @property
    def retry_safe(self) -> bool:
        return self.method in _RETRY_SAFE_METHODS or self.retry_safe_marked

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(parameter for parameter in self.parameters if parameter.location == "path")

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        return tuple(parameter for parameter in self.parameters if parameter.location == "query")

    @property
    def returns(self) -> str:
        """The method's return annotation."""
        if self.pagination is not None:
            return f"Pages[{self.pagination.page.annotation}, {self.pagination.item.annotation}]"
        return "None" if self.response is None else self.response.annotation

    @property
    def response_type(self) -> str:
        """The type object the runtime decodes the response into (`NoneType` for no content)."""
        return "NoneType" if self.response is None else self.response.annotation

    @property
    def docstring(self) -> str:
        """The summary, then one line per described parameter (wrapped with a hanging indent)."""
        lines = [self.summary]
        described = [parameter for parameter in self.parameters if parameter.description]
        if described:
            lines += ["", "Args:"]
            for parameter in described:
                text = f"{parameter.argument}: {' '.join(str(parameter.description).split())}"
                lines += textwrap.wrap(
                    text,
                    _DOCSTRING_WIDTH,
                    initial_indent="    ",
                    subsequent_indent="        ",
                    break_long_words=False,
                )
        return "\n".join(lines)

    @property
    def types(self) -> tuple[TypeRef, ...]:
        """Every type the method names."""
        found = [parameter.type for parameter in self.parameters]
        if self.body is not None:
            found.append(self.body.type)
        if self.response is not None:
            found.append(self.response)
        if self.pagination is not None:
            found += [self.pagination.page, self.pagination.item]
        return tuple(found)


@attrs.frozen
class Resource:
    """The operations of one tag: a `Resource` subclass, bound as an attribute of the `Api` class."""

    tag: str
    operations: tuple[Operation, ...]

    @property
    def class_name(self) -> str:
        return pascal_case(self.tag)

    @property
    def attribute(self) -> str:
        """Tags are lowercase identifiers (specs/README.md), so the tag is the attribute: `client.docs`."""
        return self.tag


@attrs.frozen
class Spec:
    """One vendor's spec, ready to render."""

    vendor: str
    """The package name under the output root (`x-tessera.vendor`)."""
    source: str
    """The spec as the generated headers name it: `specs/zapsign.yaml`."""
    resources: tuple[Resource, ...]
    schemas: Mapping[str, object]
    """`components/schemas`, plus a named enum for each inline enum of a parameter."""
    profile: Mapping[str, object]
    """The `_profile.py` data: plain JSON-like values."""

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(operation for resource in self.resources for operation in resource.operations)

    @property
    def uses_datetime(self) -> bool:
        return any(type_.uses_datetime for operation in self.operations for type_ in operation.types)

    @property
    def uses_pages(self) -> bool:
        return any(operation.pagination is not None for operation in self.operations)

    @property
    def uses_none_type(self) -> bool:
        return any(operation.response is None and operation.pagination is None for operation in self.operations)

    @property
    def uses_models(self) -> bool:
        return any(type_.models for operation in self.operations for type_ in operation.types)

    @property
    def model_names(self) -> frozenset[str]:
        """Every class the operations take from models.py."""
        return frozenset(name for operation in self.operations for type_ in operation.types for name in type_.models)
