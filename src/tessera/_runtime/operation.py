"""One operation of a spec, as the generated stubs hand it to the runtime."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from tessera._runtime.arguments import Parameter


@attrs.frozen
class Operation:
    """What the runtime needs to send one operation: built once per operation at import time."""

    operation_id: str
    method: str
    path: str
    """The path template under the base URL, with `{name}` placeholders for path parameters."""
    security: tuple[str, ...]
    """Security scheme names the operation accepts, in the spec's order; empty for no bearer (logins)."""
    retry_safe: bool
    """Idempotent methods, and POSTs the spec marks `x-tessera-retry-safe`."""
    pagination: str | None = None
    """The name of the spec's pagination style, for paginated operations."""
    parameters: tuple[Parameter, ...] = ()
    """Its parameters, as the spec declares them: what the runtime checks a call's values against."""
    body: Literal["json", "form", "multipart", "binary"] = "json"
    """How its request body goes: JSON, form fields, multipart parts, or a file's bytes as they are."""
    body_media_type: str = "application/json"
    """The Content-Type of a `binary` body (`application/octet-stream`, `image/png`, ...)."""
    response: Literal["json", "text", "binary"] = "json"
    """What its success answer is decoded into: a model (JSON), a str (`text/*`) or bytes (anything else)."""
    path_parameters: Mapping[str, Parameter] = attrs.field(init=False, repr=False, eq=False)
    query_parameters: Mapping[str, Parameter] = attrs.field(init=False, repr=False, eq=False)
    header_parameters: Mapping[str, Parameter] = attrs.field(init=False, repr=False, eq=False)
    cookie_parameters: Mapping[str, Parameter] = attrs.field(init=False, repr=False, eq=False)

    @path_parameters.default
    def _path_parameters(self) -> Mapping[str, Parameter]:
        return {parameter.name: parameter for parameter in self.parameters if parameter.location == "path"}

    @query_parameters.default
    def _query_parameters(self) -> Mapping[str, Parameter]:
        return {parameter.name: parameter for parameter in self.parameters if parameter.location == "query"}

    @header_parameters.default
    def _header_parameters(self) -> Mapping[str, Parameter]:
        return {parameter.name: parameter for parameter in self.parameters if parameter.location == "header"}

    @cookie_parameters.default
    def _cookie_parameters(self) -> Mapping[str, Parameter]:
        return {parameter.name: parameter for parameter in self.parameters if parameter.location == "cookie"}
