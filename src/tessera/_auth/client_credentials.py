"""OAuth 2 client credentials (RFC 6749 §4.4): a bearer from the spec's tokenUrl, renewed by the token broker.

The token request is a form POSTed to `tokenUrl` (resolved against the client's base URL when relative),
with the client's id and secret in HTTP basic (the RFC's default) or, where the spec says
`x-tessera-client-authentication: body`, in the form. There is no refresh token in this grant: a
renewal asks again. The answer's `expires_in` (or a JWT's own `exp`) schedules the proactive renewal.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Mapping, Sequence
from urllib.parse import quote, urljoin, urlsplit

import attrs

from tessera._auth.exchange import AuthContext, field
from tessera._auth.flow import BrokeredFlow
from tessera._auth.registry import broker_for
from tessera._auth.secrets import Secret
from tessera._auth.shared import Recheck
from tessera._auth.tokens import TokenSet, given_lifetime
from tessera._runtime.operation import Operation
from tessera._runtime.urls import checked_base_url
from tessera.errors import ApiError, ConfigurationError, InvalidCredentials

_REFUSALS = frozenset({"invalid_client", "unauthorized_client", "invalid_grant", "invalid_scope"})
"""RFC 6749 §5.2's answers that refuse these credentials: asking again with them would be refused again."""


@attrs.frozen
class ClientCredentials:
    """A client's id and secret for the oauth2 scheme `scheme`, and the scopes to ask for."""

    scheme: str
    client_id: Secret
    client_secret: Secret
    scopes: tuple[str, ...] = ()

    def flow(self, context: AuthContext) -> BrokeredFlow:
        token_url = _token_url(context)
        lease = functools.partial(
            broker_for,
            context.profile.vendor,
            self.scheme,
            context.base_url,
            [self.client_id, self.client_secret, " ".join(self.scopes)],
            clock=context.clock,
            store=context.store,
        )
        return BrokeredFlow(lease, _TokenSource(self, token_url, context), context.scheme)


def checked_scopes(scopes: object, what: str) -> tuple[str, ...]:
    """`scopes` as a tuple of scope tokens (RFC 6749 §3.3: no space, quote or backslash), or ConfigurationError."""
    if isinstance(scopes, str) or not isinstance(scopes, Sequence):
        raise ConfigurationError(f"{what} must be a list of scope names, such as ['read', 'write']")
    for scope in scopes:
        if not isinstance(scope, str) or not scope or any(c in scope for c in ' "\\') or not scope.isprintable():
            raise ConfigurationError(f"{what}: {scope!r} is not a scope name (no space, quote or backslash)")
    return tuple(scopes)


def _token_url(context: AuthContext) -> str:
    """The scheme's tokenUrl, resolved against the base URL (RFC 3986) when relative, and checked as one."""
    given = context.scheme.token_url
    assert given is not None  # an oauth2 scheme's profile always has one (profile.py)
    resolved = urljoin(context.base_url + "/", given)
    same_origin = urlsplit(resolved)[:2] == urlsplit(context.base_url)[:2]
    # The base URL was checked, insecure http allowed or not; a token URL elsewhere must stand on its own.
    try:
        return checked_base_url(resolved, allow_insecure_http=same_origin)
    except ConfigurationError as error:
        raise ConfigurationError(f"{context.scheme.name} tokenUrl: {error}") from None


class _TokenSource:
    """Asks the token endpoint for a new access token: one request per renewal."""

    def __init__(self, credentials: ClientCredentials, url: str, context: AuthContext) -> None:
        self._credentials = credentials
        self._url = url
        self._context = context
        # Named by the token URL's path in logs and errors: never its query, never a credential.
        self._operation = Operation(
            operation_id=f"{context.scheme.name} token",
            method="POST",
            path=urlsplit(url).path or "/",
            security=(),
            retry_safe=True,  # a lost answer only costs a token nobody uses
        )

    @property
    def timeout(self) -> float:
        return self._context.timeout

    async def obtain(self, current: TokenSet | None, recheck: Recheck) -> TokenSet:
        credentials, context = self._credentials, self._context
        form = {"grant_type": "client_credentials"}
        if credentials.scopes:
            form["scope"] = " ".join(credentials.scopes)
        headers: dict[str, str] = {}
        client_id, client_secret = credentials.client_id.reveal(), credentials.client_secret.reveal()
        if context.scheme.client_authentication == "body":
            form.update(client_id=client_id, client_secret=client_secret)
        else:
            # RFC 6749 §2.3.1: each form-urlencoded, then joined by ':' as HTTP basic's user and password.
            pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        asked_at = context.clock.now()
        try:
            answer = await context.requester.exchange_form(self._operation, self._url, form=form, headers=headers)
        except ApiError as error:
            raise _refusal(error) or error from None
        vendor, operation = context.profile.vendor, self._operation.operation_id
        access = field(answer, "access_token", vendor=vendor, operation=operation)
        lifetime = given_lifetime(answer.get("expires_in"))
        return TokenSet.issued(Secret(access), None, asked_at=asked_at, access_lifetime=lifetime, refresh_lifetime=None)


def _refusal(error: ApiError) -> InvalidCredentials | None:
    """The token endpoint's refusal of the credentials themselves, as the broker remembers a refused login."""
    body = error.body if isinstance(error.body, Mapping) else {}
    code = body.get("error")
    if error.status not in (400, 401) or code not in _REFUSALS:
        return None
    described = body.get("error_description")
    detail = f": {described}" if isinstance(described, str) and described else ""
    return InvalidCredentials(
        f"the token endpoint refused the client credentials ({code}){detail}",
        status=error.status,
        vendor=error.vendor,
        body=error.body,
        response_headers=error.response_headers,
    )
