"""Codegen: the wall time of generating a client from each spec, tessera's codegen against openapi-python-client.

Each spec is generated alone, from a folder holding only it, byte for byte as published: the four vendors'
specs/ and the third-party corpus of tests/codegen/corpus/ (Resend's 83 operations among them). Both
generators run as a user runs them, a fresh interpreter each time, so the interpreter's start and the imports
count; both format what they write (tessera with ruff format, openapi-python-client with its ruff hooks).
A spec a generator refuses is timed to its refusal and reported as such, its first error line kept.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from bench.common import median

ROOT = Path(__file__).parents[1]
SPECS = sorted((ROOT / "specs").glob("*.yaml")) + sorted((ROOT / "tests" / "codegen" / "corpus").glob("*.yaml"))
Command = Callable[[Path, Path], list[str]]
"""(the folder holding the one spec, the output folder) → the generator's command line."""


@attrs.frozen
class Timing:
    """One generator on one spec: the median wall time, and the error that ended a run it refused."""

    seconds: float
    error: str | None


@attrs.frozen
class SpecTimes:
    spec: str
    """The spec's path, relative to the repository."""
    tessera: Timing
    peer: Timing

    @property
    def ratio(self) -> float:
        return self.tessera.seconds / self.peer.seconds


def run(*, rounds: int) -> list[SpecTimes]:
    return [
        SpecTimes(
            str(spec.relative_to(ROOT)), _timed(spec, _tessera, rounds), _timed(spec, _openapi_python_client, rounds)
        )
        for spec in SPECS
    ]


def all_four(*, rounds: int) -> float:
    """`python -m codegen` over the whole specs/ folder, as CI's `--check` runs it: the median wall time."""
    times = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            begun = time.perf_counter()
            subprocess.run(  # noqa: S603 - our own argument list
                [sys.executable, "-m", "codegen", "--out", folder], cwd=ROOT, check=True, capture_output=True
            )
            times.append(time.perf_counter() - begun)
    return median(times)


def _tessera(specs: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "codegen", "--specs", str(specs), "--out", str(out)]


def _openapi_python_client(specs: Path, out: Path) -> list[str]:
    (spec,) = specs.iterdir()
    return [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(spec),
        "--output-path",
        str(out / "client"),
        "--meta",
        "none",
    ]


def _timed(spec: Path, command: Command, rounds: int) -> Timing:
    """The median wall time of `command(specs, out)` over `rounds` runs, each in fresh folders."""
    times: list[float] = []
    error = None
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            specs, out = Path(folder) / "specs", Path(folder) / "out"
            specs.mkdir()
            shutil.copyfile(spec, specs / spec.name)
            begun = time.perf_counter()
            completed = subprocess.run(command(specs, out), cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
            times.append(time.perf_counter() - begun)
            if completed.returncode != 0:
                lines = (completed.stderr or completed.stdout).strip().splitlines()
                error = lines[-1] if lines else f"exit status {completed.returncode}"
    return Timing(median(times), error)
