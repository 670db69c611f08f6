"""A security scheme's `x-tessera-auth` data (specs/README.md), read into typed objects."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from tessera._runtime.profile import ProfileError, SecurityScheme


@attrs.frozen
class PasswordLifecycle:
    """Log in with a password for access and refresh tokens; renew with the refresh token."""

    login_operation: str
    login_path: Mapping[str, str]
    """Path parameter ← credential attribute."""
    login_body: Mapping[str, str]
    """JSON field ← credential attribute."""
    login_access: str
    login_refresh: str | None
    expires_in: str | None
    """The answer field (login or refresh) with the access token's lifetime in seconds, for opaque tokens."""
    refresh_operation: str | None
    refresh_body_field: str | None
    """The JSON field that carries the refresh token."""
    refresh_access: str | None
    refresh_refresh: str | None
    """Where a rotated refresh token comes back, if the vendor rotates them."""
    access_lifetime: float | None
    refresh_lifetime: float | None

    @classmethod
    def of(cls, scheme: SecurityScheme) -> PasswordLifecycle:
        where = f"{scheme.name}.x-tessera-auth"
        data = scheme.auth
        if data.get("kind") != "password":
            raise ProfileError(f"{where}.kind is not 'password'")
        login = mapping(data.get("login"), f"{where}.login")
        refresh = mapping(data.get("refresh", {}), f"{where}.refresh")
        lifetimes = mapping(data.get("lifetimes", {}), f"{where}.lifetimes")
        refresh_body = names(refresh.get("body", {}), f"{where}.refresh.body")
        if len(refresh_body) > 1:
            raise ProfileError(f"{where}.refresh.body must name the one field that carries the refresh token")
        return cls(
            login_operation=name(login.get("operation"), f"{where}.login.operation"),
            login_path=names(login.get("path-params", {}), f"{where}.login.path-params"),
            login_body=names(login.get("body", {}), f"{where}.login.body"),
            login_access=name(login.get("access"), f"{where}.login.access"),
            login_refresh=optional_name(login.get("refresh"), f"{where}.login.refresh"),
            expires_in=optional_name(data.get("expires-in"), f"{where}.expires-in"),
            refresh_operation=optional_name(refresh.get("operation"), f"{where}.refresh.operation"),
            refresh_body_field=next(iter(refresh_body), None),
            refresh_access=optional_name(refresh.get("access"), f"{where}.refresh.access"),
            refresh_refresh=optional_name(refresh.get("refresh"), f"{where}.refresh.refresh"),
            access_lifetime=seconds(lifetimes.get("access"), f"{where}.lifetimes.access"),
            refresh_lifetime=seconds(lifetimes.get("refresh"), f"{where}.lifetimes.refresh"),
        )


def mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where} must be a mapping")
    return value


def name(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where} must be a non-empty string")
    return value


def optional_name(value: object, where: str) -> str | None:
    return None if value is None else name(value, where)


def names(value: object, where: str) -> Mapping[str, str]:
    return {key: name(item, f"{where}.{key}") for key, item in mapping(value, where).items()}


def seconds(value: object, where: str) -> float | None:
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise ProfileError(f"{where} must be a positive number of seconds")
    return float(value)
