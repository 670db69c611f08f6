"""Generate an inline spec into a temporary folder and import what came out."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from codegen.build import build
from codegen.render import ROOT

SPEC_HEAD = """\
openapi: 3.1.0
info: {{title: {vendor}, version: "1"}}
servers: [{{url: "https://api.example.com/v1"}}]
x-tessera:
  vendor: {vendor}
"""


def write_spec(specs: Path, vendor: str, body: str) -> Path:
    """specs/<vendor>.yaml: the common head (info, servers, x-tessera.vendor) plus `body`, dedented.

    `body` may continue the `x-tessera` mapping with lines indented by two spaces.
    """
    specs.mkdir(parents=True, exist_ok=True)
    path = specs / f"{vendor}.yaml"
    path.write_text(SPEC_HEAD.format(vendor=vendor) + textwrap.dedent(body), encoding="utf-8")
    return path


def generate(root: Path, vendor: str, body: str) -> Path:
    """Generate one inline spec under `root`; returns the output root, which holds the `<vendor>/` package."""
    write_spec(root / "specs", vendor, body)
    out = root / "out"
    status = build(["--specs", str(root / "specs"), "--out", str(out)])
    assert status == 0
    return out


@contextmanager
def importable(out: Path) -> Iterator[None]:
    """The vendor packages under `out` importable by name, and forgotten afterwards."""
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(out))
        for name, module in list(sys.modules.items()):
            if str(getattr(module, "__file__", None) or "").startswith(str(out)):
                del sys.modules[name]


def assert_mypy_strict(paths: list[Path], *, cache: Path, cwd: Path) -> None:
    """`mypy --strict` on `paths` finds nothing (see mypy_strict)."""
    mypy = mypy_strict(paths, cache=cache, cwd=cwd)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def mypy_strict(
    paths: list[Path], *, cache: Path, cwd: Path, flags: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` on `paths` (plus `flags`), run outside the project so that only these flags apply,
    against this checkout's runtime (MYPYPATH: an installed tessera may be another checkout's)."""
    return subprocess.run(  # noqa: S603 - our own argument list
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--warn-unreachable",
            "--python-version",
            "3.11",
            "--cache-dir",
            str(cache),
            *flags,
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env={**os.environ, "MYPYPATH": str(ROOT / "src")},
    )


def pyright_strict(paths: list[Path], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    """pyright in strict mode on `paths` (under `cwd`), against this checkout's runtime and this
    Python's packages."""
    config = {
        "include": [str(path) for path in paths],
        "extraPaths": [str(ROOT / "src")],
        "pythonVersion": "3.11",
        "typeCheckingMode": "strict",
    }
    (cwd / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pyright", "--pythonpath", sys.executable],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def assert_project_lint(paths: list[Path]) -> None:
    """`ruff check` with the project's configuration."""
    lint = subprocess.run(  # noqa: S603 - our own argument list
        [sys.executable, "-m", "ruff", "check", "--config", str(ROOT / "pyproject.toml"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
