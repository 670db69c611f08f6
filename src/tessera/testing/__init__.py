"""Vendor emulators for tests: each vendor's API served on 127.0.0.1 with its documented bodies and errors.

    from tessera.testing import emulator

    emu = emulator("zapsign", access_seconds=3600)
    async with emu as base_url:
        ...                                   # point a client at base_url
    emu.counts["GET /docs/"], emu.logins, emu.refreshes

`serve_in_thread(emu)` serves one from a thread of its own instead, for a synchronous fixture;
`tessera.testing.pytest_plugin` (loaded by pytest on its own) has fixtures per vendor built that way.
`python -m tessera.testing zapsign --port 8081` serves one from the shell.
"""

from __future__ import annotations

from typing import Any, Final, Literal, overload

from . import biuwer, optiwe, videsk, zapsign
from ._clock import ManualClock, TimeFunction
from ._faults import Fault
from ._server import Emulator
from ._thread import serve_in_thread
from .biuwer import BiuwerEmulator
from .optiwe import OptiweEmulator
from .videsk import VideskEmulator
from .zapsign import ZapSignEmulator

__all__ = [
    "EMULATORS",
    "BiuwerEmulator",
    "Emulator",
    "Fault",
    "ManualClock",
    "OptiweEmulator",
    "TimeFunction",
    "VideskEmulator",
    "ZapSignEmulator",
    "biuwer",
    "emulator",
    "optiwe",
    "serve_in_thread",
    "videsk",
    "zapsign",
]

EMULATORS: Final[dict[str, type[Emulator]]] = {
    ZapSignEmulator.vendor: ZapSignEmulator,
    VideskEmulator.vendor: VideskEmulator,
    OptiweEmulator.vendor: OptiweEmulator,
    BiuwerEmulator.vendor: BiuwerEmulator,
}
"""The emulator class of each vendor that has one."""


@overload
def emulator(vendor: Literal["zapsign"], **options: Any) -> ZapSignEmulator: ...
@overload
def emulator(vendor: Literal["videsk"], **options: Any) -> VideskEmulator: ...
@overload
def emulator(vendor: Literal["optiwe"], **options: Any) -> OptiweEmulator: ...
@overload
def emulator(vendor: Literal["biuwer"], **options: Any) -> BiuwerEmulator: ...
@overload
def emulator(vendor: str, **options: Any) -> Emulator: ...
def emulator(vendor: str, **options: Any) -> Emulator:
    """A new, not yet serving, emulator of `vendor`; `options` are its class's keyword arguments."""
    try:
        emulator_class = EMULATORS[vendor]
    except KeyError:
        available = ", ".join(sorted(EMULATORS))
        raise ValueError(f"no emulator for vendor {vendor!r} yet; there are: {available}") from None
    return emulator_class(**options)
