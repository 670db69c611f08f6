"""webhooks.py of an inline spec: the parse functions, known and unknown events, and bodies that do not fit."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from codegen.build import build
from tessera._runtime.webhooks import UnknownEvent
from tessera.errors import DecodeError
from tests.codegen.generated import assert_mypy_strict, assert_project_lint, generate, importable, write_spec

VENDOR = "shapes_webhooks"

WEBHOOKS = """\
paths: {}
webhooks:
  order_event:
    x-tessera-event-field: data.kind
    post:
      summary: An order changed.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/OrderEnvelope'}
      responses:
        '200': {description: Acknowledged.}
  ping:
    x-tessera-event-field: event
    post:
      description: A liveness check.
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Ping'}
      responses:
        '204': {description: Acknowledged.}
  audit:
    x-tessera-event-field: meta.action
    post:
      summary: Something was done to a record.
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/AuditRecord'}
      responses:
        '200': {description: Acknowledged.}
  note:
    post:
      summary: A note.
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Note'}
      responses:
        '200': {description: Acknowledged.}
components:
  schemas:
    OrderEnvelope:
      type: object
      required: [id, sentAt, data]
      properties:
        id: {type: integer}
        sentAt: {type: string, format: date-time}
        data: {$ref: '#/components/schemas/OrderEvent'}
    OrderEvent:
      oneOf:
        - $ref: '#/components/schemas/Shipped'
        - $ref: '#/components/schemas/Cancelled'
        - $ref: '#/components/schemas/Returned'
      discriminator:
        propertyName: kind
        mapping:
          shipped: '#/components/schemas/Shipped'
          cancelled: '#/components/schemas/Cancelled'
    Order:
      type: object
      required: [id, total]
      properties:
        id: {type: integer}
        total: {type: number}
    Shipped:
      type: object
      required: [kind, order, carrier]
      properties:
        kind: {type: string}
        order: {$ref: '#/components/schemas/Order'}
        carrier: {type: string}
    Cancelled:
      type: object
      required: [kind, order]
      properties:
        kind: {type: string}
        order: {$ref: '#/components/schemas/Order'}
        reason: {type: [string, "null"]}
    Returned:
      type: object
      required: [kind, order]
      properties:
        kind: {type: string}
        order: {$ref: '#/components/schemas/Order'}
    Ping:
      type: object
      required: [event, seq]
      properties:
        event: {type: string, enum: [ping, pong]}
        seq: {type: integer}
    AuditBase:
      type: object
      required: [id]
      properties:
        id: {type: string}
    AuditMeta:
      type: object
      required: [action]
      properties:
        action: {type: string}
    AuditRecord:
      allOf:
        - $ref: '#/components/schemas/AuditBase'
        - type: object
          required: [meta]
          properties:
            meta: {$ref: '#/components/schemas/AuditMeta'}
    Note:
      type: object
      required: [text]
      properties:
        text: {type: string}
"""

ORDER = {"id": 7, "total": 19.5}


def order_event(kind: str, **fields: object) -> dict[str, object]:
    return {"id": 1, "sentAt": "2024-05-01T12:00:00+00:00", "data": {"kind": kind, "order": ORDER, **fields}}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    """(webhooks, models) of the inline spec."""
    out = generate(tmp_path_factory.mktemp("webhooks"), VENDOR, WEBHOOKS)
    with importable(out):
        from shapes_webhooks import models, webhooks  # type: ignore[import-not-found]  # noqa: PLC0415

        yield webhooks, models


@pytest.fixture
def webhooks(generated: tuple[ModuleType, ModuleType]) -> ModuleType:
    return generated[0]


@pytest.fixture
def models(generated: tuple[ModuleType, ModuleType]) -> ModuleType:
    return generated[1]


def test_the_module_exports_a_parse_function_per_webhook_its_aliases_and_models(webhooks: ModuleType) -> None:
    assert webhooks.__all__ == [
        "AuditRecord",
        "AuditWebhook",
        "Cancelled",
        "Note",
        "NoteWebhook",
        "OrderEnvelope",
        "OrderEventWebhook",
        "Ping",
        "PingWebhook",
        "Returned",
        "Shipped",
        "UnknownEvent",
        "parse",
        "parse_audit",
        "parse_note",
        "parse_order_event",
        "parse_ping",
    ]
    assert all(hasattr(webhooks, name) for name in webhooks.__all__)
    assert webhooks.UnknownEvent is UnknownEvent


def test_return_types_are_the_model_or_an_unknown_event_when_the_spec_lists_the_event_types(
    webhooks: ModuleType, models: ModuleType
) -> None:
    returns = {
        name: typing.get_type_hints(getattr(webhooks, name))["return"]
        for name in webhooks.__all__
        if name.startswith("parse")
    }
    assert returns == {
        "parse": models.OrderEnvelope | UnknownEvent,
        "parse_order_event": models.OrderEnvelope | UnknownEvent,
        "parse_ping": models.Ping | UnknownEvent,
        "parse_audit": models.AuditRecord,
        "parse_note": models.Note,
    }
    assert webhooks.OrderEventWebhook == models.OrderEnvelope | UnknownEvent
    assert webhooks.AuditWebhook is models.AuditRecord


def test_the_module_docstring_tells_parse_and_every_event_type(webhooks: ModuleType) -> None:
    doc = " ".join(str(webhooks.__doc__).split())
    assert "`parse(body)` is the first one's, `parse_order_event`" in doc
    assert "The event type is at `data.kind`: shipped (Shipped), cancelled (Cancelled), Returned (Returned)." in doc
    assert "The event type is at `event`: ping, pong. Any other type returns UnknownEvent(event_type, body)" in doc
    assert "at `meta.action`, which takes any string: every event decodes into AuditRecord" in doc
    assert "note: parse_note(body) -> NoteWebhook A note. NoteWebhook = Note." in doc
    assert "A liveness check." in doc  # a webhook without a summary is described by its description


@pytest.mark.parametrize(
    ("kind", "member"),
    [("shipped", "Shipped"), ("cancelled", "Cancelled"), ("Returned", "Returned")],
)
def test_a_known_event_decodes_into_its_member(
    webhooks: ModuleType, models: ModuleType, kind: str, member: str
) -> None:
    fields = {"carrier": "DHL"} if kind == "shipped" else {}
    event = webhooks.parse(json.dumps(order_event(kind, **fields)).encode())
    assert isinstance(event, models.OrderEnvelope)
    assert type(event.data) is getattr(models, member)
    assert event.data.kind == kind
    assert event.data.order == models.Order(id=7, total=19.5)
    assert event.sent_at.isoformat() == "2024-05-01T12:00:00+00:00"


def test_bytes_text_and_a_decoded_mapping_give_the_same_event(webhooks: ModuleType) -> None:
    body = order_event("cancelled", reason="changed my mind")
    text = json.dumps(body)
    events = [webhooks.parse_order_event(text.encode()), webhooks.parse_order_event(text), webhooks.parse(body)]
    assert events[0] == events[1] == events[2]
    assert events[0].data.reason == "changed my mind"


def test_an_unknown_event_type_is_kept_with_the_whole_body(webhooks: ModuleType) -> None:
    body = order_event("refunded", amount=3)
    event = webhooks.parse(json.dumps(body).encode())
    assert event == UnknownEvent(event_type="refunded", body=body)
    assert event.body["data"]["amount"] == 3


def test_an_unknown_event_is_not_checked_against_the_model(webhooks: ModuleType) -> None:
    # The spec only knows what its listed types look like: a new type may change the envelope too.
    body = {"data": {"kind": "archived"}, "id": "not-an-integer"}
    assert webhooks.parse(body) == UnknownEvent(event_type="archived", body=body)


def test_an_enum_event_field_lists_the_known_types(webhooks: ModuleType, models: ModuleType) -> None:
    assert webhooks.parse_ping('{"event": "pong", "seq": 2}') == models.Ping(event=models.PingEvent.PONG, seq=2)
    assert webhooks.parse_ping('{"event": "pang", "seq": 2}') == UnknownEvent(
        event_type="pang", body={"event": "pang", "seq": 2}
    )


def test_an_open_string_event_field_decodes_every_type_into_the_model(webhooks: ModuleType, models: ModuleType) -> None:
    event = webhooks.parse_audit(b'{"id": "r1", "meta": {"action": "never-seen-before"}}')
    assert event == models.AuditRecord(id="r1", meta=models.AuditMeta(action="never-seen-before"))


def test_a_webhook_without_an_event_field_decodes_into_its_model(webhooks: ModuleType, models: ModuleType) -> None:
    assert webhooks.parse_note(b'{"text": "hi"}') == models.Note(text="hi")


@pytest.mark.parametrize(
    ("body", "message", "path"),
    [
        (b"<html>502</html>", "the body is not JSON (16 bytes)", "$"),
        (b"\xff\xfe{", "the body is not JSON (3 bytes)", "$"),
        ("", "the body is not JSON (0 characters)", "$"),
        (b"[1, 2]", "expected a JSON object, got an array", "$"),
        (b"null", "expected a JSON object, got null", "$"),
        (b'{"id": 1}', "required field missing (the event type)", "$.data"),
        (b'{"data": {}}', "required field missing (the event type)", "$.data.kind"),
        (b'{"data": [1]}', "expected an object, got an array", "$.data"),
        (b'{"data": {"kind": 3}}', "expected a string event type, got a number", "$.data.kind"),
    ],
)
def test_a_body_without_a_readable_event_type_is_a_decode_error(
    webhooks: ModuleType, body: bytes | str, message: str, path: str
) -> None:
    with pytest.raises(DecodeError) as caught:
        webhooks.parse(body)
    assert str(caught.value) == f"{VENDOR}.webhooks.order_event: {message} at {path}"
    assert (caught.value.path, caught.value.vendor, caught.value.operation) == (
        path,
        VENDOR,
        "webhooks.order_event",
    )


@pytest.mark.parametrize(
    ("parse", "body", "path"),
    [
        ("parse", order_event("shipped"), "$.data.carrier"),
        (
            "parse",
            {**order_event("cancelled"), "data": {"kind": "cancelled", "order": {"id": "7", "total": 1}}},
            "$.data.order.id",
        ),
        ("parse", {**order_event("cancelled"), "sentAt": 5}, "$.sentAt"),  # the JSON name, not the attribute
        ("parse_ping", {"event": "ping", "seq": 1.5}, "$.seq"),
        ("parse_audit", {"id": "r1", "meta": {}}, "$.meta.action"),
        ("parse_note", {"text": None}, "$.text"),
    ],
)
def test_a_known_event_that_does_not_fit_its_model_is_a_decode_error_naming_the_field(
    webhooks: ModuleType, parse: str, body: dict[str, object], path: str
) -> None:
    with pytest.raises(DecodeError) as caught:
        getattr(webhooks, parse)(json.dumps(body).encode())
    assert caught.value.path == path
    assert caught.value.vendor == VENDOR
    assert caught.value.operation.startswith("webhooks.")
    assert caught.value.__cause__ is None  # no cattrs or json exception chained to it


def test_a_body_of_another_type_is_a_type_error(webhooks: ModuleType) -> None:
    with pytest.raises(TypeError, match="a webhook body is bytes, str or a mapping, not list"):
        webhooks.parse([order_event("shipped")])


# --------------------------------------------------------------------------- generation


def run(specs: Path, out: Path, *options: str) -> int:
    return build(["--specs", str(specs), "--out", str(out), *options])


def test_webhooks_py_is_generated_the_same_every_time_and_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path / "specs", VENDOR, WEBHOOKS)
    assert run(tmp_path / "specs", tmp_path / "one") == 0
    assert run(tmp_path / "specs", tmp_path / "two") == 0
    first = (tmp_path / "one" / VENDOR / "webhooks.py").read_bytes()
    assert first == (tmp_path / "two" / VENDOR / "webhooks.py").read_bytes()
    assert first.startswith(b"# Generated by `python -m codegen` from specs/shapes_webhooks.yaml. Do not edit")

    edited = tmp_path / "one" / VENDOR / "webhooks.py"
    edited.write_bytes(first.replace(b"def parse_note(", b"def parse_notes("))
    capsys.readouterr()
    assert run(tmp_path / "specs", tmp_path / "one", "--check") == 1
    diff = capsys.readouterr().out
    assert "-def parse_notes(body" in diff
    assert "+def parse_note(body" in diff


def test_a_spec_without_webhooks_has_no_webhooks_py_and_loses_the_one_it_had(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "specs", VENDOR, WEBHOOKS)
    out = tmp_path / "out"
    assert run(tmp_path / "specs", out) == 0
    assert (out / VENDOR / "webhooks.py").exists()
    without = WEBHOOKS.replace("webhooks:\n", "x-webhooks-dropped:\n", 1)
    spec.write_text(spec.read_text(encoding="utf-8").replace(WEBHOOKS, without), encoding="utf-8")
    assert run(tmp_path / "specs", out) == 0
    assert sorted(path.name for path in (out / VENDOR).iterdir()) == [
        "__init__.py",
        "_endpoints.py",
        "_profile.py",
        "models.py",
    ]
    assert run(tmp_path / "specs", out, "--check") == 0


USES = """\
from shapes_webhooks import models, webhooks
from shapes_webhooks.webhooks import UnknownEvent


def kind(body: bytes) -> str:
    event = webhooks.parse(body)
    if isinstance(event, UnknownEvent):
        return event.event_type
    return event.data.kind


def action(body: str) -> str:
    return webhooks.parse_audit(body).meta.action


def not_only_the_model(body: bytes) -> models.OrderEnvelope:
    # Unused, and so an error under --strict, if parse could only return the model.
    return webhooks.parse(body)  # type: ignore[return-value]
"""


def test_webhooks_py_passes_mypy_strict_and_the_project_lint(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", VENDOR, WEBHOOKS)
    out = tmp_path / "out"
    assert run(tmp_path / "specs", out) == 0
    (out / "uses.py").write_text(USES, encoding="utf-8")
    assert_mypy_strict([out / VENDOR, out / "uses.py"], cache=tmp_path / "mypy-cache", cwd=out)
    assert_project_lint([out / VENDOR / "webhooks.py"])
