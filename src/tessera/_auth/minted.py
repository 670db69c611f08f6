"""Per-user tokens minted with an API credential under a refresh policy (Biuwer's user auth tokens).

A policy fixes each token's validity window: `none` never expires, `monthly` and `daily` cover the
current calendar month or day (UTC), and `single-use` is minted for every call (valid one day, so an
abandoned session's token does not live forever). Within a window every caller gets the same cached
token, minted once per user: the minting goes through the same single-flight broker as logins.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Final, Literal, TypeAlias, get_args

import attrs

from tessera._auth.broker import TokenBroker
from tessera._auth.exchange import AuthContext, exchange, field
from tessera._auth.lifecycle import mapping, name, names
from tessera._auth.registry import broker_for
from tessera._auth.renewal import detached
from tessera._auth.secrets import Secret
from tessera._auth.shared import Recheck
from tessera._auth.tokens import TokenSet
from tessera._runtime.arguments import DOT_SEGMENTS, encodable
from tessera._runtime.profile import ProfileError, SecurityScheme
from tessera.errors import ConfigurationError, InvalidArgument, TesseraError

Policy: TypeAlias = Literal["none", "monthly", "daily", "single-use"]
POLICIES: Final[tuple[Policy, ...]] = get_args(Policy)
_SINGLE_USE_LIFETIME = datetime.timedelta(days=1)


@attrs.frozen
class MintLifecycle:
    operation: str
    path: Mapping[str, str]
    """Path parameter ← request attribute (`user_id`)."""
    token_field: str
    valid_from_field: str
    valid_to_field: str
    policies: tuple[Policy, ...]

    @classmethod
    def of(cls, scheme: SecurityScheme) -> MintLifecycle:
        where = f"{scheme.name}.x-tessera-auth"
        if scheme.auth.get("kind") != "minted":
            raise ProfileError(f"{where}.kind is not 'minted'")
        mint = mapping(scheme.auth.get("mint"), f"{where}.mint")
        path = names(mint.get("path-params", {}), f"{where}.mint.path-params")
        if set(path.values()) - {"user_id"}:
            raise ProfileError(f"{where}.mint.path-params may only name user_id")
        policies = scheme.auth.get("policies", list(POLICIES))
        if not isinstance(policies, list) or not set(policies) <= set(POLICIES):
            raise ProfileError(f"{where}.policies must be a list of {', '.join(POLICIES)}")
        return cls(
            operation=name(mint.get("operation"), f"{where}.mint.operation"),
            path=path,
            token_field=name(mint.get("token"), f"{where}.mint.token"),
            valid_from_field=name(mint.get("valid-from"), f"{where}.mint.valid-from"),
            valid_to_field=name(mint.get("valid-to"), f"{where}.mint.valid-to"),
            policies=tuple(p for p in POLICIES if p in policies),
        )


def validity(policy: Policy, now: float) -> tuple[datetime.datetime, datetime.datetime | None]:
    """The window a token minted now under `policy` is valid for."""
    moment = datetime.datetime.fromtimestamp(now, datetime.UTC)
    if policy == "none":
        return moment, None
    if policy == "single-use":
        return moment, moment + _SINGLE_USE_LIFETIME
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if policy == "daily":
        return day, day + datetime.timedelta(days=1)
    month = day.replace(day=1)
    return month, (month + datetime.timedelta(days=32)).replace(day=1)


class UserTokens:
    """Mints and caches the user tokens of one client, through the process-wide brokers."""

    def __init__(self, context: AuthContext, api_key: Secret, api_scheme: SecurityScheme) -> None:
        try:
            self._lifecycle = MintLifecycle.of(context.scheme)
        except ProfileError as error:
            raise ConfigurationError(f"{context.profile.vendor} spec: {error}") from None
        self._context = context
        self._api_key = api_key
        self._api_scheme = api_scheme

    @property
    def timeout(self) -> float:
        return self._context.timeout

    async def token(self, user_id: str, policy: Policy) -> Secret:
        if policy not in self._lifecycle.policies:
            raise ConfigurationError(f"policy must be one of {', '.join(self._lifecycle.policies)}, not {policy!r}")
        if not isinstance(user_id, str) or user_id in DOT_SEGMENTS or not encodable(user_id):
            # Checked before a broker is made for it; the mint route's path is where it would go wrong.
            raise InvalidArgument(
                "user_id must be a user's id: a str, not '', '.' or '..' (as a path segment it would send the"
                " mint to another route), and without a lone surrogate",
                argument="user_id",
                vendor=self._context.profile.vendor,
                operation="user_token",
            )
        if policy == "single-use":
            try:
                return (await self.mint(user_id, policy)).access
            except TesseraError as error:
                failure = detached(error)  # raised below, outside this block: no frame of the mint's (its API key)
            raise failure
        return await self._broker(user_id, policy).token(_MintSource(self, user_id, policy))

    def _broker(self, user_id: str, policy: Policy) -> TokenBroker:
        context = self._context
        scheme = f"{context.scheme.name} {policy}"
        return broker_for(
            context.profile.vendor,
            scheme,
            context.base_url,
            [self._api_key, user_id],
            clock=context.clock,
            store=context.store,
        )

    async def mint(self, user_id: str, policy: Policy) -> TokenSet:
        lifecycle, context = self._lifecycle, self._context
        start, end = validity(policy, context.clock.now())
        attributes = {"user_id": user_id}
        answer = await exchange(
            context,
            lifecycle.operation,
            path={param: attributes[attribute] for param, attribute in lifecycle.path.items()},
            body={
                lifecycle.valid_from_field: start.isoformat(),
                lifecycle.valid_to_field: end.isoformat() if end is not None else None,
            },
            headers=self._api_scheme.headers(self._api_key.reveal()),
        )
        token = field(answer, lifecycle.token_field, vendor=context.profile.vendor, operation=lifecycle.operation)
        until = end.timestamp() if end is not None else float("inf")
        return TokenSet(Secret(token), None, renew_at=until, usable_until=until, refresh_expires_at=None)


@attrs.frozen
class _MintSource:
    tokens: UserTokens
    user_id: str
    policy: Policy

    @property
    def timeout(self) -> float:
        return self.tokens.timeout

    async def obtain(self, current: TokenSet | None, recheck: Recheck) -> TokenSet:
        return await self.tokens.mint(self.user_id, self.policy)
