"""A DecodeError's path names the body's fields by their JSON names, at any depth, on either decoding path.

The models here rename on purpose (`sent_at` is `sentAt` in the body, `sort` is `$sort`), nested in a
renamed object field and in a renamed array field: a path built from attribute names would say
`$.last_signer.sent_at` where the body has `$.lastSigner.sentAt`. The fast path (compiled per model)
must read the JSON names and raise on a misfit; the detailed converter that then runs names the field.
"""

from __future__ import annotations

import datetime
import json

import attrs
import pytest

from tessera._runtime.conversion import Codec, make_converter
from tessera.errors import DecodeError


@attrs.define(kw_only=True)
class Signer:
    name: str
    sent_at: datetime.datetime = attrs.field(metadata={"json": "sentAt"})
    sort: int | None = attrs.field(default=None, metadata={"json": "$sort"})


@attrs.define(kw_only=True)
class Envelope:
    envelope_id: str = attrs.field(metadata={"json": "envelopeId"})
    last_signer: Signer | None = attrs.field(default=None, metadata={"json": "lastSigner"})
    signer_list: list[Signer] = attrs.field(factory=list, metadata={"json": "signerList"})


SIGNER = {"name": "Ana", "sentAt": "2026-11-22T10:00:00+00:00", "$sort": 2}
GOOD = {"envelopeId": "e1", "lastSigner": SIGNER, "signerList": [SIGNER, {"name": "Bo", "sentAt": "2026-11-23"}]}

MISFITS = [
    ({"envelopeId": 7}, "$.envelopeId"),
    ({}, "$.envelopeId"),
    ({"envelope_id": "e1"}, "$.envelopeId"),  # the attribute's name is not the field's
    ({"envelopeId": "e1", "lastSigner": {"name": "Ana", "sentAt": 3}}, "$.lastSigner.sentAt"),
    ({"envelopeId": "e1", "lastSigner": {"name": "Ana", "sent_at": "2026-11-22"}}, "$.lastSigner.sentAt"),
    ({"envelopeId": "e1", "lastSigner": {**SIGNER, "$sort": "2"}}, "$.lastSigner['$sort']"),
    ({"envelopeId": "e1", "signerList": [SIGNER, {"name": "Bo", "sentAt": None}]}, "$.signerList[1].sentAt"),
    ({"envelopeId": "e1", "signerList": [SIGNER, {"sentAt": "2026-11-22"}]}, "$.signerList[1].name"),
    ({"envelopeId": "e1", "signerList": [{**SIGNER, "$sort": 1.5}]}, "$.signerList[0]['$sort']"),
    ({"envelopeId": "e1", "signerList": {"0": SIGNER}}, "$.signerList"),
]


def test_the_fast_path_reads_json_names_at_every_depth() -> None:
    envelope = make_converter(detailed=False).structure(GOOD, Envelope)  # no fallback: it must not raise
    assert envelope == make_converter(detailed=True).structure(GOOD, Envelope)
    assert envelope.last_signer is not None
    assert envelope.last_signer.sent_at == datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC)
    assert envelope.last_signer.sort == 2
    assert [signer.name for signer in envelope.signer_list] == ["Ana", "Bo"]
    assert Codec().unstructure(envelope)["lastSigner"]["sentAt"] == "2026-11-22T10:00:00+00:00"  # type: ignore[index]


@pytest.mark.parametrize(("body", "path"), MISFITS)
def test_the_fast_path_raises_on_a_misfit(body: dict[str, object], path: str) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - any exception: the codec then asks the detailed converter
        make_converter(detailed=False).structure(body, Envelope)


@pytest.mark.parametrize("speedups", [False, True])
@pytest.mark.parametrize(("body", "path"), MISFITS)
def test_a_misfit_is_named_by_its_json_path(body: dict[str, object], path: str, speedups: bool) -> None:
    with pytest.raises(DecodeError) as caught:
        Codec(speedups=speedups).decode(json.dumps(body).encode(), Envelope, vendor="v", operation="o")
    assert caught.value.path == path
    assert path in str(caught.value)
