"""The third-party corpus through each generator, side by side: does the spec generate, does every generated module
import, is the output `mypy --strict` clean. tessera's codegen against openapi-python-client on the same files.

tests/codegen/test_corpus.py holds tessera to its table (and makes calls, which this does not); this measures the
peer the same way, so the comparison in docs/benchmarks.md comes from one run of both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import attrs

ROOT = Path(__file__).parents[1]
CORPUS = sorted((ROOT / "tests" / "codegen" / "corpus").glob("*.yaml"))
_IMPORT_ALL = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
"""


@attrs.frozen
class Stages:
    generates: bool
    imports: bool | None
    """None: not reached (nothing was generated)."""
    mypy_errors: int | None
    """`mypy --strict` errors in the generated package; None: not reached."""

    def cells(self) -> tuple[str, str, str]:
        def shown(value: bool | None) -> str:
            return "-" if value is None else "yes" if value else "no"

        mypy = "-" if self.mypy_errors is None else "clean" if self.mypy_errors == 0 else f"{self.mypy_errors} errors"
        return shown(self.generates), shown(self.imports), mypy


def run() -> dict[str, dict[str, Stages]]:
    """Each corpus spec's name → each generator's stages."""
    return {spec.stem: {"tessera": _tessera(spec), "openapi-python-client": _peer(spec)} for spec in CORPUS}


def _tessera(spec: Path) -> Stages:
    with tempfile.TemporaryDirectory() as folder:
        specs, out = Path(folder) / "specs", Path(folder) / "out"
        specs.mkdir()
        shutil.copyfile(spec, specs / spec.name)
        generated = _run([sys.executable, "-m", "codegen", "--specs", str(specs), "--out", str(out)], cwd=ROOT)
        if not generated:
            return Stages(False, None, None)
        (package,) = out.iterdir()
        # The generated code imports tessera's runtime: this checkout's.
        return _checked(package, extra_path=ROOT / "src")


def _peer(spec: Path) -> Stages:
    with tempfile.TemporaryDirectory() as folder:
        package = Path(folder) / spec.stem.replace("-", "_").replace(".", "_")
        command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec)]
        if not _run([*command, "--output-path", str(package), "--meta", "none"], cwd=Path(folder)):
            return Stages(False, None, None)
        return _checked(package, extra_path=None)


def _checked(package: Path, extra_path: Path | None) -> Stages:
    """Import every module of `package`, then run `mypy --strict` on it, each in a process of its own."""
    path = [str(package.parent), *([str(extra_path)] if extra_path else [])]
    env = {"PYTHONPATH": ":".join(path), "PATH": "/usr/bin:/bin", "MYPYPATH": ":".join(path)}
    imports = _run([sys.executable, "-c", _IMPORT_ALL, package.name], cwd=package.parent, env=env)
    mypy = subprocess.run(  # noqa: S603 - our own argument list
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", package.name],
        cwd=package.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if mypy.returncode not in (0, 1):  # 2: mypy did not run (not installed, a crash): no figure to give
        raise RuntimeError(f"mypy did not run on {package.name}: {mypy.stderr or mypy.stdout}")
    errors = sum(1 for line in mypy.stdout.splitlines() if ": error:" in line)
    return Stages(True, imports, errors)


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> bool:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False).returncode == 0  # noqa: S603
