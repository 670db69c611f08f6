"""How tessera.testing is laid out: one package per vendor over a shared layer, and names that say what they are."""

from __future__ import annotations

from pathlib import Path

import tessera.testing
from tessera.testing import EMULATORS


def test_the_emulators_time_function_is_not_named_like_the_clients_clock_protocol() -> None:
    assert "Clock" not in vars(tessera.testing)
    assert "TimeFunction" in tessera.testing.__all__


def test_each_vendor_emulator_lives_in_its_own_package() -> None:
    for vendor, emulator_class in EMULATORS.items():
        package = vars(tessera.testing)[vendor]
        assert emulator_class.__module__ == f"tessera.testing.{vendor}.emulator"
        assert package.__all__ == [emulator_class.__name__]
        assert vars(package)[emulator_class.__name__] is emulator_class


def test_no_vendor_module_is_left_in_the_shared_layer() -> None:
    shared = Path(tessera.testing.__file__).parent
    stray = [path.name for path in shared.glob("*.py") for vendor in EMULATORS if vendor in path.name]
    assert stray == []
