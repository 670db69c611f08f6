"""The whole-suite secret check (tests/conftest.py) finds a secret wherever tessera could show it."""

from __future__ import annotations

import logging
from collections.abc import Callable

import attrs

from tessera import errors
from tessera.testing._secrets import leaks, mark, remember
from tests.conftest import Shown

SECRET = "sk-live-0123456789abcdef"


@attrs.frozen
class Login:
    username: str
    token: str = attrs.field(repr=False)


@attrs.frozen
class LeakyLogin:
    username: str
    token: str


def test_found_in_a_log_record_an_error_its_cause_and_a_model_repr(no_secret_in_what_tessera_shows: Shown) -> None:
    start = mark()
    remember(SECRET)
    record = logging.LogRecord("tessera", logging.DEBUG, __file__, 1, "refreshed with %s", (SECRET,), None)
    shows: list[Callable[[Shown], None]] = [
        lambda shown: shown.records.emit(record),
        lambda shown: shown.errors.append(errors.TransportError(f"bad {SECRET}")),
        lambda shown: shown.errors.append(_caused_by(ValueError(SECRET))),
        lambda shown: shown.see([repr(LeakyLogin("ana", SECRET))]),
    ]
    for show in shows:
        shown = Shown(since=start)
        show(shown)
        shown.see_errors()
        assert shown.leaked, "a secret went unnoticed"
        assert all(SECRET not in text for text in shown.leaked)  # reported masked
    # The suite's own check saw these errors too, and would fail this test: they were made to leak.
    no_secret_in_what_tessera_shows.errors.clear()


def test_a_secret_field_with_repr_off_and_secrets_of_earlier_tests_are_not_found(
    no_secret_in_what_tessera_shows: Shown,
) -> None:
    remember(SECRET)
    start = mark()  # SECRET belongs to an earlier test from here on
    remember("another-token-value-42")
    shown = Shown(since=start)
    shown.see([repr(Login("ana", "another-token-value-42"))])
    shown.errors.append(errors.TransportError(f"bad {SECRET}"))
    shown.see_errors()
    assert shown.leaked == []
    assert leaks([repr(LeakyLogin("ana", "another-token-value-42"))], since=start) != []  # the control
    no_secret_in_what_tessera_shows.errors.clear()  # its check starts before SECRET was remembered


def _caused_by(cause: Exception) -> errors.TesseraError:
    try:
        raise errors.TransportError("GET /docs/: ClientError") from cause
    except errors.TesseraError as error:
        return error
