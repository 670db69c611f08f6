"""Generated code type-checks: `mypy --strict` on a package generated from specs with every shape (~20 s), and
code using the vendors' packages checks as the README says in mypy --strict and pyright (strict) alike."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from codegen.build import build
from tests.codegen.generated import assert_mypy_strict, assert_project_lint, mypy_strict, pyright_strict, write_spec
from tests.codegen.inline_specs import INLINE, OPERATIONS, SHAPES

ACCEPTED = """\
from collections.abc import Mapping

import tessera
from tessera import zapsign
from tessera.zapsign import models


async def reads(zs: zapsign.Client) -> None:
    await zs.docs.list_docs(status="pending")
    await zs.docs.list_docs(status=models.DocStatus.SIGNED)
    doc = await zs.docs.get_doc(doc_token="t")
    status: models.DocStatus | str | None = doc.status  # optional: the older detail body lacks it
    extra: Mapping[str, object] = tessera.unknown_fields(doc)
    print(status == "expired", status is models.DocStatus.PENDING, extra)
    request = models.CreateWebhookRequest(url="https://h", type="doc_signed")
    await zs.webhooks.create_webhook(body=request, send_unknown_fields=True)
"""
"""What the README promises: a request enum takes its values as strings, an answer's enum may be any string."""

REFUSED = """\
from tessera import zapsign
from tessera.zapsign import models


async def typos(zs: zapsign.Client) -> None:
    await zs.docs.list_docs(status="pendin")  # refused
    print(models.CreateWebhookRequest(url="https://h", type="doc_signd"))  # refused
    doc = await zs.docs.get_doc(doc_token="t")
    member: models.DocStatus = doc.status  # refused: it may be a string no member has
    print(member)
"""
"""A value a request enum does not list, and an answer's enum taken for a member: each line marked is an error."""


def test_generated_package_passes_mypy_strict_and_the_profile_passes_lint(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "typed_ops", OPERATIONS)
    write_spec(tmp_path / "specs", "typed_shapes", SHAPES)
    write_spec(tmp_path / "specs", "typed_inline", INLINE)
    out = tmp_path / "out"
    assert build(["--specs", str(tmp_path / "specs"), "--out", str(out)]) == 0
    packages = [out / "typed_ops", out / "typed_shapes", out / "typed_inline"]
    assert_mypy_strict(packages, cache=tmp_path / "mypy-cache", cwd=tmp_path)
    assert_project_lint(list(out.glob("*/_profile.py")))


def test_enums_check_as_the_readme_says_in_mypy_and_pyright(tmp_path: Path) -> None:
    pytest.importorskip("pyright", reason="pyright checks the README's promises too (pip install pyright)")
    (tmp_path / "accepted.py").write_text(ACCEPTED, encoding="utf-8")
    (tmp_path / "refused.py").write_text(REFUSED, encoding="utf-8")
    refused_lines = {number for number, line in enumerate(REFUSED.splitlines(), 1) if "# refused" in line}
    mypy = mypy_strict([tmp_path / "accepted.py", tmp_path / "refused.py"], cache=tmp_path / "cache", cwd=tmp_path)
    pyright = pyright_strict([tmp_path / "accepted.py", tmp_path / "refused.py"], cwd=tmp_path)
    for checker, output, pattern in (
        ("mypy", mypy.stdout, r"^refused\.py:(\d+): error"),
        ("pyright", pyright.stdout, r"refused\.py:(\d+):\d+ - error"),
    ):
        assert "accepted.py" not in output, f"{checker}:\n{output}"
        found = {int(number) for number in re.findall(pattern, output, flags=re.MULTILINE)}
        assert found == refused_lines, f"{checker}:\n{textwrap.indent(output, '    ')}"
