"""For every test: the `tessera` logger at DEBUG, and no secret of the test's emulators in what tessera showed.

Emulators remember each key, token, password and refresh token as they issue it or are built with
it (`tessera.testing._secrets`), so before a client can have it. The secrets of this test are searched
for in everything tessera produced during it that a user could print: every record of the `tessera`
logger (message, arguments as str and repr, traceback) and every decoded model (repr), as each is
made, and every `TesseraError` raised or created (str, repr, `.body`, and those of its causes) at teardown,
once subclasses have set their fields. Records and models are checked as they come, not kept: a
soak test's thousands of them would otherwise be the leak it measures. Hypothesis runs a fixed,
bounded profile, so the fuzz suites are the same on every run.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings

from tessera import errors
from tessera._runtime.conversion import Codec
from tessera.testing._secrets import leaks, mark, remembered

T = TypeVar("T")

settings.register_profile(
    "tessera",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("tessera")


class Records(logging.Handler):
    """Shows every record it is given to `shown`."""

    def __init__(self, shown: Shown) -> None:
        super().__init__(logging.DEBUG)
        self.shown = shown

    def emit(self, record: logging.LogRecord) -> None:
        self.shown.see(record_texts(record))


def record_texts(record: logging.LogRecord) -> list[str]:
    """Everything of a record a handler could write out."""
    texts = [str(record.msg), *(text for arg in _args(record) for text in (str(arg), repr(arg)))]
    with contextlib.suppress(TypeError, ValueError):  # arguments that do not fit the format: covered above
        texts.append(record.getMessage())
    if record.exc_info:
        texts.append(logging.Formatter().formatException(record.exc_info))
    texts += [text for text in (record.exc_text, record.stack_info) if text]
    return texts


def _args(record: logging.LogRecord) -> list[object]:
    if isinstance(record.args, dict):
        return list(record.args.values())
    return list(record.args or ())


class Shown:
    """What tessera produced during one test that could be printed, and what of it carried a secret."""

    def __init__(self, since: int) -> None:
        self.since = since
        self.records = Records(self)
        self.errors: list[BaseException] = []
        self.leaked: list[str] = []
        """Texts that carried a secret of the test's emulators, masked."""

    def see(self, texts: list[str]) -> None:
        self.leaked += leaks(texts, since=self.since)

    def see_errors(self) -> None:
        for error in self.errors:
            cause: BaseException | None = error
            while cause is not None:
                shown_body = [repr(cause.body)] if isinstance(cause, errors.DecodeError) else []
                self.see([str(cause), repr(cause), *shown_body])
                cause = cause.__cause__ or cause.__context__


@pytest.fixture(autouse=True)
def no_secret_in_what_tessera_shows(monkeypatch: pytest.MonkeyPatch) -> Iterator[Shown]:
    start = mark()
    shown = Shown(since=start)
    logger = logging.getLogger("tessera")
    level = logger.level
    logger.setLevel(logging.DEBUG)  # setLevel, not the attribute: it clears the loggers' isEnabledFor caches
    logger.addHandler(shown.records)
    _watch(monkeypatch, shown)
    try:
        yield shown
    finally:
        logger.removeHandler(shown.records)
        logger.setLevel(level)
    if not remembered(since=start):  # no emulator in this test: nothing to look for
        return
    shown.see_errors()
    if shown.leaked:
        leaked = shown.leaked
        pytest.fail(f"{len(leaked)} texts tessera showed carry a secret of this test's emulators: {leaked[:3]}")


def _watch(monkeypatch: pytest.MonkeyPatch, shown: Shown) -> None:
    """Keep every TesseraError created during the test, to read at its end; look at each value decoded."""
    create_error = errors.TesseraError.__init__
    structure = Codec.structure

    def created(error: errors.TesseraError, *args: Any, **kwargs: Any) -> None:
        create_error(error, *args, **kwargs)
        shown.errors.append(error)

    def structured(codec: Codec, data: object, target: type[T], *, vendor: str, operation: str, **more: Any) -> T:
        value = structure(codec, data, target, vendor=vendor, operation=operation, **more)
        shown.see([repr(value)])
        return value

    monkeypatch.setattr(errors.TesseraError, "__init__", created)
    monkeypatch.setattr(Codec, "structure", structured)
