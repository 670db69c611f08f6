"""The ZapSign emulator's templates, annexes, signature fields, batch signing, webhooks and rate limit."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tessera.testing import ManualClock, ZapSignEmulator, emulator

NEW_DOC = {
    "name": "NDA",
    "url_pdf": "https://example.com/nda.pdf",
    "signers": [{"name": "Ana", "email": "ana@x.co"}, {"name": "Dev", "email": ""}],
}
RUBRICA = {
    "page": 0,
    "relative_position_bottom": 42.5,
    "relative_position_left": 65.71,
    "relative_size_x": 19.55,
    "relative_size_y": 9.42,
}


class ZapSign:
    """Calls to one emulator with its api_token, answering (status, parsed JSON or None for no body)."""

    def __init__(self, session: aiohttp.ClientSession, emu: ZapSignEmulator) -> None:
        self.session = session
        self.emu = emu

    async def call(self, method: str, path: str, body: object = None, *, token: str | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.emu.api_token if token is None else token}"}
        async with self.session.request(method, self.emu.base_url + path, json=body, headers=headers) as response:
            return response.status, (await response.json() if await response.read() else None)

    async def ok(self, method: str, path: str, body: object = None) -> Any:
        status, answer = await self.call(method, path, body)
        assert status == 200, answer
        return answer

    async def new_doc(self, **fields: object) -> dict[str, Any]:
        answer: dict[str, Any] = await self.ok("POST", "/docs/", {**NEW_DOC, **fields})
        return answer


@pytest.fixture
def api(session: aiohttp.ClientSession, zapsign: ZapSignEmulator) -> ZapSign:
    return ZapSign(session, zapsign)


async def test_create_async_answers_the_token_of_a_document_already_there(api: ZapSign) -> None:
    answer = await api.ok("POST", "/docs/async/", NEW_DOC)

    assert set(answer) == {"token"}
    detail = await api.ok("GET", f"/docs/{answer['token']}/")
    assert (detail["name"], len(detail["signers"]), detail["status"]) == ("NDA", 2, "pending")
    assert await api.call("POST", "/docs/async/", {"signers": []}) == (
        400,
        {"name": ["This field is required."], "signers": ["This list may not be empty."]},
    )
    assert api.emu.counts["POST /docs/async/"] == 2


async def test_template_fills_its_variables_into_answers(api: ZapSign) -> None:
    template = next(t for t in api.emu.templates.values() if t.name == "Contrato de Admissão")
    body = {
        "template_id": template.token,
        "signer_name": "João da Silva",
        "data": [{"de": "{{NOME COMPLETO}}", "para": "João da Silva"}, {"de": "{{NÃO EXISTE}}", "para": "x"}],
        "lang": "es",
        "external_id": "ext-1",
    }
    doc = await api.ok("POST", "/models/create-doc/", body)

    assert doc["name"] == "Contrato de Admissão"
    assert (doc["lang"], doc["external_id"]) == ("es", "ext-1")
    assert [(s["name"], s["email"], s["phone_country"]) for s in doc["signers"]] == [("João da Silva", "", "")]
    assert doc["answers"] == [
        {"variable": "NOME COMPLETO", "value": "João da Silva"},
        {"variable": "NÚMERO DO CPF", "value": ""},
        {"variable": "ENDEREÇO COMPLETO", "value": ""},
    ]
    assert (await api.ok("GET", f"/docs/{doc['token']}/"))["answers"] == doc["answers"]


async def test_template_async_and_its_errors(api: ZapSign) -> None:
    template_id = next(iter(api.emu.templates))
    answer = await api.ok("POST", "/models/create-doc/async/", {"template_id": template_id, "signer_name": "Ana"})
    assert (await api.ok("GET", f"/docs/{answer['token']}/"))["signers"][0]["name"] == "Ana"

    assert await api.call("POST", "/models/create-doc/", {"template_id": "nope", "signer_name": "Ana"}) == (
        404,
        {"detail": "Not found."},
    )
    status, errors = await api.call("POST", "/models/create-doc/async/", {"data": [{"de": "{{X}}"}, {}]})
    assert status == 400
    assert errors == {
        "template_id": ["This field is required."],
        "signer_name": ["This field is required."],
        "data": [
            {"para": ["This field is required."]},
            {"de": ["This field is required."], "para": ["This field is required."]},
        ],
    }


async def test_extra_docs_join_the_detail_and_the_open_id_sequence(api: ZapSign) -> None:
    doc = await api.new_doc()
    extra = await api.ok("POST", f"/docs/{doc['token']}/upload-extra-doc/", {"name": "Anexo", "base64_pdf": "JVBE"})

    assert set(extra) == {"open_id", "token", "name", "original_file", "signed_file"}
    assert (extra["name"], extra["open_id"], extra["signed_file"]) == ("Anexo", doc["open_id"] + 1, None)
    assert (await api.ok("GET", f"/docs/{doc['token']}/"))["extra_docs"] == [extra]


async def test_extra_doc_errors(api: ZapSign) -> None:
    doc = await api.new_doc()
    path = f"/docs/{doc['token']}/upload-extra-doc/"

    assert await api.call("POST", path, {"name": "Anexo"}) == (
        400,
        {"non_field_errors": ["Send url_pdf or base64_pdf."]},
    )
    assert await api.call("POST", path, {"url_pdf": "https://x.co/a.pdf"}) == (
        400,
        {"name": ["This field is required."]},
    )
    assert (await api.call("POST", "/docs/nope/upload-extra-doc/", {"name": "A", "url_pdf": "u"}))[0] == 404
    for number in range(14):
        await api.ok("POST", path, {"name": f"Anexo {number}", "url_pdf": "https://x.co/a.pdf"})
    assert await api.call("POST", path, {"name": "Anexo 15", "url_pdf": "https://x.co/a.pdf"}) == (
        400,
        {"detail": "A document can have at most 14 extra documents."},
    )


async def test_place_signatures_replaces_the_fields_and_an_empty_list_clears_them(api: ZapSign) -> None:
    doc = await api.new_doc()
    ana, dev = (signer["token"] for signer in doc["signers"])
    path = f"/docs/{doc['token']}/place-signatures/"

    placed = [{**RUBRICA, "signer_token": ana}, {**RUBRICA, "page": 1, "type": "visto", "signer_token": dev}]
    assert await api.call("POST", path, {"rubricas": placed}) == (200, None)
    stored = api.emu.store.document(doc["token"]).rubricas
    assert [(r["page"], r["type"], r["signer_token"]) for r in stored] == [(0, "signature", ana), (1, "visto", dev)]

    await api.call("POST", path, {"rubricas": [{"page": 2, "signer_token": ana}]})
    assert [r["page"] for r in api.emu.store.document(doc["token"]).rubricas] == [2]
    await api.call("POST", path, {"rubricas": []})
    assert api.emu.store.document(doc["token"]).rubricas == []


async def test_place_signatures_on_an_annex_takes_the_documents_signers(api: ZapSign) -> None:
    doc = await api.new_doc()
    extra = await api.ok("POST", f"/docs/{doc['token']}/upload-extra-doc/", {"name": "A", "url_pdf": "u"})
    rubrica = {**RUBRICA, "signer_token": doc["signers"][0]["token"]}

    assert (await api.call("POST", f"/docs/{extra['token']}/place-signatures/", {"rubricas": [rubrica]}))[0] == 200
    assert api.emu.store.document(doc["token"]).rubricas == []
    assert api.emu.store.document(doc["token"]).extra_docs[0].rubricas[0]["signer_token"] == rubrica["signer_token"]


async def test_place_signatures_errors_name_each_field(api: ZapSign) -> None:
    doc = await api.new_doc()
    other = await api.new_doc()
    path = f"/docs/{doc['token']}/place-signatures/"
    rubricas = [
        {**RUBRICA, "signer_token": doc["signers"][0]["token"]},
        {"page": -1, "signer_token": other["signers"][0]["token"], "type": "stamp", "relative_size_x": 101},
        {"relative_position_left": "left"},
    ]

    status, errors = await api.call("POST", path, {"rubricas": rubricas})

    assert status == 400
    assert errors == {
        "rubricas": [
            {},
            {
                "page": ["Ensure this value is greater than or equal to 0."],
                "type": ['"stamp" is not a valid choice.'],
                "signer_token": ["This signer does not sign this document."],
                "relative_size_x": ["Ensure this value is less than or equal to 100."],
            },
            {
                "page": ["This field is required."],
                "signer_token": ["This field is required."],
                "relative_position_left": ["A valid number is required."],
            },
        ]
    }
    assert await api.call("POST", path, {}) == (400, {"rubricas": ["This field is required."]})
    assert (await api.call("POST", "/docs/nope/place-signatures/", {"rubricas": []}))[0] == 404


async def test_sign_batch_signs_the_users_signers_and_then_the_document(api: ZapSign, clock: ManualClock) -> None:
    doc = await api.new_doc(signers=[{"name": "Dev", "email": api.emu.username}, {"name": "Blank"}])
    tokens = [signer["token"] for signer in doc["signers"]]
    clock.advance(90)

    answer = await api.ok("POST", "/sign/", {"user_token": api.emu.user_token, "signer_tokens": tokens[:1]})
    assert answer["message"].startswith("Document(s) successfully signed.")
    assert (await api.ok("GET", f"/docs/{doc['token']}/"))["status"] == "pending"

    await api.ok("POST", "/sign/", {"user_token": api.emu.user_token, "signer_tokens": tokens[1:]})
    detail = await api.ok("GET", f"/docs/{doc['token']}/")
    assert detail["status"] == "signed"
    assert [s["status"] for s in detail["signers"]] == ["signed", "signed"]
    assert detail["signers"][0]["signed_at"] == "2023-11-14T22:14:50.000000Z"  # the clock's start plus 90 s
    assert detail["signed_file"] is not None


async def test_sign_batch_signs_all_or_none(api: ZapSign) -> None:
    mine = await api.new_doc(signers=[{"name": "Dev"}])
    theirs = await api.new_doc(signers=[{"name": "Ana", "email": "ana@x.co"}])
    tokens = [mine["signers"][0]["token"], theirs["signers"][0]["token"]]

    status, answer = await api.call("POST", "/sign/", {"user_token": api.emu.user_token, "signer_tokens": tokens})

    assert status == 400
    assert answer == {"detail": f"Signer {tokens[1]} cannot be signed via API: the signer's email is not the user's."}
    assert api.emu.store.signer(tokens[0]).status == "new"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"user_token": "someone-else", "signer_tokens": []}, (404, {"detail": "Not found."})),
        ({"user_token": "USER", "signer_tokens": ["no-such-signer"]}, (404, {"detail": "Not found."})),
        (
            {"signer_tokens": "one"},
            (400, {"user_token": ["This field is required."], "signer_tokens": ["Expected a list of signer tokens."]}),
        ),
    ],
)
async def test_sign_batch_errors(api: ZapSign, body: dict[str, Any], expected: tuple[int, Any]) -> None:
    if body.get("user_token") == "USER":
        body["user_token"] = api.emu.user_token
    assert await api.call("POST", "/sign/", body) == expected


async def test_sign_batch_refuses_signed_and_refused_documents_and_other_auth_modes(api: ZapSign) -> None:
    doc = await api.new_doc(signers=[{"name": "Dev", "auth_mode": "tokenSms"}])
    token = doc["signers"][0]["token"]
    body = {"user_token": api.emu.user_token, "signer_tokens": [token]}

    status, answer = await api.call("POST", "/sign/", body)
    assert (status, answer["detail"]) == (
        400,
        f"Signer {token} cannot be signed via API: auth_mode tokenSms needs the signer in person.",
    )
    await api.ok("POST", "/refuse/", {"doc_token": doc["token"], "rejected_reason": "no"})
    assert (await api.call("POST", "/sign/", body))[1]["detail"].endswith("the document is refused.")


async def test_webhooks_are_created_with_ids_and_deleted_by_id(api: ZapSign) -> None:
    doc = await api.new_doc()
    first = await api.ok("POST", "/user/company/webhook/", {"url": "https://hooks.example.com/zs", "type": ""})
    second = await api.ok(
        "POST",
        "/user/company/webhook/",
        {
            "url": "https://hooks.example.com/signed",
            "type": "doc_signed",
            "doc_token": doc["token"],
            "headers": [{"name": "Authorization", "value": "Bearer hook-secret"}],
        },
    )

    assert (first, second) == ({"id": 1}, {"id": 2})
    assert api.emu.webhooks[2].headers == (("Authorization", "Bearer hook-secret"),)
    assert (api.emu.webhooks[1].type, api.emu.webhooks[2].doc_token) == ("", doc["token"])
    assert await api.call("DELETE", "/user/company/webhook/delete/", {"id": 1}) == (200, None)
    assert await api.call("DELETE", "/user/company/webhook/delete/", {"id": "2"}) == (200, None)
    assert api.emu.webhooks == {}
    assert await api.call("DELETE", "/user/company/webhook/delete/", {"id": 2}) == (404, {"detail": "Not found."})
    assert api.emu.counts["DELETE /user/company/webhook/delete/"] == 3


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"url": ["This field is required."], "type": ["This field is required."]}),
        (
            {"url": "ftp://x", "type": "doc_viewed"},
            {"url": ["Enter a valid URL."], "type": ['"doc_viewed" is not a valid choice.']},
        ),
        (
            {"url": "https://x.co", "type": "", "headers": [{"name": "X"}]},
            {"headers": [{"value": ["This field is required."]}]},
        ),
        ({"url": "https://x.co", "type": "", "doc_token": "nope"}, {"doc_token": ["No document has this token."]}),
    ],
)
async def test_webhook_errors(api: ZapSign, body: dict[str, Any], errors: dict[str, Any]) -> None:
    assert await api.call("POST", "/user/company/webhook/", body) == (400, errors)
    assert api.emu.webhooks == {}


@pytest.mark.parametrize(
    ("body", "errors"),
    [({}, {"id": ["This field is required."]}), ({"id": "one"}, {"id": ["A valid integer is required."]})],
)
async def test_delete_webhook_needs_an_integer_id(api: ZapSign, body: dict[str, Any], errors: dict[str, Any]) -> None:
    assert await api.call("DELETE", "/user/company/webhook/delete/", body) == (400, errors)


async def test_requests_past_the_limit_are_throttled_until_the_next_minute(
    session: aiohttp.ClientSession, clock: ManualClock
) -> None:
    emu = emulator("zapsign", clock=clock, requests_per_minute=3)
    async with emu:
        api = ZapSign(session, emu)
        for _ in range(3):
            await api.ok("GET", "/docs/")
        # ManualClock starts 20 seconds into a minute: 40 are left of it.
        async with session.get(
            f"{emu.base_url}/docs/", headers={"Authorization": f"Bearer {emu.api_token}"}
        ) as response:
            assert response.status == 429
            assert response.headers["Retry-After"] == "40"
            assert await response.json() == {"detail": "Request was throttled. Expected available in 40 seconds."}
        clock.advance(39.5)
        assert await api.call("GET", "/docs/") == (
            429,
            {"detail": "Request was throttled. Expected available in 1 second."},
        )
        clock.advance(0.5)
        await api.ok("GET", "/docs/")
    assert emu.counts["GET /docs/"] == 6


async def test_the_throttle_counts_only_authenticated_requests_and_spares_logins(
    session: aiohttp.ClientSession, clock: ManualClock
) -> None:
    emu = emulator("zapsign", clock=clock, requests_per_minute=1)
    async with emu:
        api = ZapSign(session, emu)
        assert (await api.call("GET", "/docs/", token="wrong"))[0] == 401
        await api.ok("GET", "/docs/")
        assert (await api.call("GET", "/docs/", token="wrong"))[0] == 401
        login = {"username": emu.username, "password": emu.password}
        async with session.post(f"{emu.base_url}/auth/token/{emu.organization_id}/", json=login) as response:
            assert response.status == 200
        assert (await api.call("GET", "/docs/"))[0] == 429


async def test_no_limit_by_default(api: ZapSign) -> None:
    # One more request in a minute than ZapSign itself would take.
    statuses = [(await api.call("GET", "/docs/?page=3"))[0] for _ in range(501)]
    assert set(statuses) == {200}
