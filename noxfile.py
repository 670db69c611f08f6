"""Every check tessera runs, locally and in CI: `nox -l` lists them."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "codegen_check", "package", "docs", "tests"]

PYTHON = "3.11"
RUFF = "ruff==0.17.6"  # the same as the codegen group's: generated code is formatted by it
MYPY = "mypy>=1.13"
MUTMUT = "mutmut==3.8.*"  # its pyproject keys (source_paths, only_mutate) are 3.x's
PYRIGHT = "pyright[nodejs]==1.1.414"  # node from a wheel: a fresh machine may have no node, nor reach nodejs.org
TEST_DEPS = [
    "pytest>=8.3",
    "pytest-asyncio>=0.24",
    "anyio>=4",
    "hypothesis>=6.100",
    "openapi-spec-validator>=0.7",
    MYPY,
    PYRIGHT,
]
"""mypy is a test dependency too: a test type-checks a freshly generated package; it and pyright check
what the README promises of the generated types (tests/codegen/test_typing.py). anyio: the pytest plugin's
fixtures are run under anyio's pytest plugin too (tests/testing/test_pytest_plugin.py)."""
DOCS_DEPS = ["mkdocs>=1.6", "mkdocs-material>=9.5", "mkdocstrings[python]>=0.27"]
"""The documentation site's builder: mkdocs.yml says what it reads."""
BENCH_DEPS = ["openapi-python-client==0.29.*", "httpx", "pydantic>=2", "msgspec", "matplotlib"]
"""The peers the benchmarks measure tessera against; the type check reads the bench code too."""


PYPROJECT = nox.project.load_toml("pyproject.toml")
CODEGEN_DEPS = nox.project.dependency_groups(PYPROJECT, "codegen")
"""The code generator's tools: a dependency group of pyproject.toml, since the wheel does not ship codegen/."""


def install(session: nox.Session, *extras: str, codegen: bool = False) -> None:
    """tessera itself, editable, with the given extras (and the codegen's tools): every session tests what is
    in the tree."""
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec, *(CODEGEN_DEPS if codegen else ()))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite against the built-in emulators; extra arguments go to pytest."""
    install(session, "redis", "speedups", codegen=True)
    session.install(*TEST_DEPS)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install(RUFF)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the runtime, the generated code, the codegen, the tests and this file."""
    install(session, "redis", "speedups", codegen=True)
    session.install("nox", *TEST_DEPS, *BENCH_DEPS)
    session.run("mypy")


@nox.session(python=PYTHON)
def codegen(session: nox.Session) -> None:
    """Regenerate every vendor's modules from specs/."""
    install(session, codegen=True)
    session.run("python", "-m", "codegen", *session.posargs)


@nox.session(python=PYTHON)
def codegen_check(session: nox.Session) -> None:
    """Fail, printing the diff, when the committed generated modules differ from what specs/ generate."""
    install(session, codegen=True)
    session.run("python", "-m", "codegen", "--check")


@nox.session(python=PYTHON)
def package(session: nox.Session) -> None:
    """Build the sdist and the wheel, install the wheel alone in a fresh environment outside the checkout, import
    the four vendors and run the demo from there: the package as its users get it, not the editable tree."""
    session.install("build")
    dist = Path(session.create_tmp()) / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist))
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        session.log(f"{wheel.name}: {wheel.stat().st_size / 1024:.0f} kB, {len(archive.namelist())} files")
    check = Path(".ci", "check_installed.py").resolve()
    with tempfile.TemporaryDirectory() as user:
        python = str(Path(user) / "venv" / "bin" / "python")
        session.run("python", "-m", "venv", str(Path(user) / "venv"))
        session.run(python, "-m", "pip", "install", "--quiet", f"{wheel}[redis,speedups]", external=True)
        with session.chdir(user):
            session.run(python, str(check), external=True)
            session.run(python, "-m", "tessera", "demo", "--seconds", "3", external=True)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the documentation site into site/ with warnings as errors, then screenshot a vendor's reference page
    in headless Chromium (site/screenshot.png): the page must render the client, its operations and models."""
    install(session)
    session.install(*DOCS_DEPS, RUFF)  # ruff formats the signatures mkdocstrings shows
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", env={"NO_MKDOCS_2_WARNING": "1"})
    session.run("python", ".ci/docs_screenshot.py", "site", "site/screenshot.png")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks (not in CI): writes docs/benchmarks.md and docs/throughput.png; BENCH_QUICK=1 for a short run."""
    install(session, "speedups", codegen=True)
    session.install(*BENCH_DEPS, MYPY)  # mypy: the corpus comparison runs it on both generators' output
    session.run("python", "-m", "bench", env={"BENCH_QUICK": session.env.get("BENCH_QUICK", "0")})


@nox.session(python=PYTHON)
def mutation(session: nox.Session) -> None:
    """Mutation testing with mutmut (not in CI: too slow for it); docs/mutation.md has the last run's figures.

    The modules are `[tool.mutmut]`'s, each mutant run against the tests that reach it; arguments after
    `--` pick mutants, e.g. `nox -s mutation -- "tessera._runtime.retries*"` for one module.
    """
    install(session, "redis", "speedups", codegen=True)
    session.install(*TEST_DEPS, MUTMUT)
    session.run("mutmut", "run", *session.posargs)
    session.run("mutmut", "results")
