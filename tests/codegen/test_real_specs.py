"""The project's own specs: they generate, and what is committed under src/tessera/ is what they generate."""

from __future__ import annotations

import subprocess
import sys

import pytest

from codegen.build import compare, generate
from codegen.render import ROOT

SPECS = ROOT / "specs"
OUT = ROOT / "src" / "tessera"

pytestmark = pytest.mark.skipif(not any(SPECS.glob("*.yaml")), reason="no specs written yet")


def test_committed_generated_code_is_what_the_specs_generate() -> None:
    generated = generate(SPECS, "tessera")
    assert {name.split("/")[0] for name in generated} == {path.stem for path in SPECS.glob("*.yaml")}
    diff = compare(generated, OUT)
    assert not diff, "run `python -m codegen`:\n" + "".join(diff)


def test_committed_profiles_pass_the_project_lint() -> None:
    # models.py and _endpoints.py are excluded from lint by pyproject.toml; _profile.py is not.
    profiles = sorted(str(path) for path in OUT.glob("*/_profile.py"))
    assert profiles
    lint = subprocess.run(  # noqa: S603 - our own argument list
        [sys.executable, "-m", "ruff", "check", *profiles],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
