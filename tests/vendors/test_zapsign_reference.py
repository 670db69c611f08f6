"""Every operation of specs/zapsign.yaml is called by an end-to-end test of tests/vendors/test_zapsign*.py."""

from __future__ import annotations

from pathlib import Path

from tessera.zapsign._profile import PROFILE


def test_every_operation_has_an_end_to_end_test() -> None:
    tests = "".join(path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("test_zapsign*.py"))
    untested = sorted(operation for operation in PROFILE.operations if f".{operation}(" not in tests)
    assert untested == []
