"""`python -m tessera demo`, the README's first command, runs the batch and reports every vendor."""

from __future__ import annotations

import io
import subprocess
import sys

from tessera._demo import run_demo


async def test_the_batch_reports_each_vendor_with_no_error() -> None:
    out = io.StringIO()
    assert await run_demo(concurrency=200, seconds=1.0, out=out) == 0
    table = out.getvalue().splitlines()
    header = next(i for i, line in enumerate(table) if line.startswith("vendor"))
    rows = {line.split()[0]: line.split() for line in table[header + 1 :] if line.strip()}
    assert set(rows) == {"zapsign", "videsk", "optiwe", "biuwer"}
    assert all(int(row[1].replace(",", "")) > 0 and row[2] == "0" for row in rows.values())


def test_the_command_line_exits_zero() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tessera", "demo", "--concurrency", "20", "--seconds", "0.5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "p99 ms" in done.stdout


def test_bad_arguments_are_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tessera", "demo", "--concurrency", "0"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "--concurrency" in done.stderr
