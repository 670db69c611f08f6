"""The documentation's runnable examples (docs/examples/), run as a reader runs them: a fresh interpreter, no
arguments, against the emulators they start themselves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import tessera

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"


def run(example: str) -> list[str]:
    env = os.environ | {"PYTHONPATH": str(Path(tessera.__file__).parents[1])}
    finished = subprocess.run(  # noqa: S603 - this interpreter on the repository's own example
        [sys.executable, str(EXAMPLES / example)], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.splitlines()


def test_getting_started_prints_what_its_page_says() -> None:
    listed, created, refused = run("getting_started.py")
    assert listed.endswith("documents; the first is 'Contrato 001'")
    assert created.startswith("created 'NDA': Ana signs at https://")
    assert refused == "404: Not found."


def test_every_example_has_a_test() -> None:
    assert sorted(path.name for path in EXAMPLES.glob("*.py")) == ["getting_started.py"]
