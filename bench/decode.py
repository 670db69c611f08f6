"""Decode: one 1,000-document page into models: tessera vs pydantic v2 vs msgspec (the floor).

The pydantic v2 models are datamodel-code-generator's default output for specs/zapsign.yaml,
generated at bench time; the msgspec Structs are written here for the same DocList shape.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import orjson

from bench.common import median, zapsign_page
from tessera import zapsign
from tessera._runtime.conversion import Codec

ROOT = Path(__file__).parents[1]
DOCUMENTS = 1_000


class DocStatus(enum.StrEnum):
    PENDING = "pending"
    SIGNED = "signed"
    REFUSED = "refused"


class ListedSignerStatus(enum.StrEnum):
    NAO_ABRIU = "nao_abriu"
    ABRIU = "abriu"
    ASSINOU = "assinou"
    RECUSOU = "recusou"
    EXPIROU = "expirou"
    CANCELADO = "cancelado"


# The spec's ListedSigner, DocSummary and DocList (a list page's shapes), field for field: the same types
# (date-times, enums) and the same required fields as the attrs and pydantic models, so that the floor does the
# same work. tessera's enums are open (`DocStatus | str`: an unknown value is kept), which msgspec cannot
# spell beside a str enum: here they are closed, a little less work than tessera's.
class ListedSigner(msgspec.Struct, kw_only=True):
    name: str
    email: str | None
    status: ListedSignerStatus
    auth_mode: str | None
    signing_url: str | None
    has_certificate: bool
    order: int | None = None


class DocSummary(msgspec.Struct, kw_only=True):
    open_id: int | None = None
    token: str
    status: DocStatus
    name: str
    original_file: str | None = None
    signed_file: str | None = None
    created_at: datetime.datetime | None = None
    last_update_at: datetime.datetime | None = None
    folder_path: str | None = None
    external_id: str | None = None
    signers: list[ListedSigner] | None = None


class DocList(msgspec.Struct, kw_only=True):
    count: int
    next: str | None
    previous: str | None
    results: list[DocSummary]


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
            "pydantic_v2.BaseModel",  # the default, named: the figure is pydantic v2's whatever the default becomes
            "--output",
            str(folder / "zapsign_pydantic.py"),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(folder))
    return importlib.import_module("zapsign_pydantic")


def timed(decode: Callable[[], object], times: int) -> float:
    """The median of `times` decodes, in seconds."""
    seconds = []
    for _ in range(times):
        begun = time.perf_counter()
        decode()
        seconds.append(time.perf_counter() - begun)
    return median(seconds)


def check(page: Any, documents: int) -> None:
    """Every decoder must have read every document, its date-times as datetimes and its signers."""
    first = page.results[0]
    if len(page.results) != documents or not isinstance(first.created_at, datetime.datetime) or not first.signers:
        raise RuntimeError(f"{type(page).__module__} decoded the page short: {first!r:.300}")


def run(*, rounds: int) -> dict[str, float]:
    raw = zapsign_page(DOCUMENTS)
    codec, plain = Codec(), Codec(speedups=False)
    decoder = msgspec.json.Decoder(DocList)
    with tempfile.TemporaryDirectory() as folder:
        models = pydantic_models(Path(folder))
        decoders: dict[str, Callable[[], object]] = {
            "tessera": lambda: plain.decode(raw, zapsign.models.DocList, vendor="zapsign", operation="list_docs"),
            "tessera[speedups]": lambda: codec.decode(
                raw, zapsign.models.DocList, vendor="zapsign", operation="list_docs"
            ),
            "pydantic v2": lambda: models.DocList.model_validate_json(raw),
            "msgspec": lambda: decoder.decode(raw),
        }
        # From the parsed JSON (dicts and lists) to models: the structuring alone, which is where cattrs and
        # pydantic are compared in the issue; each reading of the bytes above adds its JSON parser's time.
        parsed = json.loads(raw)
        decoders |= {
            "tessera, from parsed JSON": lambda: plain.structure(
                parsed, zapsign.models.DocList, vendor="zapsign", operation="list_docs"
            ),
            "pydantic v2, from parsed JSON": lambda: models.DocList.model_validate(parsed),
            "msgspec, from parsed JSON": lambda: msgspec.convert(parsed, DocList),
        }
        for decode in decoders.values():
            check(decode(), DOCUMENTS)  # and warm: compiled hooks, validators
        decoders["json.loads alone (within tessera's time)"] = lambda: json.loads(raw)
        decoders["orjson.loads alone (within tessera[speedups]'s time)"] = lambda: orjson.loads(raw)
        figures: dict[str, list[float]] = {name: [] for name in decoders}
        for _ in range(rounds):
            for name, decode in decoders.items():
                figures[name].append(timed(decode, 5))
    return {name: median(values) * 1000 for name, values in figures.items()} | {"bytes": float(len(raw))}
