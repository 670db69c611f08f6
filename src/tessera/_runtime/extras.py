"""What a call or a client adds to a request beyond its spec: headers, query pairs, body members, User-Agent.

Escape hatches for what a spec lacks (a header the vendor added, a beta field), as openai-python has them:
`extra_headers=`, `extra_query=` and `extra_body=` per call, `default_headers=` per client. Each is checked
before anything is sent, like a spec parameter, and a refusal names the argument but never a value (a
header may hold a key).

Headers, from lowest to highest: tessera's User-Agent, the client's `default_headers`, the spec's header
and cookie parameters, the call's `extra_headers`, then the credential's headers, which always win.
"""

from __future__ import annotations

import json
import platform
import re
from collections.abc import Mapping
from typing import Final, cast

import aiohttp

from tessera._runtime.arguments import BOOLEAN, HEADER_BREAKS, NUMBER, STRING, encodable
from tessera.errors import ConfigurationError, InvalidArgument

HEADER_NAME: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""An HTTP header name (RFC 9110's token): anything else would be refused by a server, or split the line."""
_SCALARS: Final = (STRING, NUMBER, BOOLEAN)
"""What a query value may be: written as a spec parameter of that type is (`True` as `true`)."""


def user_agent() -> str:
    """`aiotessera/<version> python/<x.y> aiohttp/<version>`: the distribution, not the import name."""
    from tessera import __version__  # noqa: PLC0415 - tessera/__init__ imports the runtime: read at call time

    python = ".".join(platform.python_version_tuple()[:2])
    return f"aiotessera/{__version__} python/{python} aiohttp/{aiohttp.__version__}"


def merged_headers(*layers: Mapping[str, str] | None) -> Mapping[str, str]:
    """The layers' headers, a later layer's replacing an earlier one's of the same name in any case."""
    given = [layer for layer in layers if layer]
    if len(given) <= 1:  # most calls: the client's headers alone, then its credential's over them
        return given[0] if given else {}
    merged: dict[str, tuple[str, str]] = {}
    for layer in given:
        for name, value in layer.items():
            merged[name.lower()] = (name, value)
    return dict(merged.values())


def default_headers(value: object) -> dict[str, str]:
    """A client's `default_headers=`, or ConfigurationError naming what is wrong."""
    problem = _header_problem(value, "default_headers")
    if problem is not None:
        raise ConfigurationError(problem)
    return dict(cast("Mapping[str, str]", value))


def extra_headers(value: object, *, vendor: str, operation: str) -> Mapping[str, str]:
    """A call's `extra_headers=`, or InvalidArgument naming it."""
    problem = _header_problem(value, "extra_headers")
    if problem is not None:
        raise InvalidArgument(problem, argument="extra_headers", vendor=vendor, operation=operation)
    return cast("Mapping[str, str]", value)


def _header_problem(value: object, argument: str) -> str | None:
    """What makes `value` no mapping of header names to values; only names and types are told, never a value."""
    if not isinstance(value, Mapping):
        return f"{argument} must be a mapping of header names to str values, not {type(value).__name__}"
    for name, text in value.items():
        if not isinstance(name, str) or HEADER_NAME.fullmatch(name) is None:
            shown = repr(name) if isinstance(name, str) else type(name).__name__
            return f"{argument}: {shown} is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)"
        if not isinstance(text, str):
            return f"{argument}: the value of {name} must be a str, not {type(text).__name__}"
        if HEADER_BREAKS.search(text) or not encodable(text):
            return f"{argument}: the value of {name} must not contain CR, LF, NUL or a lone surrogate"
    return None


def extra_query(value: object, *, vendor: str, operation: str) -> list[tuple[str, str]]:
    """A call's `extra_query=` as `(name, value)` pairs: a list's items one pair each, None left out."""

    def refused(message: str) -> InvalidArgument:
        return InvalidArgument(f"extra_query{message}", argument="extra_query", vendor=vendor, operation=operation)

    if not isinstance(value, Mapping):
        raise refused(f" must be a mapping of names to query values, not {type(value).__name__}")
    pairs: list[tuple[str, str]] = []
    for name, given in value.items():
        if not isinstance(name, str) or not name or not encodable(name):
            raise refused(f": {type(name).__name__ if not isinstance(name, str) else repr(name)} is not a name")
        for item in given if isinstance(given, list | tuple) else [given]:
            if item is None:
                continue
            text = next((text for kind in _SCALARS if (text := kind.text(item)) is not None), None)
            if text is None:
                raise refused(
                    f"[{name!r}] must be a str, a finite int or float, a bool or None, or a list of them,"
                    f" not {type(item).__name__}"
                )
            pairs.append((name, text))
    return pairs


def with_extra_query(params: list[tuple[str, str]], extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The spec's query pairs, those of a name that `extra` gives replaced by its pairs."""
    if not extra:
        return params
    replaced = {name for name, _ in extra}
    return [pair for pair in params if pair[0] not in replaced] + extra


def with_extra_body(body: object, extra: object, *, takes_body: bool, vendor: str, operation: str) -> object:
    """The JSON body with `extra`'s members added (replacing the body's of the same name); `extra` alone
    when the operation's optional body was not given. Refused where the operation takes no JSON object."""

    def refused(message: str) -> InvalidArgument:
        return InvalidArgument(f"extra_body {message}", argument="extra_body", vendor=vendor, operation=operation)

    if not takes_body:
        raise refused("was given, but this operation takes no JSON request body")
    if not isinstance(extra, Mapping) or not all(isinstance(name, str) for name in extra):
        raise refused(f"must be a mapping of str member names to JSON values, not {type(extra).__name__}")
    try:
        json.dumps(extra, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        raise refused(f"is not JSON: {type(error).__name__}: {error}") from None
    if body is None:
        return dict(extra)
    if not isinstance(body, dict):
        raise refused(f"cannot be merged into this operation's body, a JSON {type(body).__name__}, not an object")
    return {**body, **extra}
