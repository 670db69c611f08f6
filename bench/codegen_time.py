"""Codegen: the wall time of `python -m codegen` for all four specs, into a temporary folder."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median

ROOT = Path(__file__).parents[1]


def run(*, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            begun = time.perf_counter()
            subprocess.run(  # noqa: S603 - our own argument list
                [sys.executable, "-m", "codegen", "--out", folder], cwd=ROOT, check=True, capture_output=True
            )
            times.append(time.perf_counter() - begun)
    return median(times)
