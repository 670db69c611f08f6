"""The data of a vendor's `_profile.py`: what the runtime reads of the spec, as plain values."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from codegen.document import Node
from codegen.pysource import Name

_AUTH = "x-tessera-auth"
_NOT_FOR_THE_RUNTIME = frozenset({"description", "x-tessera-auth-class", "x-tessera-client-keyword"})
"""A scheme's prose for readers of the spec, and what only names the generated classes and keywords."""
_EXCHANGES = frozenset({"login", "refresh", "mint"})
"""The parts of x-tessera-auth that send an operation of the spec (codegen/extensions.py checks them)."""

OPERATIONS = Name("OPERATIONS")
"""The `Operation` of each operationId, as `_endpoints.py` defines them: the auth flows send theirs
(login, refresh, mint) through the requester like every call, so the profile holds no route of its own."""


def profile_data(
    root: Node, vendor: str, method_names: Mapping[str, str], schemes_kept: Collection[str]
) -> dict[str, object]:
    """The runtime's data of the vendor, as plain values (see `_profile.py`) and the operations' name.

    `method_names`: each operationId → its method's name, the key of OPERATIONS that the auth lifecycles'
    `operation` values are written as. `schemes_kept`: the security schemes the client can send
    (codegen/security.py leaves out the unsupported ones no operation uses).
    """
    extension = root.get("x-tessera")
    components = root.get("components")
    schemes = components.get("securitySchemes") if components is not None else None
    return {
        "vendor": vendor,
        "base_url": _base_url(root.get("servers")),
        "errors": _plain(extension.get("errors") if extension is not None else None, {}),
        "pagination": _plain(extension.get("pagination") if extension is not None else None, {}),
        "rate_limit": _plain(extension.get("rate-limit") if extension is not None else None, {}),
        "request_id_header": _plain(extension.get("request-id-header") if extension is not None else None, None),
        "security_schemes": {
            name: {
                key: _with_method_names(_plain(value, None), method_names) if key == _AUTH else _plain(value, None)
                for key, value in scheme.items()
                if key not in _NOT_FOR_THE_RUNTIME
            }
            for name, scheme in (schemes.items() if schemes is not None else ())
            if name in schemes_kept
        },
        "operations": OPERATIONS,
    }


def _base_url(servers: Node | None) -> str | None:
    """The first server's URL, its variables at their defaults (`{scheme}://host` → `https://host`).

    None when there is no server or its URL is relative (`/api/v3`, relative to wherever the spec is
    served): then the caller gives the client its base_url.
    """
    server = next(servers.elements(), None) if servers is not None else None
    if server is None:
        return None
    url = server.require("url").string()
    variables = server.get("variables")
    for name, variable in variables.items() if variables is not None else ():
        url = url.replace("{" + name + "}", variable.require("default").string())
    if "{" in url:
        raise server.require("url").error(f"server URL {url!r} has a variable that `variables` does not define")
    return url if url.startswith(("https://", "http://")) else None


def _with_method_names(auth: object, method_names: Mapping[str, str]) -> object:
    """x-tessera-auth with the operationId of each exchange (login, refresh, mint) as its method's name."""
    if not isinstance(auth, dict):
        return auth
    exchanges = {
        key: {**value, "operation": method_names.get(str(value.get("operation")), value.get("operation"))}
        for key, value in auth.items()
        if key in _EXCHANGES and isinstance(value, dict) and "operation" in value
    }
    return {**auth, **exchanges}


def _plain(node: Node | None, default: object) -> object:
    """The value as is, once checked to be data a Python literal can carry (no YAML dates, no sets)."""
    if node is None:
        return default
    value = node.value
    if isinstance(value, Mapping):
        return {key: _plain(child, None) for key, child in node.items()}
    if isinstance(value, list):
        return [_plain(child, None) for child in node.elements()]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise node.error(f"{type(value).__name__} values cannot be written into the profile; quote it")
