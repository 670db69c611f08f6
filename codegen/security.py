"""The spec's security schemes → the vendor's auth classes (`<S>Auth`) and the Client's credential keywords.

Supported, from standard OpenAPI data: http bearer and basic, apiKey in a header, the query or a cookie,
and oauth2's clientCredentials flow, which tessera runs. An oauth2 scheme of other flows only (implicit,
authorizationCode, password: a user's browser or password, which a backend client cannot go through) and
openIdConnect are sent as bearers: their class takes the `access_token` the application obtained by that
flow, which tessera sends and does not renew; generating says so in a notice naming where the scheme is.
A scheme tessera cannot send at all (mutualTLS, an http scheme other than bearer and basic) is a SpecError
naming where it is when any operation's security names it; one that no operation names is left out of the
client (no class, no profile entry): it cannot make a call fail, and refusing the spec for it would refuse
a spec whose every operation tessera can call.

`x-tessera` data on a scheme (checked here): `x-tessera-auth-class` names its class instead of
`<S>Auth`; `x-tessera-client-keyword` (a bearer or apiKey) makes the Client take its secret as that
keyword (`videsk.Client(api_key=...)`); `x-tessera-auth` (kind password or minted) as specs/README.md says.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Collection, Iterator

import attrs

from codegen.document import Node
from codegen.errors import SpecError
from codegen.names import class_name, free_name, snake_case

_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_KEYWORD_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PLACEMENTS = ("header", "query", "cookie")
_HTTP_SCHEMES = ("bearer", "basic")
_RESERVED_CLASSES = frozenset({"Client", "Api", "Policy", "PROFILE", "Sequence", "aiohttp"})
"""Names `__init__.py` defines or imports beside the auth classes."""
COMMON_KEYWORDS = frozenset(
    {
        "auth",
        "base_url",
        "timeout",
        "max_retries",
        "max_response_bytes",
        "session",
        "allow_insecure_http",
        "clock",
        "trace_configs",
        "store",
        "self",
    }
)
"""The Client's own keywords, which a scheme's keyword must not take."""


@attrs.frozen
class AuthClass:
    """One `<S>Auth` class of `__init__.py`."""

    scheme: str
    name: str
    base: str
    """Its base in tessera._auth.strategies: KeyAuth, BasicAuth, ClientCredentialsAuth or PasswordAuth."""
    description: str
    values: tuple[str, ...] = ()
    """PasswordAuth: its constructor's parameters, the login's values in the order the spec names them."""
    in_path: tuple[str, ...] = ()
    """PasswordAuth: the values the login sends in its path."""
    keyword: str | None = None
    """KeyAuth: the Client keyword that takes its secret, if the spec names one."""
    obtained: bool = False
    """KeyAuth of an oauth2 scheme whose flows tessera does not run, or of openIdConnect: it takes the
    access token the application obtained."""

    @property
    def parameter(self) -> str:
        """KeyAuth: its constructor's one parameter: the Client keyword's name, `access_token` for a token the
        application obtains, or the scheme's name in snake_case."""
        if self.keyword:
            return self.keyword
        return "access_token" if self.obtained else free_name(snake_case(self.scheme), {"self"})


@attrs.frozen
class Security:
    auth_classes: tuple[AuthClass, ...]
    minted_scheme: str | None
    """The scheme of `kind: minted` (per-user tokens: the Client gets `user_token`), if any."""
    kept: frozenset[str]
    """The schemes the profile holds: every one but the unsupported ones no operation uses."""
    notices: tuple[str, ...] = ()
    """What generating tells about the schemes: those whose token the application obtains."""


def read_security(root: Node, used: Collection[str]) -> Security:
    """Every scheme of `components/securitySchemes`, checked; `used`: the names operations' security lists."""
    classes: list[AuthClass] = []
    kept: set[str] = set()
    notices: list[str] = []
    minted: str | None = None
    for name, scheme in _schemes(root):
        unsupported = _unsupported(scheme)
        if unsupported is not None:
            if name in used:
                raise unsupported
            continue
        kept.add(name)
        auth = scheme.get("x-tessera-auth")
        kind = auth.require("kind").string() if auth is not None else None
        if kind == "minted":
            minted = name
            continue
        auth_class = _auth_class(name, scheme, kind)
        if auth_class.obtained:
            flows = scheme.get("flows")
            how = f"oauth2 {', '.join(flow for flow, _ in flows.items())}" if flows is not None else "openIdConnect"
            notices.append(
                scheme.notice(
                    f"{how} is a flow tessera does not run: {auth_class.name}(access_token) takes the token your"
                    " application obtains by it, sent as a bearer and not renewed (a 401 raises)"
                )
            )
        classes.append(auth_class)
    _check_unique(root, classes)
    return Security(tuple(classes), minted, frozenset(kept), tuple(notices))


def _schemes(root: Node) -> Iterator[tuple[str, Node]]:
    components = root.get("components")
    schemes = components.get("securitySchemes") if components is not None else None
    return schemes.items() if schemes is not None else iter(())


def _unsupported(scheme: Node) -> SpecError | None:
    """The SpecError for a scheme tessera cannot send, or None; a malformed scheme raises at once."""
    scheme_type = scheme.require("type")
    kind = scheme_type.string()
    if kind == "http":
        http = scheme.require("scheme")
        if http.string().lower() not in _HTTP_SCHEMES:
            return http.error(f"http scheme {http.string()!r} is not supported (only bearer and basic)")
        return None
    if kind == "apiKey":
        placement = scheme.require("in")
        if placement.string() not in _PLACEMENTS:
            raise placement.error(f"an apiKey is in {', '.join(_PLACEMENTS)}, not {placement.string()!r}")
        if not scheme.require("name").string():
            raise scheme.require("name").error("expected the apiKey's header, query or cookie name")
        return None
    if kind == "oauth2":
        _check_oauth2(scheme.require("flows"))
        return None
    if kind == "mutualTLS":
        return scheme_type.error("mutualTLS security schemes are not supported: give the client an ssl= context")
    if kind == "openIdConnect":  # an access token the application obtains, sent as a bearer
        return None
    raise scheme_type.error(f"{kind!r} is not an OpenAPI security scheme type")


def _check_oauth2(flows: Node) -> None:
    """A clientCredentials flow is run by tessera and needs its tokenUrl; with none, the scheme is a token the
    application obtains by its other flows (sent as a bearer), and needs one of them."""
    client_credentials = flows.get("clientCredentials")
    if client_credentials is None:
        if not flows.mapping():
            raise flows.error("an oauth2 scheme needs at least one flow")
        return
    client_credentials.require("tokenUrl").string()
    method = client_credentials.get("x-tessera-client-authentication")
    if method is not None and method.string() not in ("basic", "body"):
        raise method.error(f"client authentication is basic or body, not {method.string()!r}")


def _auth_class(name: str, scheme: Node, kind: str | None) -> AuthClass:
    scheme_type = scheme.require("type").string()
    http = scheme.get("scheme")
    flows = scheme.get("flows")
    obtained = scheme_type == "openIdConnect" or (
        scheme_type == "oauth2" and flows is not None and flows.get("clientCredentials") is None
    )
    base = {"apiKey": "KeyAuth", "oauth2": "KeyAuth" if obtained else "ClientCredentialsAuth"}.get(scheme_type)
    if base is None:
        base = "BasicAuth" if http is not None and http.string().lower() == "basic" else "KeyAuth"
    auth = scheme.get("x-tessera-auth")
    if auth is not None and base not in ("KeyAuth",):
        raise auth.error("x-tessera-auth is for bearer and apiKey schemes; this scheme's kind says how it works")
    description = scheme.optional_string("description") or f"A credential for the {name} security scheme."
    if obtained:
        description += (
            " An access token your application obtains by the scheme's flow, which tessera does not run: sent"
            " as a bearer, never renewed."
        )
    keyword = _keyword(scheme, accepted=base == "KeyAuth" and kind != "password")
    auth_class = AuthClass(
        name, _class_name(name, scheme), base, " ".join(description.split()), keyword=keyword, obtained=obtained
    )
    if kind != "password":
        return auth_class
    assert auth is not None  # kind comes from it
    login = auth.require("login")
    path = [value for _, value in _values(login.get("path-params"))]
    body = [value for _, value in _values(login.get("body"))]
    values = tuple(dict.fromkeys(value.string() for value in [*path, *body]))
    for value in [*path, *body]:
        if not _KEYWORD_NAME.fullmatch(value.string()) or keyword_taken(value.string()):
            raise value.error(f"{value.string()!r} is not a parameter name (lower-case snake_case, not a keyword)")
    in_path = tuple(dict.fromkeys(value.string() for value in path))
    return attrs.evolve(auth_class, base="PasswordAuth", values=values, in_path=in_path)


def _values(node: Node | None) -> Iterator[tuple[str, Node]]:
    return node.items() if node is not None else iter(())


def _class_name(name: str, scheme: Node) -> str:
    override = scheme.get("x-tessera-auth-class")
    if override is not None:
        if not _CLASS_NAME.fullmatch(override.string()):
            raise override.error(f"{override.string()!r} is not a PascalCase class name")
        return override.string()
    pascal = class_name(name)
    return pascal if pascal.endswith("Auth") else pascal + "Auth"


def _keyword(scheme: Node, *, accepted: bool) -> str | None:
    node = scheme.get("x-tessera-client-keyword")
    if node is None:
        return None
    if not accepted:
        raise node.error("only a bearer or apiKey scheme's one secret can be a Client keyword")
    if not _KEYWORD_NAME.fullmatch(node.string()) or keyword_taken(node.string()):
        raise node.error(f"{node.string()!r} is not a free keyword (lower-case snake_case, not a keyword)")
    if node.string() in COMMON_KEYWORDS:
        raise node.error(f"{node.string()!r} is one of the Client's own keywords")
    return node.string()


def keyword_taken(name: str) -> bool:
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


def _check_unique(root: Node, classes: list[AuthClass]) -> None:
    """Two schemes may not share a class name, nor two a keyword; nor a class a name `__init__.py` uses."""
    schemes = dict(_schemes(root))
    names: dict[str, str] = {}
    keywords: dict[str, str] = {}
    for auth_class in classes:
        where = schemes[auth_class.scheme]
        if auth_class.name in _RESERVED_CLASSES:
            raise where.error(f"its class name {auth_class.name!r} is taken in the vendor's package")
        if auth_class.name in names:
            raise where.error(f"its class name {auth_class.name!r} is {names[auth_class.name]}'s too")
        names[auth_class.name] = auth_class.scheme
        if auth_class.keyword is not None:
            if auth_class.keyword in keywords:
                raise where.error(f"its keyword {auth_class.keyword!r} is {keywords[auth_class.keyword]}'s too")
            keywords[auth_class.keyword] = auth_class.scheme
