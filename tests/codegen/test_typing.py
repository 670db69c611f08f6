"""Generated code type-checks: `mypy --strict` on a package generated from specs with every shape (~20 s)."""

from __future__ import annotations

from pathlib import Path

from codegen.build import build
from tests.codegen.generated import assert_mypy_strict, assert_project_lint, write_spec
from tests.codegen.inline_specs import OPERATIONS, SHAPES


def test_generated_package_passes_mypy_strict_and_the_profile_passes_lint(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "typed_ops", OPERATIONS)
    write_spec(tmp_path / "specs", "typed_shapes", SHAPES)
    out = tmp_path / "out"
    assert build(["--specs", str(tmp_path / "specs"), "--out", str(out)]) == 0
    assert_mypy_strict([out / "typed_ops", out / "typed_shapes"], cache=tmp_path / "mypy-cache", cwd=tmp_path)
    assert_project_lint(list(out.glob("*/_profile.py")))
