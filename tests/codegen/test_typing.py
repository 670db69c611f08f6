"""Generated code type-checks: `mypy --strict` on a package generated from specs with every shape (~20 s)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codegen.build import build
from codegen.render import ROOT
from tests.codegen.generated import write_spec
from tests.codegen.inline_specs import OPERATIONS, SHAPES


def test_generated_package_passes_mypy_strict_and_the_profile_passes_lint(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "typed_ops", OPERATIONS)
    write_spec(tmp_path / "specs", "typed_shapes", SHAPES)
    out = tmp_path / "out"
    assert build(["--specs", str(tmp_path / "specs"), "--out", str(out)]) == 0
    # Run outside the project so that only these flags apply (its config lists its own files).
    mypy = subprocess.run(  # noqa: S603 - our own argument list
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--warn-unreachable",
            "--python-version",
            "3.11",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(out / "typed_ops"),
            str(out / "typed_shapes"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    lint = subprocess.run(  # noqa: S603 - our own argument list
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--config",
            str(ROOT / "pyproject.toml"),
            *map(str, out.glob("*/_profile.py")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
