"""The vendors' own example bodies (tests/fixtures/) against the specs: each names a real operation or webhook and
the model the spec gives it, and decodes through the client's codec with every value where the body put it.

The fixtures' format is in tests/fixtures/README.md. A body the vendor publishes that tessera refused would be a
bug of the spec (a field required that the vendor leaves out, a type or enum value it does not send): the spec
changes, not the fixture.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import json
import tomllib
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from aiohttp import web

from tessera import errors, zapsign
from tessera._runtime.conversion import Codec, json_name

FIXTURES = Path(__file__).parents[1] / "fixtures"
SPECS = Path(__file__).parents[2] / "specs"
VENDORS = ("zapsign", "videsk", "optiwe", "biuwer")
KEYS = frozenset(
    (
        "page",
        "language",
        "operation",
        "webhook",
        "event",
        "status",
        "model",
        "note",
        "source",
        "expect",
        "contradiction",
    )
)
REQUIRED_KEYS = {"page", "language", "status", "model"}
LANGUAGES = {"pt", "es", "en"}


@dataclass(frozen=True)
class Example:
    vendor: str
    stem: str
    body: bytes
    sidecar: Mapping[str, Any]

    def __str__(self) -> str:
        return f"{self.vendor}/{self.stem}"


def examples() -> list[Example]:
    found = []
    for vendor in VENDORS:
        for body in sorted((FIXTURES / vendor).glob("*.json")):
            sidecar = body.with_suffix(".toml")
            loaded = tomllib.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
            found.append(Example(vendor, body.stem, body.read_bytes(), loaded))
    return found


EXAMPLES = examples()


@cache
def spec(vendor: str) -> Mapping[str, Any]:
    loaded: Mapping[str, Any] = yaml.safe_load((SPECS / f"{vendor}.yaml").read_text(encoding="utf-8"))
    return loaded


def operations(vendor: str) -> dict[str, Mapping[str, Any]]:
    return {
        operation["operationId"]: operation
        for item in spec(vendor)["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
    }


def schema_name(schema: Mapping[str, Any]) -> str:
    """`Name` for a `$ref`, `list[Name]` for an array of one, as sidecars write them."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[1]
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return f"list[{schema_name(schema['items'])}]"
    return repr(schema)


def spec_model(example: Example) -> str | None:
    """The model the spec gives the example's operation (at its status) or webhook; None when it has none."""
    sidecar = example.sidecar
    if "webhook" in sidecar:
        webhook = spec(example.vendor).get("webhooks", {}).get(sidecar["webhook"])
        if webhook is None:
            return None
        return schema_name(webhook["post"]["requestBody"]["content"]["application/json"]["schema"])
    operation = operations(example.vendor).get(sidecar.get("operation", ""))
    response = None if operation is None else operation["responses"].get(str(sidecar["status"]))
    if response is None or "content" not in response:
        return None
    return schema_name(response["content"]["application/json"]["schema"])


def sidecar_problems(example: Example) -> list[str]:
    """What is wrong with an example's sidecar, against the fixture format and the vendor's spec."""
    sidecar = example.sidecar
    if not sidecar:
        return ["no sidecar"]
    problems = [f"unknown key {key!r}" for key in sorted(set(sidecar) - KEYS)]
    problems += [f"missing key {key!r}" for key in sorted(REQUIRED_KEYS - set(sidecar))]
    if ("operation" in sidecar) == ("webhook" in sidecar):
        problems.append("needs exactly one of operation or webhook")
    if "webhook" in sidecar and "event" not in sidecar:
        problems.append("a webhook example names its event")
    if sidecar.get("language") not in LANGUAGES:
        problems.append(f"language {sidecar.get('language')!r} is not one of {sorted(LANGUAGES)}")
    outside = sorted(key for key, value in sidecar.items() if "../" in str(value))
    problems += [f"{key} names a place outside the repository and the public pages" for key in outside]
    if sidecar.get("expect", "malformed") != "malformed":
        problems.append(f"expect {sidecar['expect']!r} is not 'malformed'")
    if "operation" in sidecar and sidecar["operation"] not in operations(example.vendor):
        problems.append(f"no operation {sidecar['operation']!r} in specs/{example.vendor}.yaml")
    if "webhook" in sidecar and sidecar["webhook"] not in spec(example.vendor).get("webhooks", {}):
        problems.append(f"no webhook {sidecar['webhook']!r} in specs/{example.vendor}.yaml")
    if problems:
        return problems
    try:
        model_type(example)
    except AttributeError:
        return [f"no model {sidecar['model']!r} in tessera.{example.vendor}.models"]
    expected = spec_model(example)
    if "contradiction" in sidecar:
        if expected == sidecar["model"]:
            problems.append("the spec now gives this model: drop the contradiction key")
    elif expected != sidecar["model"]:
        problems.append(f"the spec gives {expected} for status {sidecar['status']}, not {sidecar['model']}")
    return problems


def model_type(example: Example) -> Any:
    models = importlib.import_module(f"tessera.{example.vendor}.models")
    name: str = example.sidecar["model"]
    if name.startswith("list[") and name.endswith("]"):
        return list[getattr(models, name[5:-1])]  # type: ignore[misc]  # a runtime-built generic alias
    return getattr(models, name)


def decoded(example: Example) -> object:
    """The body through the path a client uses: a webhook's parse function, or the codec of a call."""
    if "webhook" in example.sidecar:
        webhooks = importlib.import_module(f"tessera.{example.vendor}.webhooks")
        parsed: object = getattr(webhooks, f"parse_{example.sidecar['webhook']}")(example.body)
        return parsed
    return Codec().decode(
        example.body, model_type(example), vendor=example.vendor, operation=example.sidecar["operation"]
    )


def compared(value: object, model: object, path: str) -> Iterator[str]:
    """Checks that every JSON value with a field landed in it unchanged; yields the paths it compared."""
    if attrs.has(model_class := type(model)):
        assert isinstance(value, dict), f"{path}: an object decoded from {value!r}"
        for field in attrs.fields(model_class):
            name = json_name(field)
            if name in value:
                yield from compared(value[name], getattr(model, field.name), f"{path}.{name}")
        return
    if isinstance(model, list) and isinstance(value, list):
        assert len(model) == len(value), path
        for index, (item, decoded_item) in enumerate(zip(value, model, strict=True)):
            yield from compared(item, decoded_item, f"{path}[{index}]")
        return
    if isinstance(model, datetime.datetime):
        assert isinstance(value, str), path
        assert model == datetime.datetime.fromisoformat(value), path
    elif isinstance(model, enum.Enum):
        assert model.value == value, path
    elif isinstance(value, bool):
        assert model is value, path
    else:
        assert model == value, f"{path}: {model!r} decoded from {value!r}"
    yield path


def test_every_body_has_a_sidecar_and_every_sidecar_a_body() -> None:
    for vendor in VENDORS:
        folder = FIXTURES / vendor
        bodies = {path.stem for path in folder.glob("*.json")}
        sidecars = {path.stem for path in folder.glob("*.toml")}
        assert bodies - sidecars == set(), f"{vendor}: bodies without a sidecar"
        assert sidecars - bodies == set(), f"{vendor}: sidecars without a body"
        others = {path.name for path in folder.glob("*") if path.suffix not in {".json", ".toml"}} - {"errors"}
        assert not others, f"{vendor}: {others} are neither bodies nor sidecars (error bodies go in errors/)"


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_the_sidecar_names_the_spec_s_operation_and_model(example: Example) -> None:
    assert sidecar_problems(example) == []


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "expect" not in e.sidecar], ids=str)
def test_the_body_decodes_with_every_value_in_its_field(example: Example) -> None:
    model = decoded(example)
    assert type(model).__name__ != "UnknownEvent", f"{example}: event not decoded into the model"
    paths = list(compared(json.loads(example.body), model, "$"))
    assert paths, f"{example}: no value of the body reached a field of {example.sidecar['model']}"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "expect" in e.sidecar], ids=str)
def test_a_body_published_malformed_is_refused(example: Example) -> None:
    with pytest.raises(errors.DecodeError):
        decoded(example)


def test_a_sidecar_naming_what_the_spec_lacks_is_reported() -> None:
    body = (FIXTURES / "zapsign" / "refuse_doc.pt.json").read_bytes()
    base = {"page": "https://example.com", "language": "pt", "status": 200, "model": "MessageResponse"}
    unknown_operation = Example("zapsign", "x", body, {**base, "operation": "refuse_everything"})
    unknown_model = Example("zapsign", "x", body, {**base, "operation": "refuse_doc", "model": "Refusal"})
    other_model = Example("zapsign", "x", body, {**base, "operation": "refuse_doc", "model": "Signer"})
    unknown_status = Example("zapsign", "x", body, {**base, "operation": "refuse_doc", "status": 202})
    assert sidecar_problems(unknown_operation) == ["no operation 'refuse_everything' in specs/zapsign.yaml"]
    assert sidecar_problems(unknown_model) == ["no model 'Refusal' in tessera.zapsign.models"]
    assert sidecar_problems(other_model) == ["the spec gives MessageResponse for status 200, not Signer"]
    assert sidecar_problems(unknown_status) == ["the spec gives None for status 202, not MessageResponse"]
    assert sidecar_problems(Example("zapsign", "x", body, {})) == ["no sidecar"]


@pytest.fixture
async def detail_server() -> AsyncIterator[str]:
    """A plain aiohttp server answering ZapSign's published "Detail document" body (no sandbox, extra_docs,
    created_through, deleted, created_by, answers) to GET /api/v1/docs/{token}/."""
    body = (FIXTURES / "zapsign" / "get_doc.pt.old.json").read_bytes()

    async def detail(request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == "Bearer static-token"
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/api/v1/docs/{doc_token}/", detail)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/api/v1"
    finally:
        await runner.cleanup()


async def test_get_doc_decodes_the_published_detail_body(detail_server: str) -> None:
    auth = zapsign.ApiTokenAuth("static-token")
    async with zapsign.Client(auth=auth, base_url=detail_server) as zs:
        doc = await zs.docs.get_doc(doc_token="eb9c367a-e62f-4992-8360-b0219deaeecc")
    assert doc.token == "eb9c367a-e62f-4992-8360-b0219deaeecc"
    assert doc.status == zapsign.models.DocStatus.PENDING
    assert (doc.sandbox, doc.extra_docs, doc.created_through, doc.deleted) == (None, None, None, None)
    assert (doc.created_by, doc.answers) == (None, None)
    assert doc.signers is not None
    assert [(s.name, s.sign_url) for s in doc.signers] == [("João da Silva", None), ("Fulano Siclano", None)]
