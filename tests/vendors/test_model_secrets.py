"""Generated models keep tokens, keys and passwords out of their repr (the specs mark them x-tessera-secret)."""

from __future__ import annotations

import inspect
from types import ModuleType

import attrs
import pytest

from tessera import biuwer, optiwe, videsk, zapsign

SECRET_NAMES = {
    "password",
    "access",
    "refresh",
    "access_token",
    "action_token",
    "user_token",
    "api_key",
    "api_token",
    "join_url",  # Videsk's appointment links carry the appointment's token (v-schedule-auth=)
    "reschedule_url",
    "cancel_url",
}
"""Attribute names that hold a credential wherever they appear."""


def models_of(module: ModuleType) -> list[type]:
    return [cls for _, cls in inspect.getmembers(module, inspect.isclass) if attrs.has(cls)]


@pytest.mark.parametrize("vendor", [zapsign, videsk, optiwe, biuwer], ids=lambda m: m.__name__)
def test_credential_fields_are_hidden_from_repr(vendor: ModuleType) -> None:
    shown = [
        f"{cls.__name__}.{field.name}"
        for cls in models_of(vendor.models)
        for field in attrs.fields(cls)
        if field.name in SECRET_NAMES and field.repr
    ]
    assert shown == []


def test_a_token_pair_repr_shows_no_token() -> None:
    pair = zapsign.models.TokenPair(refresh="refresh-jwt-value", access="access-jwt-value")
    assert "jwt-value" not in repr(pair)
    assert "password-value" not in repr(zapsign.models.LoginRequest(username="u", password="password-value"))


def test_a_biuwer_user_token_repr_shows_no_token() -> None:
    hidden = {f.name for f in attrs.fields(biuwer.models.UserAuthToken) if not f.repr}
    assert "token" in hidden
