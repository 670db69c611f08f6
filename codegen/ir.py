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
from codegen.roles import request_only
from codegen.security import AuthClass

_RETRY_SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_DOCSTRING_WIDTH = 90
"""Docstring lines of a method (indented by 8) then fit the project's line length of 110."""
_MODULE_DOCSTRING_WIDTH = 104
"""A module's docstring (and, less their indent, a function's), as templates/_docstring.jinja2 wraps them."""


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
    kind: str | None = None
    """What a parameter of this type takes, as `_endpoints.py` writes it for the runtime (its `arguments`
    module): `arguments.STRING`, `arguments.EnumOf(models.DocStatus)`, `arguments.ListOf(arguments.INTEGER)`.
    None for what a URL cannot carry: an object, an array of arrays."""
    array: bool = False
    """`list[T]`: a query parameter's items are one pair each; a path parameter cannot be one."""
    union: bool = False
    """models.py writes it as an alias of a union (an inline `oneOf`/`anyOf`), which is no `type[T]`."""

    @property
    def annotation(self) -> str:
        return f"{self.expression} | None" if self.nullable else self.expression

    @property
    def decoded_as(self) -> str:
        """The type object handed to the runtime, whose `call` takes a `type[T]`: a union (`X | None` too)
        is none for mypy, so it is cast to what it stands for."""
        if self.nullable or self.union:
            return f'cast("type[{self.annotation}]", {self.annotation})'
        return self.annotation

    def list_of(self) -> TypeRef:
        """`list[T]`, with T's None kept inside: `list[str | None]`."""
        return TypeRef(
            f"list[{self.annotation}]",
            models=self.models,
            uses_datetime=self.uses_datetime,
            kind=f"arguments.ListOf({self.kind})" if self.kind is not None and not self.array else None,
            array=True,
        )

    def or_none(self) -> TypeRef:
        return attrs.evolve(self, nullable=True)


@attrs.frozen
class Parameter:
    """A path, query, header or cookie parameter: one keyword-only argument of the operation's method."""

    argument: str
    """The Python name, snake_case and clear of the method's other names."""
    wire_name: str
    """The spec's name, the key in the `path=`/`query=`/`headers=`/`cookies=` dict."""
    location: Literal["path", "query", "header", "cookie"]
    type: TypeRef
    required: bool
    description: str | None
    explode: bool = attrs.field()
    """The spec's `explode`; its default is true for the form style (query, cookie), false otherwise."""

    @explode.default
    def _default_explode(self) -> bool:
        return self.location in ("query", "cookie")

    @property
    def declaration(self) -> str:
        """`page: int | None = None` or `doc_token: str`."""
        if self.required:
            return f"{self.argument}: {self.type.annotation}"
        return f"{self.argument}: {self.type.or_none().annotation} = None"

    @property
    def description_source(self) -> str:
        """The runtime's description of it (`arguments.Parameter(...)`): what a call's value is checked against.

        Required means None is refused; a nullable parameter's None is left out of the query, since a URL
        cannot carry a null.
        """
        return (
            f"arguments.Parameter(name={self.wire_name!r}, argument={self.argument!r},"
            f" location={self.location!r}, kind={self.type.kind}, required={self.required and not self.type.nullable}"
            # Written only when not the location's default, which the runtime's Parameter takes too.
            + (f", explode={self.explode}" if self.explode != self._default_explode() else "")
            + ")"
        )


@attrs.frozen
class Body:
    """The request body: the `body=` argument."""

    type: TypeRef
    required: bool
    media: str = "json"
    """How it is sent (codegen/media.py): `json`, `form`, `multipart` or `binary` (a file's bytes as they are)."""
    media_type: str = "application/json"
    """The Content-Type a `binary` body goes with."""

    @property
    def runtime_source(self) -> str:
        """The runtime Operation's arguments for a body other than JSON; empty for JSON (its default)."""
        if self.media == "json":
            return ""
        media_type = f", body_media_type={self.media_type!r}" if self.media == "binary" else ""
        return f"body={self.media!r}{media_type}"

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
    """The success response's type (a model, `str` for text, `bytes` for anything else); None when it has
    no content."""
    pagination: Pagination | None
    response_media: str = "json"
    """What the success response is decoded from: `json`, `text` or `binary` (codegen/media.py)."""
    description: str | None = None
    """The operation's `description`: the method's docstring after the summary, paragraph by paragraph."""

    @property
    def downloads(self) -> bool:
        """A binary response: the operation also has a `<name>_to_file` method, streaming it to a file."""
        return self.response_media == "binary" and self.response is not None and self.pagination is None

    @property
    def download_method(self) -> str:
        return f"{self.operation_id}_to_file"

    @property
    def download_note(self) -> str:
        """What the `_to_file` method's docstring adds to the operation's."""
        return (
            "The answer's body is written to `destination` as it comes, not held in memory nor bounded by"
            " max_response_bytes (the timeout covers the whole download). Returns the number of bytes written."
        )

    @property
    def constant(self) -> str:
        """`_LIST_DOCS`: private, so a module of operations exports only its classes."""
        return "_" + self.operation_id.upper()

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
    def header_parameters(self) -> tuple[Parameter, ...]:
        return tuple(parameter for parameter in self.parameters if parameter.location == "header")

    @property
    def cookie_parameters(self) -> tuple[Parameter, ...]:
        return tuple(parameter for parameter in self.parameters if parameter.location == "cookie")

    @property
    def returns(self) -> str:
        """The method's return annotation."""
        if self.pagination is not None:
            return f"Pages[{self.pagination.page.annotation}, {self.pagination.item.annotation}]"
        return "None" if self.response is None else self.response.annotation

    @property
    def response_type(self) -> str:
        """The type object the runtime decodes the response into (`NoneType` for no content)."""
        return "NoneType" if self.response is None else self.response.decoded_as

    @property
    def docstring(self) -> str:
        """The summary, the description's paragraphs, then one line per described parameter (wrapped with a
        hanging indent)."""
        lines = [self.summary]
        for paragraph in _paragraphs(self.description) if self.description != self.summary else ():
            lines += ["", *textwrap.wrap(paragraph, _DOCSTRING_WIDTH, break_long_words=False, break_on_hyphens=False)]
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
    def read_types(self) -> tuple[TypeRef, ...]:
        """The types of what the vendor answers: the response, or the page and its items."""
        found = [] if self.response is None else [self.response]
        if self.pagination is not None:
            found += [self.pagination.page, self.pagination.item]
        return tuple(found)

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
    """The tag as the spec writes it (`API Keys`)."""
    operations: tuple[Operation, ...]
    attribute: str
    """The client's attribute that holds the group: `client.api_keys`."""
    class_name: str
    """The group's class in `_endpoints.py`: `APIKeys`."""


@attrs.frozen
class EventType:
    """A value of a webhook's event field that the spec knows."""

    value: str
    model: str | None
    """The class of models.py a discriminator maps the value to; None for a value of an enum or a const."""


@attrs.frozen
class Webhook:
    """An entry of the spec's `webhooks` section: a `parse_<name>` function of the vendor's webhooks.py."""

    name: str
    """The entry's key, a snake_case identifier."""
    summary: str
    model: str
    """The class of models.py the body decodes into."""
    event_field: str | None
    """`x-tessera-event-field`: the dotted path of the field that tells the event type."""
    event_types: tuple[EventType, ...] | None
    """The values the spec lists for the event field, in its order; None when the field takes any string (or
    there is none): then every body decodes into the model."""

    @property
    def function(self) -> str:
        return f"parse_{self.name}"

    @property
    def constant(self) -> str:
        """`_CONVERSATION_EVENT`: the runtime object behind the function."""
        return "_" + constant_case(self.name)

    @property
    def alias(self) -> str:
        """`ConversationEventWebhook`: the type the function returns."""
        return pascal_case(self.name) + "Webhook"

    @property
    def returns(self) -> str:
        """The alias's value: the model, or the model or an UnknownEvent when the event types are listed."""
        return self.model if self.event_types is None else f"{self.model} | UnknownEvent"

    @property
    def models(self) -> tuple[str, ...]:
        """The classes of models.py it names: the body's, then the discriminator's, each once."""
        named = [self.model, *(event.model for event in self.event_types or () if event.model is not None)]
        return tuple(dict.fromkeys(named))

    @property
    def event_type_values(self) -> tuple[str, ...]:
        return tuple(event.value for event in self.event_types or ())

    @property
    def outcome(self) -> str:
        """What the function returns, in words: the alias, then where the event type is and what it decides."""
        text = f"{self.alias} = {self.returns}."
        if self.event_field is None:
            return text
        if self.event_types is None:
            return (
                f"{text} The event type is at `{self.event_field}`, which takes any string: every event decodes"
                f" into {self.model}, an unknown type kept in the field."
            )
        known = ", ".join(
            event.value if event.model is None else f"{event.value} ({event.model})" for event in self.event_types
        )
        return (
            f"{text} The event type is at `{self.event_field}`: {known}. Any other type returns"
            " UnknownEvent(event_type, body), with the whole body kept."
        )

    @property
    def docstring(self) -> str:
        """The function's: the summary, then the outcome, wrapped (for an indent of 4)."""
        width = _MODULE_DOCSTRING_WIDTH - 4
        return "\n\n".join([_wrap(self.summary, width), _wrap(self.outcome, width)])


def _paragraphs(text: str | None) -> list[str]:
    """The text's paragraphs (blank-line separated), each on one line."""
    return [" ".join(block.split()) for block in (text or "").split("\n\n") if block.strip()]


def _wrap(text: str, width: int, indent: str = "") -> str:
    return "\n".join(
        textwrap.wrap(
            " ".join(text.split()),
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


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
    """The `_profile.py` data: plain JSON-like values, and the name of `_endpoints.py`'s operations."""
    webhooks: tuple[Webhook, ...] = ()
    """The `webhooks` section in the spec's order; webhooks.py is generated when there is one."""
    auth_classes: tuple[AuthClass, ...] = ()
    """An `<S>Auth` class of `__init__.py` per security scheme the client can send."""
    minted_scheme: str | None = None
    """The scheme of per-user tokens (`kind: minted`), whose Client gets `user_token()`."""
    notices: tuple[str, ...] = ()
    """What generating tells (`python -m codegen` prints them): where the client does other than the spec says."""

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(operation for resource in self.resources for operation in resource.operations)

    @property
    def uses_cast(self) -> bool:
        """A response type is cast (TypeRef.decoded_as), so the module imports `cast`."""
        return any(operation.response_type.startswith("cast(") for operation in self.operations)

    @property
    def uses_datetime(self) -> bool:
        return any(type_.uses_datetime for operation in self.operations for type_ in operation.types)

    @property
    def runtime_modules(self) -> tuple[str, ...]:
        """The runtime's modules `_endpoints.py` names: `arguments` for parameters, `uploads` for a body that is a
        file (`uploads.File`)."""
        uploads = any(operation.body is not None and operation.body.media == "binary" for operation in self.operations)
        return (*(["arguments"] if self.uses_parameters else []), *(["uploads"] if uploads else []))

    @property
    def uses_downloads(self) -> bool:
        """A `<name>_to_file` method takes an `os.PathLike`."""
        return any(operation.downloads for operation in self.operations)

    @property
    def upload_schemas(self) -> frozenset[str]:
        """The classes multipart bodies take: their binary fields are files (`uploads.File`), not bytes."""
        return frozenset(
            name
            for operation in self.operations
            if operation.body is not None and operation.body.media == "multipart"
            for name in operation.body.type.models
        )

    @property
    def uses_parameters(self) -> bool:
        return any(operation.parameters for operation in self.operations)

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
        """Every class the operations and the webhooks take from models.py."""
        operations = (name for operation in self.operations for type_ in operation.types for name in type_.models)
        return frozenset(operations) | frozenset(self.webhook_models)

    @property
    def page_models(self) -> frozenset[str]:
        """The classes paginated operations answer with: they derive from the runtime's Page (navigation)."""
        return frozenset(name for op in self.operations if op.pagination for name in op.pagination.page.models)

    @property
    def request_only_schemas(self) -> frozenset[str]:
        """The schemas only request bodies reach: their enum fields are closed (see roles.py)."""
        written = [name for operation in self.operations if operation.body for name in operation.body.type.models]
        read = [name for webhook in self.webhooks for name in webhook.models]
        read += [name for operation in self.operations for type_ in operation.read_types for name in type_.models]
        return request_only(self.schemas, written, read)

    @property
    def webhook_models(self) -> tuple[str, ...]:
        """The classes webhooks.py imports from models.py, sorted."""
        return tuple(sorted({name for webhook in self.webhooks for name in webhook.models}))

    @property
    def uses_unknown_event(self) -> bool:
        """A webhook lists its event types, so an unlisted one comes back as an UnknownEvent."""
        return any(webhook.event_types is not None for webhook in self.webhooks)

    @property
    def webhook_exports(self) -> tuple[str, ...]:
        """webhooks.py's `__all__` (ruff sorts it): its functions and aliases, the models it names, UnknownEvent."""
        names = ["parse", *self.webhook_models, *(["UnknownEvent"] if self.uses_unknown_event else [])]
        for webhook in self.webhooks:
            names += [webhook.function, webhook.alias]
        return tuple(sorted(names))

    @property
    def webhooks_docstring(self) -> str:
        """webhooks.py's docstring: how to call it, then one paragraph per webhook."""
        first = self.webhooks[0]
        lines = [
            f"Webhooks of {self.source}: the bodies {self.vendor} posts to your endpoints, decoded into models.",
            "",
            _wrap(
                f"Each webhook of the spec has `parse_<name>(body)`; `parse(body)` is the first one's,"
                f" `{first.function}`. A body is the request's bytes, its text, or its JSON already decoded into a"
                " mapping. A body that is not a JSON object, or an event that does not fit its model, raises"
                " tessera.errors.DecodeError naming the field (`$.a.b[0]`).",
                _MODULE_DOCSTRING_WIDTH,
            ),
        ]
        for webhook in self.webhooks:
            lines += ["", f"{webhook.name}: {webhook.function}(body) -> {webhook.alias}"]
            lines += [
                _wrap(webhook.summary, _MODULE_DOCSTRING_WIDTH, "    "),
                _wrap(webhook.outcome, _MODULE_DOCSTRING_WIDTH, "    "),
            ]
        return "\n".join(lines)
