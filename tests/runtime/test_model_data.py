"""Models to and from plain JSON data: `to_dict()`, `to_json()` and `Model.from_dict()`.

Round trips with every example body the vendors publish (tests/fixtures/): `from_dict(body).to_dict()` is
the body, but for what the README says differs (a null member is left out; a date-time is the same instant
written by `isoformat()`), and `from_dict(model.to_dict())` is the model, unknown fields included; hypothesis
builds models of every class to check the second with values no fixture has.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import math
import os
import tomllib
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tessera
from tessera import errors, videsk, zapsign
from tessera._runtime.model import Model

FIXTURES = Path(__file__).parents[1] / "fixtures"
VENDORS = ("zapsign", "videsk", "optiwe", "biuwer")


def object_examples() -> list[tuple[str, type[Model], dict[str, Any]]]:
    """Each example body that is a JSON object decoding into one model, as (name, model class, body)."""
    found = []
    for body in sorted(FIXTURES.glob("*/*.json")):
        sidecar = tomllib.loads(body.with_suffix(".toml").read_text(encoding="utf-8"))
        if sidecar.get("expect") == "malformed" or sidecar["model"].startswith("list["):
            continue
        model_type = getattr(importlib.import_module(f"tessera.{body.parent.name}.models"), sidecar["model"])
        if isinstance(model_type, type) and issubclass(model_type, Model):  # not an alias (`list[datetime]`)
            found.append((f"{body.parent.name}/{body.stem}", model_type, json.loads(body.read_bytes())))
    return found


EXAMPLES = object_examples()


def differences(written: object, body: object, path: str = "$") -> Iterator[str]:
    """Where `to_dict()`'s `written` differs from the `body` beyond what the README documents."""
    if isinstance(written, dict) and isinstance(body, dict):
        for name, member in body.items():
            if name not in written:
                if member is not None:
                    yield f"{path}.{name}: left out"
            else:
                yield from differences(written[name], member, f"{path}.{name}")
        yield from (f"{path}.{name}: added" for name in written.keys() - body.keys())
    elif isinstance(written, list) and isinstance(body, list) and len(written) == len(body):
        for index, (item, member) in enumerate(zip(written, body, strict=True)):
            yield from differences(item, member, f"{path}[{index}]")
    elif (type(written) is not type(body) or written != body) and not (
        same_number(written, body) or same_instant(written, body)
    ):
        yield f"{path}: {written!r} for {body!r}"


def same_number(written: object, body: object) -> bool:
    """A `number` field holds a float: a body's 5 is written 5.0."""
    return type(written) is float and type(body) is int and written == body


def same_instant(written: object, body: object) -> bool:
    """A date-time is written by isoformat(): `2020-04-16T03:33:46.241775+00:00` for `...241775Z`."""
    if not isinstance(written, str) or not isinstance(body, str):
        return False
    try:
        return datetime.datetime.fromisoformat(written) == datetime.datetime.fromisoformat(body)
    except ValueError:
        return False


def test_there_are_examples_of_every_vendor_with_a_spec_that_publishes_them() -> None:
    assert len(EXAMPLES) >= 70
    assert {name.split("/")[0] for name, _, _ in EXAMPLES} == {"zapsign", "videsk"}


@pytest.mark.parametrize(("name", "model_type", "body"), EXAMPLES, ids=[name for name, _, _ in EXAMPLES])
def test_a_published_body_round_trips(name: str, model_type: type[Model], body: dict[str, Any]) -> None:
    model = model_type.from_dict(body)
    written = model.to_dict()
    assert list(differences(written, body)) == []
    assert json.loads(model.to_json()) == written
    again = model_type.from_dict(written)
    assert again == model
    assert tessera.unknown_fields(again) == tessera.unknown_fields(model)


def test_to_dict_writes_json_names_iso_text_enum_values_and_unknown_fields() -> None:
    body = {"_id": "64f1", "firstname": "Ana", "extraField": {"kept": [1, 2.5, None]}}
    agent = videsk.models.ServiceUser.from_dict(body)
    assert (agent.id, tessera.unknown_fields(agent)["extraField"]) == ("64f1", {"kept": [1, 2.5, None]})
    assert agent.to_dict() == body
    assert json.loads(agent.to_json(indent=2)) == body
    doc = zapsign.models.DocSummary.from_dict(
        {"token": "t", "name": "NDA", "status": "pending", "created_at": "2024-03-25T14:30:00.123Z", "open_id": None}
    )
    written = doc.to_dict()
    assert written == {
        "token": "t",
        "name": "NDA",
        "status": "pending",
        "created_at": "2024-03-25T14:30:00.123000+00:00",
    }
    assert type(written["status"]) is str  # the member's value, not the member


def test_a_model_built_by_hand_has_its_fields_only() -> None:
    request = zapsign.models.CreateWebhookRequest(url="https://h", type="doc_signed")
    assert request.to_dict() == {"url": "https://h", "type": "doc_signed"}


def test_from_dict_refuses_as_a_response_is_refused_naming_the_field() -> None:
    good = {"count": 1, "next": None, "previous": None, "results": [{"token": "t", "name": "n", "status": "x"}]}
    assert zapsign.models.DocList.from_dict(good).results[0].status == "x"  # open enum: kept as it came
    bad = good | {"results": [{"token": "t", "name": 5, "status": "x"}]}
    with pytest.raises(errors.DecodeError) as refused:
        zapsign.models.DocList.from_dict(bad)
    assert refused.value.path == "$.results[0].name"
    assert str(refused.value).startswith("zapsign.DocList.from_dict: expected a string, got int")
    with pytest.raises(errors.DecodeError) as not_an_object:
        zapsign.models.DocList.from_dict([good])  # type: ignore[arg-type]  # what a caller may still pass
    assert not_an_object.value.path == "$"


def model_classes() -> list[type[Model]]:
    """Every model class of the four vendors but those with a free-form field."""
    found: list[type[Model]] = []
    for vendor in VENDORS:
        models = importlib.import_module(f"tessera.{vendor}.models")
        classes = [cls for _, cls in inspect.getmembers(models, inspect.isclass) if cls.__module__ == models.__name__]
        found += [cls for cls in classes if issubclass(cls, Model) and not _free_form(cls)]
    return found


def _free_form(cls: type[Any]) -> bool:
    """A field of JSON values (`typing.Any`): hypothesis has no strategy for it; the examples cover them."""
    hints = typing.get_type_hints(cls)
    return any("Any" in repr(hint) for hint in hints.values()) or any(
        attrs.has(inner) and _free_form(inner) for hint in hints.values() for inner in _classes_in(hint)
    )


def _classes_in(hint: object) -> Iterator[type[Any]]:
    if isinstance(hint, type):
        yield hint
    for argument in typing.get_args(hint):
        yield from _classes_in(argument)


def holds_path(value: object) -> bool:
    if isinstance(value, os.PathLike):
        return True
    model: Any = type(value)
    if attrs.has(model):
        return any(holds_path(getattr(value, field.name)) for field in attrs.fields(model))
    return isinstance(value, list | tuple) and any(holds_path(item) for item in value)


def has_nan(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value) or math.isinf(value)
    if isinstance(value, dict):
        return any(has_nan(member) for member in value.values())
    if isinstance(value, list):
        return any(has_nan(item) for item in value)
    return False


@pytest.mark.parametrize(
    "model_type", model_classes(), ids=lambda cls: f"{cls.__module__.split('.')[1]}.{cls.__name__}"
)
@settings(max_examples=20)
@given(data=st.data())
def test_any_model_round_trips_through_to_dict(model_type: type[Model], data: st.DataObject) -> None:
    model = data.draw(st.from_type(model_type))
    if holds_path(model):  # a request-only bytes field (localfiles.LocalFile) given a path: a call reads it
        with pytest.raises(errors.InvalidArgument, match="to_dict\\(\\) writes no file"):
            model.to_dict()
        return
    written = model.to_dict()
    if has_nan(written):  # not JSON: no body holds one
        return
    json.dumps(written)  # JSON types all through
    assert model_type.from_dict(written) == model
