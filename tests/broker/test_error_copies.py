"""Each caller of a failed renewal gets an error object of its own (renewal.detached).

One object raised by many callers would carry the frames of whichever raised it last; a copy each keeps
every caller's traceback to its own frames.
"""

from __future__ import annotations

import asyncio

from tessera import errors
from tessera._auth.renewal import detached
from tessera.testing import ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client


async def test_the_callers_of_one_refused_login_each_get_their_own_error(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    async with password_client(emu, clock, password="wrong") as zs:
        first, second = await asyncio.gather(zs.docs.list_docs(), zs.docs.list_docs(), return_exceptions=True)
        from_memory = (await asyncio.gather(zs.docs.list_docs(), return_exceptions=True))[0]
    assert emu.counts["POST /auth/token/{organization_id}/"] == 1
    assert all(isinstance(error, errors.InvalidCredentials) for error in (first, second, from_memory))
    assert len({id(first), id(second), id(from_memory)}) == 3
    assert str(first) == str(second) == str(from_memory)


def raised(error: BaseException) -> BaseException:
    """`error` with the traceback of a raise."""
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001 - returned to the test
        return caught


def test_a_copy_keeps_its_causes_without_their_frames_even_in_a_cycle() -> None:
    cause, context = raised(ValueError("cause")), raised(KeyError("context"))
    cause.__context__, context.__context__ = context, cause  # a cycle, as a cause re-raised in its handler makes
    handled = raised(OSError("handled"))
    error = raised(errors.TransportError("failed"))
    error.__cause__, error.__context__ = cause, handled
    copy = detached(error)  # returns: the cycle is walked once
    assert copy is not error
    assert (copy.args, copy.__traceback__, copy.__cause__, copy.__context__) == (error.args, None, cause, handled)
    assert (cause.__traceback__, context.__traceback__, handled.__traceback__) == (None, None, None)


class Picky(Exception):
    """An exception whose __new__ takes its own keywords: it cannot be copied from its args."""

    def __new__(cls, *, code: int) -> Picky:
        return super().__new__(cls)

    def __init__(self, *, code: int) -> None:
        super().__init__(f"code {code}")


def test_an_error_that_cannot_be_copied_is_stripped_in_place() -> None:
    error = raised(Picky(code=7))
    assert detached(error) is error
    assert error.__traceback__ is None
