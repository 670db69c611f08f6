"""Every `x-tessera*` value of a spec, checked when generating (specs/README.md says what each may hold).

What the runtime reads of them would otherwise fail at import (an error class tessera.errors does not have)
or at the first call (a login operation the spec does not have): here each fails with a SpecError naming
the file and the JSON pointer. Keys starting with `x-` (`x-inferred`) are notes, allowed anywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping

from codegen.document import Node
from tessera import errors
from tessera._runtime.extras import HEADER_NAME

_MARKERS = frozenset(
    {
        "x-tessera",
        "x-tessera-auth",
        "x-tessera-auth-class",
        "x-tessera-bearer-prefix",
        "x-tessera-client-authentication",
        "x-tessera-client-keyword",
        "x-tessera-event-field",
        "x-tessera-pagination",
        "x-tessera-retry-safe",
        "x-tessera-secret",
    }
)
_FLAGS = frozenset({"x-tessera-bearer-prefix", "x-tessera-retry-safe", "x-tessera-secret"})
_STATUS_RANGE = range(100, 600)
_MATCH_MODES = ("equals", "prefix", "contains")
_JWT_MODES = ("maybe", "always", "never")
_POLICIES = ("none", "monthly", "daily", "single-use")
_PAGINATION_KEYS = {
    "page-number": ({"page-param", "items"}, {"next", "total"}),
    "offset": ({"limit-param", "skip-param", "items"}, {"total", "limit", "skip"}),
}
"""Each pagination kind's required keys, then its optional ones (besides `kind`)."""
ERROR_CLASSES = {
    name: value
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.ApiError)
}
"""The classes an error rule may name: tessera.errors' ApiError and its subclasses."""


def check_extensions(root: Node, operations: Collection[str]) -> None:
    """Every `x-tessera*` key of the document is one specs/README.md describes, holding what it says.

    `operations`: the spec's operationIds, which the auth lifecycles' `operation` keys must name.
    """
    _check_markers(root)
    extension = root.get("x-tessera")
    if extension is not None:
        _keys(extension, required=set(), optional={"vendor", "errors", "pagination", "rate-limit", "request-id-header"})
        _check_header_name(extension.get("request-id-header"))
        _check_errors(extension.get("errors"))
        styles = extension.get("pagination")
        for _, style in styles.items() if styles is not None else ():
            _check_pagination_style(style)
        rate_limit = extension.get("rate-limit")
        if rate_limit is not None:
            _keys(rate_limit, required=set(), optional={"reset-header"})
            _optional_name(rate_limit, "reset-header")
    components = root.get("components")
    schemes = components.get("securitySchemes") if components is not None else None
    for _, scheme in schemes.items() if schemes is not None else ():
        auth = scheme.get("x-tessera-auth")
        if auth is not None:
            _check_auth(auth, operations)


def _check_markers(node: Node) -> None:
    """No misspelt `x-tessera-*` key anywhere (it would be ignored), and the flags are true or false."""
    if isinstance(node.value, Mapping):
        for key, child in node.items():
            if key.startswith("x-tessera") and key not in _MARKERS:
                close = difflib.get_close_matches(key, sorted(_MARKERS), n=1)
                hint = f": did you mean {close[0]!r}?" if close else ""
                raise child.error(f"unknown extension {key!r}{hint}")
            if key in _FLAGS:
                node.flag(key)
            _check_markers(child)
    elif isinstance(node.value, list):
        for child in node.elements():
            _check_markers(child)


def _check_errors(node: Node | None) -> None:
    if node is None:
        return
    _keys(node, required=set(), optional={"message-fields", "code-fields", "rules"})
    for key in ("message-fields", "code-fields"):
        listed = node.get(key)
        for field in listed.elements() if listed is not None else ():
            _name(field)
    rules = node.get("rules")
    for rule in rules.elements() if rules is not None else ():
        _keys(rule, required={"status", "error"}, optional={"when", "match"})
        _check_condition(rule)
        _check_error_class(rule.require("error"))


def _check_condition(node: Node) -> None:
    """`status` (an int or a list of them), `when` (dotted path → a string or a list of them), `match`."""
    status = node.require("status")
    statuses = list(status.elements()) if isinstance(status.value, list) else [status]
    if not statuses:
        raise status.error("expected a status or a list of statuses")
    for code in statuses:
        if isinstance(code.value, bool) or not isinstance(code.value, int) or code.value not in _STATUS_RANGE:
            raise code.error(f"expected an HTTP status (an integer from 100 to 599), found {code.value!r}")
    if len({code.value for code in statuses}) != len(statuses):
        raise status.error("a status is listed twice")
    when = node.get("when")
    for _, values in when.items() if when is not None else ():
        for value in values.elements() if isinstance(values.value, list) else [values]:
            value.string()
    match = node.get("match")
    if match is not None and match.string() not in _MATCH_MODES:
        raise match.error(f"match {match.string()!r} is not one of {', '.join(_MATCH_MODES)}")


def _check_error_class(node: Node) -> None:
    name = node.string()
    if name not in ERROR_CLASSES:
        close = difflib.get_close_matches(name, sorted(ERROR_CLASSES), n=1)
        hint = f": did you mean {close[0]!r}?" if close else ""
        raise node.error(f"{name!r} is not an ApiError class of tessera.errors{hint}")


def _check_pagination_style(node: Node) -> None:
    kind = node.require("kind")
    if kind.string() not in _PAGINATION_KEYS:
        raise kind.error(f"pagination kind {kind.string()!r} is not one of {', '.join(_PAGINATION_KEYS)}")
    required, optional = _PAGINATION_KEYS[kind.string()]
    _keys(node, required=required | {"kind"}, optional=optional)
    for key in required | optional:
        _optional_name(node, key)


def _check_auth(node: Node, operations: Collection[str]) -> None:
    kind = node.require("kind")
    if kind.string() == "static":
        _keys(node, required={"kind"}, optional={"jwt"})
        jwt = node.get("jwt")
        if jwt is not None and jwt.string() not in _JWT_MODES:
            raise jwt.error(f"jwt {jwt.string()!r} is not one of {', '.join(_JWT_MODES)}")
    elif kind.string() == "password":
        _keys(node, required={"kind", "login"}, optional={"refresh", "lifetimes", "expires-in"})
        login = node.require("login")
        _keys(login, required={"operation", "access"}, optional={"path-params", "body", "refresh"})
        _check_exchange(login, operations)
        refresh = node.get("refresh")
        if refresh is not None:
            _keys(refresh, required={"operation"}, optional={"body", "access", "refresh", "refused"})
            _check_exchange(refresh, operations)
            refused = refresh.get("refused")
            if refused is not None:
                _keys(refused, required={"status"}, optional={"when", "match"})
                _check_condition(refused)
        lifetimes = node.get("lifetimes")
        if lifetimes is not None:
            _keys(lifetimes, required=set(), optional={"access", "refresh"})
            for _, seconds in lifetimes.items():
                if isinstance(seconds.value, bool) or not isinstance(seconds.value, int | float) or seconds.value <= 0:
                    raise seconds.error("expected a positive number of seconds")
        _optional_name(node, "expires-in")
    elif kind.string() == "minted":
        _keys(node, required={"kind", "mint"}, optional={"policies"})
        mint = node.require("mint")
        _keys(mint, required={"operation", "token", "valid-from", "valid-to"}, optional={"path-params"})
        _check_exchange(mint, operations)
        policies = node.get("policies")
        for policy in policies.elements() if policies is not None else ():
            if policy.string() not in _POLICIES:
                raise policy.error(f"policy {policy.string()!r} is not one of {', '.join(_POLICIES)}")
    else:
        raise kind.error(f"auth kind {kind.string()!r} is not one of static, password, minted")


def _check_exchange(node: Node, operations: Collection[str]) -> None:
    """A login, refresh or mint: an operation of the spec, and names (strings) for its fields."""
    operation = node.require("operation")
    if operation.string() not in operations:
        close = difflib.get_close_matches(operation.string(), sorted(operations), n=1)
        hint = f": did you mean {close[0]!r}?" if close else ""
        raise operation.error(f"no operation {operation.string()!r} in this spec{hint}")
    for key, value in node.items():
        if key in ("path-params", "body"):
            for _, field in value.items():
                _name(field)
        elif key not in ("operation", "refused") and not key.startswith("x-"):
            _name(value)


def _keys(node: Node, *, required: set[str], optional: set[str]) -> None:
    for key in sorted(required):
        node.require(key)
    allowed = required | optional
    for key, child in node.items():
        if key not in allowed and not key.startswith("x-"):
            raise child.error(f"unknown key {key!r}: expected {', '.join(sorted(allowed))}")


def _check_header_name(node: Node | None) -> None:
    """A header name, as HTTP writes them (a token): where the vendor's answers carry its request id."""
    if node is not None and not HEADER_NAME.fullmatch(node.string()):
        raise node.error(f"{node.string()!r} is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)")


def _optional_name(node: Node, key: str) -> None:
    found = node.get(key)
    if found is not None:
        _name(found)


def _name(node: Node) -> None:
    if not node.string():
        raise node.error("expected a non-empty string")
