"""The third-party corpus (tests/codegen/corpus/, origins in its README): each spec as published, through
every stage a user meets: the codegen generates it, the package imports, `mypy --strict` passes on it, and
its operations answer calls to a server on 127.0.0.1 that speaks the spec (tests/codegen/corpus_calls.py).

The table EXPECTED says where each spec stands today. A stage that does not pass is recorded there, not
skipped: the test fails when a stage regresses and also when one starts to pass without the table saying
so. One mypy run checks every generated package (a run per package would start mypy six times).
"""

from __future__ import annotations

import asyncio
import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import Literal

import attrs
import pytest

from codegen.build import GENERATED_MODULES, generate, write
from codegen.errors import SpecError
from tests.codegen.corpus_calls import SCENARIOS, Calls, serving
from tests.codegen.generated import importable, mypy_strict

CORPUS = Path(__file__).parent / "corpus"

Outcome = Literal["pass", "spec error", "traceback", "errors", "not reached", "no scenario"]
"""A stage passed; the codegen refused the spec with a SpecError naming the place; the codegen crashed
with a traceback; the import, mypy or a call reported errors; the stage had no package to work on; or
the package imports but corpus_calls.py has no calls for it yet."""


@attrs.frozen
class Stages:
    generates: Outcome
    imports: Outcome
    mypy: Outcome
    calls: Outcome


_NOT_GENERATED: dict[str, Outcome] = {"imports": "not reached", "mypy": "not reached", "calls": "not reached"}
EXPECTED = {
    "oai-petstore": Stages(generates="pass", imports="pass", mypy="pass", calls="pass"),
    "oai-petstore-expanded": Stages(generates="pass", imports="pass", mypy="pass", calls="pass"),
    "oai-uspto": Stages(generates="pass", imports="pass", mypy="pass", calls="pass"),
    # Its operations' security names an oauth2 implicit scheme (petstore_auth), a browser flow a client cannot
    # run: a SpecError at /components/securitySchemes/petstore_auth/flows, at generation (before: at import).
    "swagger-petstore-v3": Stages(generates="pass", imports="pass", mypy="pass", calls="pass"),
    "opc-baseline-3.1": Stages(generates="pass", imports="pass", mypy="pass", calls="pass"),
    "resend": Stages(generates="pass", imports="pass", mypy="pass", calls="pass"),
}


@attrs.frozen
class Result:
    """Where one spec got to, and what stopped it (the codegen's message, the exception, mypy's lines)."""

    stages: Stages
    detail: str


def test_the_table_covers_the_corpus() -> None:
    assert sorted(EXPECTED) == sorted(path.stem for path in CORPUS.glob("*.yaml"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Every spec through every stage; one mypy run over all the packages that were generated."""
    root = tmp_path_factory.mktemp("corpus")
    packages: dict[str, Path] = {}
    generation: dict[str, tuple[Outcome, str]] = {}
    for name in sorted(EXPECTED):
        generation[name] = _generate(root / name, CORPUS / f"{name}.yaml")
        if generation[name][0] == "pass":
            (packages[name],) = (root / name / "out").iterdir()
    report = _mypy(list(packages.values()), root) if packages else ""
    results: dict[str, Result] = {}
    for name, (generates, detail) in generation.items():
        package = packages.get(name)
        if package is None:
            results[name] = Result(Stages(generates, "not reached", "not reached", "not reached"), detail)
            continue
        imports, calls, import_detail = _import_and_call(name, package)
        mypy_lines = [line for line in report.splitlines() if line.startswith(f"{package}{os.sep}")]
        mypy: Outcome = "errors" if mypy_lines else "pass"
        results[name] = Result(Stages(generates, imports, mypy, calls), "\n".join([import_detail, *mypy_lines]))
    return results


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_spec_as_published_reaches_the_stages_the_table_says(corpus: dict[str, Result], name: str) -> None:
    result = corpus[name]
    assert result.stages == EXPECTED[name], f"{name}: {result.stages} (update EXPECTED if it improved)\n{result.detail}"


def _generate(root: Path, spec: Path) -> tuple[Outcome, str]:
    """`python -m codegen` on a folder holding only this spec, byte for byte as published."""
    specs = root / "specs"
    specs.mkdir(parents=True)
    (specs / spec.name).write_bytes(spec.read_bytes())
    try:
        write(generate(specs, "tessera"), root / "out")
    except SpecError as error:
        return "spec error", str(error)
    except Exception as error:  # noqa: BLE001 - a traceback is an outcome to record, like a SpecError
        return "traceback", f"{type(error).__name__}: {error}"
    return "pass", ""


def _import_and_call(name: str, package: Path) -> tuple[Outcome, Outcome, str]:
    """Import the package and each generated module of it, as a user's code would; then make the spec's calls."""
    modules = [module.removesuffix(".py") for module in GENERATED_MODULES if (package / module).exists()]
    with importable(package.parent):
        try:
            imported = importlib.import_module(package.name)
            for module in modules:
                if module != "__init__":
                    importlib.import_module(f"{package.name}.{module}")
        except Exception as error:  # noqa: BLE001 - what the import raised goes into the report
            return "errors", "not reached", f"import {package.name}: {type(error).__name__}: {error}"
        if name not in SCENARIOS:
            return "pass", "no scenario", ""
        try:
            asyncio.run(_call(SCENARIOS[name], imported))
        except Exception as error:  # noqa: BLE001 - a failed call (or assertion) goes into the report
            return "pass", "errors", f"calls: {type(error).__name__}: {error}"
    return "pass", "pass", ""


async def _call(calls: Calls, package: ModuleType) -> None:
    """The scenario on the package's own Client, as its README would have a user build it."""
    seen: list[str] = []
    given = {} if calls.auth is None else {"auth": calls.auth(package)}
    async with (
        serving(calls.routes, seen) as base_url,
        package.Client(base_url=base_url, timeout=10.0, max_retries=0, **given) as client,
    ):
        await calls.scenario(client, package.models, seen)


def _mypy(packages: list[Path], root: Path) -> str:
    """`mypy --strict` once over every package, against this checkout's runtime (not an installed one)."""
    completed = mypy_strict(packages, cache=root / "mypy-cache", cwd=root, flags=("--show-absolute-path",))
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"mypy did not run: {completed.stdout}{completed.stderr}")
    return completed.stdout
