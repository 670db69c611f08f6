"""A Secret never shows its value, whatever formats it."""

from __future__ import annotations

import hashlib
import logging
import pickle

import pytest

from tessera._auth.secrets import Secret, required_secret
from tessera.errors import ConfigurationError

VALUE = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.sig-abc123"


def test_no_formatting_shows_the_value(caplog: pytest.LogCaptureFixture) -> None:
    secret = Secret(VALUE)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("tessera").debug("token %s %r", secret, secret)
    shown = [
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        f"{secret:>80}",
        caplog.text,
        repr([secret]),
    ]
    assert all(VALUE not in text for text in shown)
    assert f"{secret}" == f"{secret!r}" == "Secret('**********')"
    assert secret.reveal() == VALUE


def test_cannot_be_pickled() -> None:
    with pytest.raises(TypeError, match=r"^a Secret cannot be pickled$"):
        pickle.dumps(Secret(VALUE))


def test_fingerprint_is_stable_and_not_the_value() -> None:
    assert Secret(VALUE).fingerprint() == Secret(VALUE).fingerprint()
    assert VALUE[:8] not in Secret(VALUE).fingerprint()
    assert Secret(VALUE).fingerprint() == hashlib.sha256(VALUE.encode()).hexdigest()[:16]
    assert Secret(VALUE).fingerprint() != Secret(VALUE + "x").fingerprint()


def test_secrets_compare_and_hash_by_value_and_are_false_when_empty() -> None:
    assert Secret(VALUE) == Secret(VALUE)
    assert Secret(VALUE) != Secret(VALUE + "x")
    assert Secret(VALUE) != VALUE  # a Secret equals only a Secret
    assert hash(Secret(VALUE)) == hash(Secret(VALUE))
    assert hash(Secret(VALUE)) != hash(Secret(VALUE + "x"))
    assert Secret(VALUE)
    assert not Secret("")


def test_a_secret_given_as_a_secret_is_kept() -> None:
    assert required_secret(Secret(VALUE), "videsk api_key") == Secret(VALUE)
    with pytest.raises(ConfigurationError, match="videsk api_key is missing or empty"):
        required_secret(Secret(" "), "videsk api_key")


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_missing_credential_is_a_configuration_error(value: object) -> None:
    with pytest.raises(ConfigurationError, match="videsk api_key is missing or empty"):
        required_secret(value, "videsk api_key")


@pytest.mark.parametrize("value", [42, VALUE.encode()])
def test_a_credential_of_another_type_is_named_by_its_type_only(value: object) -> None:
    with pytest.raises(ConfigurationError, match="videsk api_key must be a string") as caught:
        required_secret(value, "videsk api_key")
    assert type(value).__name__ in str(caught.value)
    assert VALUE not in str(caught.value)
