"""`python -m codegen` and `--check`: same bytes every time, stale output detected with a diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.build import build
from tests.codegen.generated import write_spec
from tests.codegen.inline_specs import OPERATIONS, SHAPES

VENDORS = {"first": OPERATIONS, "second": SHAPES}


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    for vendor, body in VENDORS.items():
        write_spec(tmp_path / "specs", vendor, body)
    return tmp_path / "specs"


def run(specs: Path, out: Path, *options: str) -> int:
    return build(["--specs", str(specs), "--out", str(out), *options])


def snapshot(out: Path) -> dict[str, bytes]:
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*.py"))}


def test_generating_twice_gives_the_same_bytes(specs: Path, tmp_path: Path) -> None:
    assert run(specs, tmp_path / "one") == 0
    assert run(specs, tmp_path / "two") == 0
    first = snapshot(tmp_path / "one")
    assert first == snapshot(tmp_path / "two")
    assert set(first) == {
        f"{vendor}/{module}"
        for vendor in VENDORS
        for module in ("__init__.py", "models.py", "_endpoints.py", "_profile.py")
    }


def test_check_passes_on_fresh_output(specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(specs, tmp_path / "out") == 0
    capsys.readouterr()
    assert run(specs, tmp_path / "out", "--check") == 0
    assert capsys.readouterr().out == ""


def test_check_fails_with_a_diff_when_a_generated_file_was_edited(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(specs, out) == 0
    models = out / "second" / "models.py"
    models.write_text(
        models.read_text(encoding="utf-8").replace("class Doc(Model):", "class Document(Model):"), encoding="utf-8"
    )
    capsys.readouterr()
    assert run(specs, out, "--check") == 1
    diff = capsys.readouterr().out
    assert "--- a/second/models.py\n+++ b/second/models.py\n" in diff
    assert "-class Document(Model):\n+class Doc(Model):\n" in diff


def test_check_counts_missing_and_extra_generated_files(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(specs, out) == 0
    (out / "first" / "_profile.py").unlink()
    (specs / "second.yaml").unlink()
    capsys.readouterr()
    assert run(specs, out, "--check") == 1
    diff = capsys.readouterr().out
    assert "--- /dev/null\n+++ b/first/_profile.py\n" in diff
    assert "--- a/second/models.py\n+++ /dev/null\n" in diff


def test_writing_removes_the_output_of_a_removed_spec_and_keeps_hand_written_files(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(specs, out) == 0
    hand_written = out / "second" / "__init__.py"
    hand_written.write_text('"""The second client."""\n', encoding="utf-8")
    (specs / "second.yaml").unlink()
    assert run(specs, out) == 0
    assert sorted(path.name for path in (out / "second").iterdir()) == ["__init__.py"]
    assert hand_written.read_text(encoding="utf-8") == '"""The second client."""\n'
    assert run(specs, out, "--check") == 0


def test_an_existing_vendor_init_is_left_alone(specs: Path, tmp_path: Path) -> None:
    init = tmp_path / "out" / "first" / "__init__.py"
    init.parent.mkdir(parents=True)
    init.write_text("from . import models\n", encoding="utf-8")
    assert run(specs, tmp_path / "out") == 0
    assert init.read_text(encoding="utf-8") == "from . import models\n"


def test_a_spec_error_exits_2_naming_the_file_and_the_place(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (specs / "first.yaml").read_text(encoding="utf-8").replace("  /items/{itemId}/:", "  items/{itemId}/:")
    (specs / "first.yaml").write_text(broken, encoding="utf-8")
    assert run(specs, tmp_path / "out") == 2
    assert capsys.readouterr().err == (
        "error: specs/first.yaml#/paths/items~1{itemId}~1: path 'items/{itemId}/' does not start with '/'\n"
    )
    assert not (tmp_path / "out").exists()
