"""Password login with access and refresh tokens (ZapSign's SimpleJWT), as the spec's data describes it."""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

from tessera._auth.exchange import AuthContext, exchange, field
from tessera._auth.flow import BrokeredFlow
from tessera._auth.lifecycle import PasswordLifecycle
from tessera._auth.registry import broker_for
from tessera._auth.secrets import Secret
from tessera._auth.shared import Recheck
from tessera._auth.tokens import TokenSet, given_lifetime
from tessera._runtime.profile import ProfileError
from tessera.errors import AuthenticationError, ConfigurationError, RateLimited

_LOGIN_WAIT_BUDGET = 120.0
"""Seconds a rate-limited login is waited out, in all, before RateLimited reaches the callers: two of
ZapSign's one-minute throttle windows."""
_LOGIN_BACKOFF_START = 1.0
_LOGIN_BACKOFF_CAP = 30.0


class PasswordSource:
    """Obtains tokens for one credential: refresh while the refresh token works, log in otherwise."""

    def __init__(
        self, lifecycle: PasswordLifecycle, credential: Mapping[str, str | Secret], context: AuthContext
    ) -> None:
        self._lifecycle = lifecycle
        self._credential = credential
        self._context = context

    @property
    def timeout(self) -> float:
        return self._context.timeout

    async def obtain(self, current: TokenSet | None, recheck: Recheck) -> TokenSet:
        operation = self._lifecycle.refresh_operation
        usable = current is not None and current.refresh_usable(self._context.clock.now())
        refresh = current.refresh if current is not None and usable else None
        if operation is not None and refresh is not None:
            try:
                return await self._refresh(operation, refresh)
            except AuthenticationError:
                # Refused: rotated away, blacklisted or expired. Another worker sharing the store may
                # have rotated it: its tokens, if any, spare us the login.
                newer = await recheck()
                if newer is not None:
                    return newer
        return await self._login()

    async def _refresh(self, operation: str, refresh: Secret) -> TokenSet:
        lifecycle, context = self._lifecycle, self._context
        body = {lifecycle.refresh_body_field: refresh.reveal()} if lifecycle.refresh_body_field else {}
        asked_at = context.clock.now()
        answer = await exchange(context, operation, path={}, body=body)
        rotated = answer.get(lifecycle.refresh_refresh) if lifecycle.refresh_refresh else None
        return TokenSet.issued(
            Secret(field(answer, lifecycle.refresh_access or lifecycle.login_access, **self._where(operation))),
            Secret(rotated) if isinstance(rotated, str) and rotated else refresh,
            asked_at=asked_at,
            access_lifetime=self._lifetime(answer),
            refresh_lifetime=lifecycle.refresh_lifetime,
        )

    async def _login(self) -> TokenSet:
        lifecycle, context = self._lifecycle, self._context
        path = {param: self._value(attribute) for param, attribute in lifecycle.login_path.items()}
        body = {name: self._value(attribute) for name, attribute in lifecycle.login_body.items()}
        waited, backoff = 0.0, _LOGIN_BACKOFF_START
        while True:
            asked_at = context.clock.now()
            try:
                answer = await exchange(context, lifecycle.login_operation, path=path, body=body)
            except RateLimited as error:
                # A login flood answer: wait it out here, inside the one renewal, instead of asking again.
                delay = error.retry_after if error.retry_after is not None else backoff
                if waited + delay > _LOGIN_WAIT_BUDGET:
                    raise
                await context.clock.sleep(delay)
                waited, backoff = waited + delay, min(backoff * 2, _LOGIN_BACKOFF_CAP)
                continue
            where = self._where(lifecycle.login_operation)
            refresh = field(answer, lifecycle.login_refresh, **where) if lifecycle.login_refresh else None
            return TokenSet.issued(
                Secret(field(answer, lifecycle.login_access, **where)),
                Secret(refresh) if refresh is not None else None,
                asked_at=asked_at,
                access_lifetime=self._lifetime(answer),
                refresh_lifetime=lifecycle.refresh_lifetime,
            )

    def _lifetime(self, answer: Mapping[str, object]) -> float | None:
        """The answer's `expires_in` when the spec names one and it is a number, else the documented lifetime."""
        field_name = self._lifecycle.expires_in
        given = given_lifetime(answer.get(field_name)) if field_name else None
        return given if given is not None else self._lifecycle.access_lifetime

    def _value(self, attribute: str) -> str:
        value = self._credential[attribute]
        return value.reveal() if isinstance(value, Secret) else value

    def _where(self, operation: str) -> dict[str, str]:
        return {"vendor": self._context.profile.vendor, "operation": operation}


@attrs.frozen
class PasswordCredential:
    """A password credential for `scheme`: its values by the names the spec's lifecycle uses."""

    scheme: str
    values: Mapping[str, str | Secret]

    def flow(self, context: AuthContext) -> BrokeredFlow:
        try:
            lifecycle = PasswordLifecycle.of(context.scheme)
        except ProfileError as error:
            raise ConfigurationError(f"{context.profile.vendor} spec: {error}") from None
        needed = {*lifecycle.login_path.values(), *lifecycle.login_body.values()}
        if missing := sorted(needed - self.values.keys()):
            raise ConfigurationError(f"{self.scheme} needs {', '.join(missing)}")
        lease = functools.partial(
            broker_for,
            context.profile.vendor,
            self.scheme,
            context.base_url,
            [self.values[name] for name in sorted(self.values)],
            clock=context.clock,
            store=context.store,
        )
        return BrokeredFlow(lease, PasswordSource(lifecycle, self.values, context), context.scheme)
