"""The codec: JSON names, strict scalars, and DecodeError with the field path instead of cattrs' errors."""

from __future__ import annotations

import datetime
import enum
import typing

import attrs
import pytest

from tessera._runtime.conversion import Codec, attribute_for_json_name
from tessera.errors import DecodeError


class Status(enum.Enum):
    PENDING = "pending"
    SIGNED = "signed"


@attrs.define(kw_only=True)
class Signer:
    name: str
    signed_at: datetime.datetime | None


@attrs.define(kw_only=True)
class Doc:
    token: str
    status: Status
    sort: str | None = attrs.field(default=None, metadata={"json": "$sort"})
    signers: list[Signer] = attrs.Factory(list)


@attrs.define(kw_only=True)
class Page:
    count: int
    results: list[Doc]


def decode(raw: bytes) -> Page:
    return Codec().decode(raw, Page, vendor="zapsign", operation="list_docs")


def test_json_names_that_are_not_identifiers_round_trip() -> None:
    page = decode(b'{"count": 1, "results": [{"token": "t", "status": "signed", "$sort": "asc", "signers": []}]}')
    assert page.results[0].sort == "asc"
    assert Codec().unstructure(page.results[0]) == {"token": "t", "status": "signed", "$sort": "asc"}
    assert attribute_for_json_name(Doc, "$sort") == "sort"


def test_unset_optional_fields_are_left_out_of_request_bodies() -> None:
    assert Codec().unstructure(Doc(token="t", status=Status.PENDING)) == {"token": "t", "status": "pending"}


def test_date_times_are_parsed() -> None:
    page = decode(
        b'{"count": 1, "results": [{"token": "t", "status": "signed",'
        b' "signers": [{"name": "Ana", "signed_at": "2026-01-02T03:04:05Z"}]}]}'
    )
    assert page.results[0].signers[0].signed_at == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b'{"count": "1", "results": []}', "$.count"),
        (b'{"count": 1.9, "results": []}', "$.count"),
        (b'{"results": []}', "$.count"),
        (b'{"count": 1, "results": [{"token": 5, "status": "signed"}]}', "$.results[0].token"),
        (b'{"count": 1, "results": [{"token": "t", "status": "lost"}]}', "$.results[0].status"),
        (
            b'{"count": 1, "results": [{"token": "t", "status": "signed",'
            b' "signers": [{"name": "A", "signed_at": 3}]}]}',
            "$.results[0].signers[0].signed_at",
        ),
    ],
)
def test_a_body_that_does_not_fit_names_the_field(body: bytes, path: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode(body)
    assert caught.value.path == path
    assert path in str(caught.value)
    assert "zapsign.list_docs" in str(caught.value)


@pytest.mark.parametrize("body", [b"<html>502 Bad Gateway</html>", b"", b'{"count": 1,'])
def test_a_body_that_is_not_json_is_a_decode_error(body: bytes) -> None:
    with pytest.raises(DecodeError, match="not JSON"):
        decode(body)


def test_a_body_of_the_wrong_shape_is_a_decode_error_at_the_root() -> None:
    with pytest.raises(DecodeError) as caught:
        decode(b"[1, 2]")
    assert caught.value.path.startswith("$")


class Channel(enum.StrEnum):
    WHATSAPP = "WHATSAPP"


class Priority(enum.IntEnum):
    HIGH = 1


@attrs.define(kw_only=True)
class Event:
    channel: Channel
    priority: Priority
    attempts: int


def test_str_and_int_enums_decode_to_members_not_plain_values() -> None:
    event = Codec().structure(
        {"channel": "WHATSAPP", "priority": 1, "attempts": 2}, Event, vendor="optiwe", operation="webhook"
    )
    assert event.channel is Channel.WHATSAPP
    assert event.priority is Priority.HIGH


def test_a_boolean_is_not_an_integer() -> None:
    with pytest.raises(DecodeError) as caught:
        Codec().structure({"channel": "WHATSAPP", "priority": 1, "attempts": True}, Event, vendor="v", operation="o")
    assert caught.value.path == "$.attempts"


@attrs.define(kw_only=True)
class Message:
    id: int | str | None = None
    score: float | str


@pytest.mark.parametrize(("body", "expected"), [({"id": 7, "score": 1}, (7, 1.0)), ({"score": "high"}, (None, "high"))])
def test_unions_of_scalars_keep_the_value_of_its_own_type(
    body: dict[str, object], expected: tuple[object, ...]
) -> None:
    message = Codec().structure(body, Message, vendor="optiwe", operation="webhook")
    assert (message.id, message.score) == expected
    assert type(message.id) is type(expected[0])


def test_a_union_of_scalars_refuses_other_types() -> None:
    with pytest.raises(DecodeError) as caught:
        Codec().structure({"id": [1], "score": 1}, Message, vendor="optiwe", operation="webhook")
    assert caught.value.path == "$.id"


@pytest.mark.parametrize(("priority", "path"), [(True, "$.priority"), (1.0, "$.priority")])
def test_an_int_enum_takes_integers_only(priority: object, path: str) -> None:
    # True == 1 and 1.0 == 1 in Python: a plain lookup in the value map would find Priority.HIGH.
    body = {"channel": "WHATSAPP", "priority": priority, "attempts": 1}
    with pytest.raises(DecodeError) as caught:
        Codec().structure(body, Event, vendor="v", operation="o")
    assert caught.value.path == path


@pytest.mark.parametrize("results", ["abc", {"0": {"token": "t", "status": "signed"}}])
def test_an_array_field_takes_an_array_only(results: object) -> None:
    # cattrs alone iterates what it is given: a string would become a list of its characters.
    with pytest.raises(DecodeError) as caught:
        Codec().structure({"count": 1, "results": results}, Page, vendor="v", operation="o")
    assert caught.value.path == "$.results"
    assert "expected an array" in str(caught.value)


@attrs.define(kw_only=True)
class Typed:
    type: typing.Literal["NEW_MESSAGE"]
    labels: dict[str, str] = attrs.Factory(dict)


def test_a_wrong_literal_is_named_without_quoting_the_value() -> None:
    with pytest.raises(DecodeError) as caught:
        Codec().structure({"type": "x" * 10_000}, Typed, vendor="v", operation="o")
    assert caught.value.path == "$.type"
    assert "expected one of 'NEW_MESSAGE'" in str(caught.value)
    assert len(str(caught.value)) < 200


def test_an_object_field_takes_an_object_only() -> None:
    with pytest.raises(DecodeError) as caught:
        Codec().structure({"type": "NEW_MESSAGE", "labels": [["a", "b"]]}, Typed, vendor="v", operation="o")
    assert caught.value.path == "$.labels"
