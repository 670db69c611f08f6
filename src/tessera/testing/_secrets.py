"""Every credential the emulators of this process issued or were configured with, for leak checks.

    from tessera.testing._secrets import leaks, mark

    start = mark()
    ...                                     # run a client against emulators, collect log lines and errors
    assert leaks(texts, since=start) == []

Emulators call `remember` for each key, token, password, refresh token and minted user token, as they
issue or accept it. Values shorter than `MIN_LENGTH` are not kept: nothing real is that short, and a
two-letter password would be "found" in every log line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

MIN_LENGTH: Final = 8

_remembered: list[str] = []
"""Append-only, in order: `mark()` is an index into it. A value issued twice is listed twice."""


def remember(value: str) -> str:
    """Note `value` as a secret of this process; returns it, so an issuer can wrap its return value."""
    if len(value) >= MIN_LENGTH:
        _remembered.append(value)
    return value


def mark() -> int:
    """A point in time for `leaks(..., since=)`: secrets remembered from here on."""
    return len(_remembered)


def remembered(*, since: int = 0) -> frozenset[str]:
    """The secrets remembered since `mark()` gave `since` (all of them by default)."""
    return frozenset(_remembered[since:])


def leaks(texts: Iterable[str], *, since: int = 0) -> list[str]:
    """The texts that contain a secret remembered since `since`, with every such secret masked.

    Masked, so that a failing check can print what leaked without leaking it again in a CI log.
    """
    texts = list(texts)
    whole = "\n".join(texts)
    secrets = [secret for secret in remembered(since=since) if secret in whole]  # one scan per secret
    if not secrets:
        return []
    return [_masked(text, secrets) for text in texts if any(secret in text for secret in secrets)]


def _masked(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, f"<secret {secret[:3]}...>")
    return text
