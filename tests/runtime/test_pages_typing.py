"""mypy --strict and pyright (strict) take a paginated call where asyncio wants a coroutine, and type its pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codegen.generated import mypy_strict, pyright_strict

USES = """\
import asyncio

from tessera import videsk, zapsign
from tessera.zapsign import models


async def tasks(zs: zapsign.Client, vd: videsk.Client) -> None:
    page: models.DocList = await asyncio.create_task(zs.docs.list_docs())
    async with asyncio.TaskGroup() as group:
        later = group.create_task(zs.docs.list_docs(page=2))
        segments = group.create_task(vd.segments.list_segments(limit=5))
    following: models.DocList | None = await later.result().next_page()
    print(page.has_next_page(), following, segments.result().total)
    async for each in page.iter_pages():
        summaries: list[models.DocSummary] = each.results
        print(summaries)
    async for doc in zs.docs.list_docs():
        summary: models.DocSummary = doc
        print(summary)
    print(asyncio.run(zs.docs.list_docs()).count)
"""


def test_a_paginated_call_checks_as_a_coroutine_in_mypy_and_pyright(tmp_path: Path) -> None:
    pytest.importorskip("pyright", reason="pyright checks it too (pip install pyright)")
    (tmp_path / "uses.py").write_text(USES, encoding="utf-8")
    mypy = mypy_strict([tmp_path / "uses.py"], cache=tmp_path / "cache", cwd=tmp_path)
    assert mypy.returncode == 0, mypy.stdout
    pyright = pyright_strict([tmp_path / "uses.py"], cwd=tmp_path)
    assert pyright.returncode == 0, pyright.stdout
