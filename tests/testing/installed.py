"""pytest run in a subprocess as a user's project runs it: tessera importable and its pytest plugin installed.

The checkout is not installed in the test environment, so the plugin is installed the way a wheel does it:
a dist-info whose entry_points.txt holds pyproject.toml's own `pytest11` table, found through PYTHONPATH.
A plugin declared wrongly in pyproject.toml is then not loaded here either.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import tessera

SOURCE = Path(tessera.__file__).parents[1]
PYPROJECT = SOURCE.parent / "pyproject.toml"


def install_plugin(site: Path) -> None:
    """Write, under `site`, the metadata of a distribution declaring pyproject.toml's pytest11 entry points."""
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["entry-points"]["pytest11"]
    dist_info = site / "aiotessera_under_test-0.0.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: aiotessera-under-test\nVersion: 0.0.0\n")
    entries = "".join(f"{name} = {value}\n" for name, value in declared.items())
    (dist_info / "entry_points.txt").write_text(f"[pytest11]\n{entries}", encoding="utf-8")


def run_pytest(module: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """pytest on `module`, from its folder, with warnings as errors; the plugin installed beside it."""
    site = module.parent / "site"
    install_plugin(site)
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(SOURCE), str(site)])}
    return subprocess.run(  # noqa: S603 - this interpreter running pytest on a module the test wrote
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", *options, str(module)],
        check=False,
        cwd=module.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
