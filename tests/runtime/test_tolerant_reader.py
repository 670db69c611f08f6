"""The tolerant reader: what a vendor adds is kept, what is wrong is still refused, never a wrong value.

- An enum value the spec does not list, in an answer or a webhook, is kept as its string; listed ones
  stay members. In a request body it is refused (InvalidArgument) before anything is sent.
- A member no field reads is kept, per model at every depth (`tessera.unknown_fields`), out of
  equality and repr, and sent back only with `send_unknown_fields=True`.
- A value of the wrong JSON type, a missing required field, a body that is not JSON: DecodeError with
  its path as before, and `.body` showing what came, cut to 4,096 characters, secrets redacted.

Answers come from the ZapSign emulator (its `Fault.reply`) or a recorder, over real HTTP.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from typing import Any, Final

import attrs
import pytest

import tessera
from tessera import errors, optiwe, zapsign
from tessera._runtime.conversion import Codec
from tessera.testing import Fault, ManualClock, ZapSignEmulator, emulator
from tessera.testing._secrets import leaks
from tessera.zapsign.models import DocList, DocStatus, ListedSignerStatus, TokenPair
from tests.faults.conftest import Recorder

DOCS: Final = "GET /docs/"
SHOWN_LIMIT: Final = 4096
"""Characters of a body a DecodeError shows (README)."""


def signer(status: str, **more: object) -> dict[str, object]:
    """A signer as list_docs(include_signers=True) shows it (the listed shape, ListedSignerStatus)."""
    return {
        "name": "Ana",
        "email": "ana@example.com",
        "status": status,
        "auth_mode": "assinatura_tela",
        "signing_url": "https://app.zapsign.com.br/verificar/s-1",
        "has_certificate": False,
        **more,
    }


def page(*statuses: str, **more: object) -> dict[str, Any]:
    """A page of documents with these statuses, each with one signer, plus members `more` at the top."""
    results = [
        {"token": f"d-{index}", "status": status, "name": f"Doc {index}", "signers": [signer("nao_abriu")]}
        for index, status in enumerate(statuses)
    ]
    return {"count": len(results), "next": None, "previous": None, "results": results, **more}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def zap(clock: ManualClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=clock)
    async with emu:
        yield emu


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    async with Recorder() as server:
        yield server


def client(emu: ZapSignEmulator, clock: ManualClock) -> zapsign.Client:
    return zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, clock=clock)


async def listed(emu: ZapSignEmulator, clock: ManualClock, body: object) -> DocList:
    emu.faults.add(DOCS, Fault.reply(200, body))
    async with client(emu, clock) as zs:
        return await zs.docs.list_docs()


def decoded(body: object, model: type[Any], *, speedups: bool) -> Any:
    return Codec(speedups=speedups).decode(json.dumps(body).encode(), model, vendor="zapsign", operation="o")


# Open enums


async def test_an_unlisted_status_is_kept_as_its_string_and_listed_ones_stay_members(
    zap: ZapSignEmulator, clock: ManualClock
) -> None:
    body = page("pending", "expired")
    body["results"][1]["signers"] = [signer("bounced")]
    docs = await listed(zap, clock, body)
    pending, expired = docs.results
    assert pending.status is DocStatus.PENDING
    assert pending.signers is not None
    assert pending.signers[0].status is ListedSignerStatus.NAO_ABRIU
    assert expired.status == "expired"
    assert type(expired.status) is str
    assert expired.signers is not None
    assert expired.signers[0].status == "bounced"


@pytest.mark.parametrize("speedups", [False, True])
def test_both_decoding_paths_keep_an_unlisted_value_and_agree(speedups: bool) -> None:
    body = page("signed", "archived")
    docs = decoded(body, DocList, speedups=speedups)
    assert [doc.status for doc in docs.results] == [DocStatus.SIGNED, "archived"]
    assert Codec()._detailed.structure(body, DocList) == docs


def test_a_webhook_with_an_unlisted_status_decodes() -> None:
    event = {"token": "d-0", "status": "expired", "name": "Doc 0", "open_id": 1, "original_file": "https://f"}
    event |= {"signed_file": None, "created_at": "2026-01-01T00:00:00Z", "last_update_at": "2026-01-01T00:00:00Z"}
    parsed = zapsign.webhooks.parse_doc_event({**event, "event_type": "doc_expired"})
    assert parsed.status == "expired"
    assert parsed.event_type == "doc_expired"


@pytest.mark.parametrize("speedups", [False, True])
@pytest.mark.parametrize(("value", "expected"), [(5, "int"), (True, "bool"), (None, "NoneType"), (["x"], "list")])
def test_an_enum_field_still_refuses_another_json_type(value: object, expected: str, speedups: bool) -> None:
    body = page("pending")
    body["results"][0]["status"] = value
    with pytest.raises(errors.DecodeError) as caught:
        decoded(body, DocList, speedups=speedups)
    assert caught.value.path == "$.results[0].status"
    assert f"expected a string (DocStatus), got {expected}" in str(caught.value)


# Unknown members


async def test_unknown_members_are_kept_by_each_model_at_every_depth(zap: ZapSignEmulator, clock: ManualClock) -> None:
    body = page("pending", sandbox=False, template={"id": 3})
    body["results"][0] |= {"created_through": "api", "deleted": False}
    body["results"][0]["signers"] = [signer("nao_abriu", cpf="", geo={"lat": None})]
    docs = await listed(zap, clock, body)
    assert tessera.unknown_fields(docs) == {"sandbox": False, "template": {"id": 3}}
    assert tessera.unknown_fields(docs.results[0]) == {"created_through": "api", "deleted": False}
    assert docs.results[0].signers is not None
    assert tessera.unknown_fields(docs.results[0].signers[0]) == {"cpf": "", "geo": {"lat": None}}


@pytest.mark.parametrize("speedups", [False, True])
def test_both_decoding_paths_keep_the_same_unknown_members(speedups: bool) -> None:
    body = page("pending", extra=[1, "two"])
    body["results"][0]["new_field"] = "kept"
    fast = decoded(body, DocList, speedups=speedups)
    detailed = Codec()._detailed.structure(body, DocList)
    for model in (fast, detailed):
        assert tessera.unknown_fields(model) == {"extra": [1, "two"]}
        assert tessera.unknown_fields(model.results[0]) == {"new_field": "kept"}


@pytest.mark.parametrize("speedups", [False, True])
def test_an_unknown_member_keeps_an_integer_past_64_bits_exactly(speedups: bool) -> None:
    """orjson reads it as the nearest float: the body is read again with json.loads, as for a field of `Any`."""
    raw = json.dumps(page("pending")).replace('"count": 1', '"count": 1, "total": 123456789012345678901234567890')
    docs = Codec(speedups=speedups).decode(raw.encode(), DocList, vendor="zapsign", operation="o")
    assert tessera.unknown_fields(docs) == {"total": 123456789012345678901234567890}
    assert type(tessera.unknown_fields(docs)["total"]) is int


def test_unknown_members_take_no_part_in_equality_or_repr_and_cannot_be_changed() -> None:
    body = page("pending", secret_looking="x-unknown-value")
    docs = decoded(body, DocList, speedups=False)
    plain = decoded(page("pending"), DocList, speedups=False)
    assert docs == plain
    assert "x-unknown-value" not in repr(docs)
    with pytest.raises(TypeError):
        tessera.unknown_fields(docs)["secret_looking"] = "changed"  # type: ignore[index]


def test_a_model_built_by_the_user_or_copied_has_none() -> None:
    built = DocList(count=0, next=None, previous=None, results=[])
    assert tessera.unknown_fields(built) == {}
    docs = decoded(page("pending", extra=1), DocList, speedups=False)
    assert tessera.unknown_fields(attrs.evolve(docs, count=2)) == {}
    assert tessera.unknown_fields(decoded(page("pending"), DocList, speedups=True)) == {}


def test_unknown_fields_takes_only_a_model() -> None:
    with pytest.raises(errors.InvalidArgument, match="not dict") as caught:
        tessera.unknown_fields({"a": 1})
    assert isinstance(caught.value, TypeError)
    assert caught.value.argument == "model"


TEMPLATE: Final = {
    "id": 9,
    "key": "welcome",
    "name": "welcome",
    "text": "Hi {{1}}",
    "category": "UTILITY",
    "buttons": [{"type": "QUICK_REPLY", "text": "Yes", "payload_id": "p-1"}],
    "quality_score": "GREEN",
}


@pytest.mark.parametrize("send", [False, True])
async def test_re_encoding_sends_unknown_members_back_only_when_asked(recorder: Recorder, send: bool) -> None:
    recorder.reply = [TEMPLATE]
    async with optiwe.Client(token="workspace-token", base_url=recorder.origin) as ow:
        [template] = await ow.templates.list_whatsapp_templates()
        recorder.reply = TEMPLATE
        request = optiwe.models.WhatsappTemplateRequest(
            key="welcome_2",
            name="welcome_2",
            text=template.text or "",
            category="UTILITY",
            template_type="TEXT",
            language="ENGLISH",
            buttons=template.buttons,
        )
        await ow.templates.create_whatsapp_template(body=request, send_unknown_fields=send)
    sent = json.loads(recorder.seen[1].body)
    assert "quality_score" not in sent  # the request model was built by the user: it has none of its own
    assert sent["buttons"] == [{"type": "QUICK_REPLY", "text": "Yes", **({"payload_id": "p-1"} if send else {})}]


# What is still refused, and what DecodeError.body shows


@pytest.mark.parametrize("speedups", [False, True])
@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda body: body.update(count="7"), "$.count", "expected an integer, got str"),
        (lambda body: body["results"][0].pop("token"), "$.results[0].token", "required field missing"),
        (
            lambda body: body["results"][0]["signers"][0].update(has_certificate="yes"),
            "$.results[0].signers[0].has_certificate",
            "",
        ),
    ],
)
def test_a_wrong_type_or_a_missing_field_is_refused_with_its_path_and_the_body(
    change: Any, path: str, message: str, speedups: bool
) -> None:
    body = page("pending", "expired", surplus="shown")
    change(body)
    with pytest.raises(errors.DecodeError) as caught:
        decoded(body, DocList, speedups=speedups)
    assert caught.value.path == path
    assert message in str(caught.value)
    assert caught.value.body is not None
    assert json.loads(caught.value.body) == body  # short: shown whole, and nothing in it is secret


async def test_a_body_that_is_not_json_is_refused_and_shown(zap: ZapSignEmulator, clock: ManualClock) -> None:
    zap.faults.add(DOCS, Fault.reply(200, b'{"count": 1, "results": [{"token": "d-1", "sta'))
    async with client(zap, clock) as zs:
        with pytest.raises(errors.DecodeError) as caught:
            await zs.docs.list_docs()
    assert caught.value.path == "$"
    assert caught.value.body == '{"count": 1, "results": [{"token": "d-1", "sta'
    assert "d-1" not in str(caught.value)  # the message stays as it was: the body is only on .body


@pytest.mark.parametrize("speedups", [False, True])
def test_a_refused_body_is_shown_as_it_was_received(speedups: bool) -> None:
    """The bytes the server sent, not the parsed value written again (compact here: no spaces)."""
    body = page("pending")
    body["count"] = "many"
    raw = json.dumps(body, separators=(",", ":"))
    with pytest.raises(errors.DecodeError) as caught:
        Codec(speedups=speedups).decode(raw.encode(), DocList, vendor="zapsign", operation="list_docs")
    assert caught.value.path == "$.count"
    assert caught.value.body == raw


def test_a_long_body_is_cut_to_its_first_4096_characters() -> None:
    body = page(*["pending"] * 200)
    body["count"] = None
    with pytest.raises(errors.DecodeError) as caught:
        decoded(body, DocList, speedups=False)
    shown = caught.value.body
    assert shown is not None
    assert len(shown) == SHOWN_LIMIT + len("...")
    assert shown == json.dumps(body)[:SHOWN_LIMIT] + "..."


SECRET: Final = "eyJhbGciOi.not-for-your-eyes.s1gn4ture"


@pytest.mark.parametrize("speedups", [False, True])
def test_a_secret_member_of_a_refused_body_is_redacted_wherever_it_is(speedups: bool) -> None:
    """`access` and `refresh` are secret (TokenPair's fields): as the model's fields, and under the same
    name anywhere else in the body, an unknown member or a nested object."""
    body = {"access": SECRET, "refresh": 5, "more": {"access": {"nested": [SECRET]}, "user_token": SECRET}}
    with pytest.raises(errors.DecodeError) as caught:
        decoded(body, TokenPair, speedups=speedups)
    error = caught.value
    assert error.path == "$.refresh"
    redacted = '"<redacted>"'
    assert error.body == (
        f'{{"access": {redacted}, "refresh": {redacted}, "more": {{"access": {redacted}, "user_token": {redacted}}}}}'
    )
    assert all(SECRET not in text for text in (str(error), repr(error), error.body))


@pytest.mark.parametrize("speedups", [False, True])
def test_a_secret_in_a_body_that_is_not_json_is_redacted(speedups: bool) -> None:
    """A token answer cut short: not JSON, shown as far as it goes, its secret members redacted all the same."""
    raw = f'{{"access": "{SECRET}", "refresh": "{SECRET}'.encode()
    with pytest.raises(errors.DecodeError) as caught:
        Codec(speedups=speedups).decode(raw, TokenPair, vendor="zapsign", operation="login")
    error = caught.value
    assert error.body is not None
    assert error.body.startswith('{"access": "<redacted>", "refresh": ')
    assert all(SECRET not in text for text in (str(error), repr(error), error.body))


async def test_a_refused_answer_never_shows_a_secret_it_carries(zap: ZapSignEmulator, clock: ManualClock) -> None:
    """The emulator's own API token, sent back under a member the spec marks secret, in a page that does not
    fit: the suite's leak check (tests/conftest.py) reads the error too."""
    body = page("pending", count="many")
    body["results"][0]["user_token"] = zap.api_token
    zap.faults.add(DOCS, Fault.reply(200, body))
    async with client(zap, clock) as zs:
        with pytest.raises(errors.DecodeError) as caught:
            await zs.docs.list_docs()
    error = caught.value
    assert error.path == "$.count"
    assert error.body is not None
    assert '"user_token": "<redacted>"' in error.body
    assert all(zap.api_token not in text for text in (str(error), repr(error), error.body))
    assert leaks([error.body]) == []


@pytest.mark.parametrize("as_text", [False, True, None])
def test_a_refused_webhook_shows_its_body_redacted(as_text: bool | None) -> None:
    """As bytes, as text, or as a mapping (None: the mapping itself, written as JSON to be shown)."""
    event = {"token": "d-1", "status": 5, "name": "Doc", "event_type": "doc_signed", "user_token": SECRET}
    raw = json.dumps(event)
    with pytest.raises(errors.DecodeError) as caught:
        zapsign.webhooks.parse_doc_event(event if as_text is None else raw if as_text else raw.encode())
    assert caught.value.path == "$.status"  # the first field that does not fit: a number
    assert caught.value.body == raw.replace(f'"{SECRET}"', '"<redacted>"')


def test_a_webhook_without_its_event_type_shows_its_body() -> None:
    body = {"conversation": {"id": 1}}
    with pytest.raises(errors.DecodeError) as caught:
        optiwe.webhooks.parse_conversation_event(body)
    assert caught.value.body == json.dumps(body)


def test_an_auth_answer_that_is_not_an_object_shows_no_body() -> None:
    assert errors.DecodeError("the answer is not a JSON object").body is None


# Request bodies keep their enums


async def test_a_request_enum_takes_a_member_or_its_value_string(recorder: Recorder) -> None:
    recorder.reply = {"id": 4}
    async with zapsign.Client(auth=zapsign.ApiTokenAuth("t"), base_url=recorder.origin) as zs:
        await zs.webhooks.create_webhook(body=zapsign.models.CreateWebhookRequest(url="https://h", type="doc_signed"))
        await zs.webhooks.create_webhook(
            body=zapsign.models.CreateWebhookRequest(url="https://h", type=zapsign.models.WebhookType.DOC_REFUSED)
        )
    assert [json.loads(seen.body)["type"] for seen in recorder.seen] == ["doc_signed", "doc_refused"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (zapsign.models.CreateWebhookRequest(url="https://h", type="doc_expired"), "$.type"),  # type: ignore[arg-type]
        (
            zapsign.models.CreateDocRequest(
                name="NDA",
                signers=[
                    zapsign.models.SignerRequest(name="Ana"),
                    zapsign.models.SignerRequest(name="Bo", auth_mode="faceId"),  # type: ignore[arg-type]
                ],
            ),
            "$.signers[1].auth_mode",
        ),
    ],
)
async def test_a_request_enum_refuses_an_unlisted_value_before_sending(
    recorder: Recorder, body: object, path: str
) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth("t"), base_url=recorder.origin) as zs:
        operation = zs.webhooks.create_webhook if path == "$.type" else zs.docs.create_doc
        with pytest.raises(errors.InvalidArgument) as caught:
            await operation(body=copy.copy(body))  # type: ignore[arg-type]
    assert recorder.seen == []
    assert caught.value.argument == "body"
    assert f"body {path}: expected a " in str(caught.value)
    assert "got another str" in str(caught.value)
    assert "doc_expired" not in str(caught.value)
    assert "faceId" not in str(caught.value)
