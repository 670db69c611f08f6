"""Decode: one 1,000-document page into models: tessera vs pydantic v2 vs msgspec (the floor).

The pydantic v2 models are datamodel-code-generator's default output for specs/zapsign.yaml,
generated at bench time; the msgspec Structs are written here for the same DocList shape.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from bench.common import median, zapsign_page
from tessera import zapsign
from tessera._runtime.conversion import Codec

ROOT = Path(__file__).parents[1]


class Signer(msgspec.Struct):
    token: str
    status: str
    name: str
    sign_url: str | None = None
    email: str | None = None
    phone_country: str | None = None
    phone_number: str | None = None
    times_viewed: int | None = None
    last_view_at: str | None = None
    signed_at: str | None = None
    resend_attempts: int | None = None


class Doc(msgspec.Struct):
    token: str
    name: str
    status: str
    open_id: int | None = None
    original_file: str | None = None
    signed_file: str | None = None
    created_at: str | None = None
    last_update_at: str | None = None
    folder_path: str | None = None
    external_id: str | None = None
    signers: list[Signer] = []


class DocList(msgspec.Struct):
    count: int
    next: str | None
    previous: str | None
    results: list[Doc]


def pydantic_models(folder: Path) -> Any:
    subprocess.run(  # noqa: S603 - our own argument list
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(ROOT / "specs" / "zapsign.yaml"),
            "--input-file-type",
            "openapi",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--output",
            str(folder / "zapsign_pydantic.py"),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(folder))
    return importlib.import_module("zapsign_pydantic")


def best_of(decode: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        begun = time.perf_counter()
        decode()
        times.append(time.perf_counter() - begun)
    return median(times)


def run(*, rounds: int) -> dict[str, float]:
    raw = zapsign_page(1000)
    codec = Codec()
    decoder = msgspec.json.Decoder(DocList)
    with tempfile.TemporaryDirectory() as folder:
        models = pydantic_models(Path(folder))
        decoders: dict[str, Callable[[], object]] = {
            "tessera": lambda: codec.decode(raw, zapsign.models.DocList, vendor="zapsign", operation="list_docs"),
            "pydantic v2": lambda: models.DocList.model_validate_json(raw),
            "msgspec": lambda: decoder.decode(raw),
        }
        for decode in decoders.values():
            decode()  # warm: compiled hooks, validators
        figures: dict[str, list[float]] = {name: [] for name in decoders}
        for _ in range(rounds):
            for name, decode in decoders.items():
                figures[name].append(best_of(decode, 5))
    return {name: median(values) * 1000 for name, values in figures.items()} | {"bytes": float(len(raw))}
