"""The ZapSign emulator's documents and signers, over real HTTP with the static api_token."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tessera.testing import ManualClock, ZapSignEmulator, emulator

NEW_DOC = {
    "name": "NDA",
    "url_pdf": "https://example.com/nda.pdf",
    "signers": [{"name": "Ana", "email": "ana@x.co"}],
}


class ZapSign:
    """Calls to one emulator with its api_token, answering (status, parsed JSON)."""

    def __init__(self, session: aiohttp.ClientSession, emu: ZapSignEmulator) -> None:
        self.session = session
        self.emu = emu

    async def call(self, method: str, url: str, body: object = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.emu.api_token}"}
        target = url if url.startswith("http") else self.emu.base_url + url
        async with self.session.request(method, target, json=body, headers=headers) as response:
            return response.status, await response.json()

    async def ok(self, method: str, url: str, body: object = None) -> Any:
        status, answer = await self.call(method, url, body)
        assert status == 200, answer
        return answer


@pytest.fixture
def api(session: aiohttp.ClientSession, zapsign: ZapSignEmulator) -> ZapSign:
    return ZapSign(session, zapsign)


async def test_walking_next_links_visits_every_document_once(api: ZapSign) -> None:
    url: str | None = "/docs/"
    pages: list[dict[str, Any]] = []
    while url is not None:
        pages.append(await api.ok("GET", url))
        url = pages[-1]["next"]

    assert [len(page["results"]) for page in pages] == [25, 25, 10]
    assert {page["count"] for page in pages} == {60}
    tokens = [doc["token"] for page in pages for doc in page["results"]]
    assert len(set(tokens)) == 60
    assert [doc["open_id"] for page in pages for doc in page["results"]] == list(range(1, 61))
    assert pages[0]["previous"] is None
    assert pages[1]["previous"] == f"{api.emu.base_url}/docs/"
    assert pages[2]["previous"] == f"{api.emu.base_url}/docs/?page=2"
    assert pages[0]["next"] == f"{api.emu.base_url}/docs/?page=2"
    assert api.emu.counts["GET /docs/"] == 3


async def test_list_items_carry_signers_only_when_asked(api: ZapSign) -> None:
    plain = await api.ok("GET", "/docs/")
    assert "signers" not in plain["results"][0]
    assert set(plain["results"][0]) >= {"open_id", "token", "status", "name", "original_file", "signed_file"}
    with_signers = await api.ok("GET", "/docs/?include_signers=true")
    listed = with_signers["results"][0]["signers"][0]
    assert set(listed) >= {"name", "email", "status", "auth_mode", "signing_url", "has_certificate"}
    assert listed["status"] in {"nao_abriu", "abriu", "assinou", "recusou", "expirou", "cancelado"}


async def test_list_filters_by_status_and_sorts_descending(api: ZapSign) -> None:
    signed = await api.ok("GET", "/docs/?status=signed")
    assert signed["count"] == 20
    assert {doc["status"] for doc in signed["results"]} == {"signed"}
    newest_first = await api.ok("GET", "/docs/?sort_order=desc")
    assert newest_first["results"][0]["open_id"] == 60


@pytest.mark.parametrize("page", ["0", "4", "last-ish", "²"])
async def test_a_page_out_of_range_is_invalid(api: ZapSign, page: str) -> None:
    assert await api.call("GET", f"/docs/?page={page}") == (404, {"detail": "Invalid page."})


async def test_seed_count_is_an_option(session: aiohttp.ClientSession, clock: ManualClock) -> None:
    emu = emulator("zapsign", clock=clock, documents=0)
    async with emu:
        page = await ZapSign(session, emu).ok("GET", "/docs/")
    assert page == {"count": 0, "next": None, "previous": None, "results": []}


async def test_create_answers_the_document_and_detail_adds_to_it(api: ZapSign, clock: ManualClock) -> None:
    created = await api.ok("POST", "/docs/", NEW_DOC)

    assert created["name"] == "NDA"
    assert created["status"] == "pending"
    assert created["open_id"] == 61
    assert created["signed_file"] is None
    assert created["created_at"].endswith("Z")
    (signer,) = created["signers"]
    assert signer["name"] == "Ana"
    assert signer["status"] == "new"
    assert signer["sign_url"].endswith(signer["token"])

    detail = await api.ok("GET", f"/docs/{created['token']}/")  # open_id 61: the newer detail body
    assert {name: detail[name] for name in ("token", "name", "status", "created_at")} == {
        name: created[name] for name in ("token", "name", "status", "created_at")
    }
    assert "sign_url" not in detail["signers"][0]  # as ZapSign's detail bodies show their signers
    assert detail["signers"][0]["resend_attempts"] == {"whatsapp": 0, "email": 0, "sms": 0}
    assert detail["created_by"] == {"email": "dev@ejemplo.com"}
    assert detail["deleted"] is False
    assert {"sandbox", "extra_docs", "created_through", "answers"} <= detail.keys()
    assert (await api.ok("GET", "/docs/"))["count"] == 61


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"signers": [{"name": "Ana"}]}, {"name": ["This field is required."]}),
        ({"name": "NDA"}, {"signers": ["This field is required."]}),
        ({"name": "NDA", "signers": []}, {"signers": ["This list may not be empty."]}),
        (
            {"name": "", "signers": [{"name": "Ana"}, {"email": "b@x.co"}]},
            {
                "name": ["This field may not be blank."],
                "signers": [{}, {"name": ["This field is required."]}],
            },
        ),
        ([], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ],
)
async def test_create_refuses_missing_fields_like_drf(api: ZapSign, body: object, errors: dict[str, Any]) -> None:
    assert await api.call("POST", "/docs/", body) == (400, errors)
    assert (await api.ok("GET", "/docs/"))["count"] == 60


async def test_unknown_document_and_signer_are_not_found(api: ZapSign) -> None:
    not_found = (404, {"detail": "Not found."})
    assert await api.call("GET", "/docs/nope/") == not_found
    assert await api.call("DELETE", "/docs/nope/") == not_found
    assert await api.call("POST", "/docs/nope/add-signer/", {"name": "Ana"}) == not_found
    assert await api.call("GET", "/signers/nope/") == not_found
    assert await api.call("POST", "/signers/nope/", {"name": "Ana"}) == not_found
    assert await api.call("DELETE", "/signer/nope/remove/") == not_found


async def test_delete_is_soft_and_answers_the_detail(api: ZapSign, clock: ManualClock) -> None:
    token = (await api.ok("POST", "/docs/", NEW_DOC))["token"]
    clock.advance(90)

    deleted = await api.ok("DELETE", f"/docs/{token}/")

    assert deleted["token"] == token
    assert deleted["deleted"] is True
    assert deleted["deleted_at"] == deleted["last_update_at"] != deleted["created_at"]
    assert (await api.ok("GET", f"/docs/{token}/"))["deleted"] is True
    assert (await api.ok("GET", "/docs/?deleted=true"))["count"] == 1
    assert (await api.ok("GET", "/docs/?deleted=false"))["count"] == 60


async def test_refuse_a_pending_document(api: ZapSign) -> None:
    token = (await api.ok("POST", "/docs/", NEW_DOC))["token"]

    refusal = {"doc_token": token, "rejected_reason": "no", "notify_signer": True}
    answer = await api.ok("POST", "/refuse/", refusal)

    assert answer["message"].startswith("Document successfully refused.")
    detail = await api.ok("GET", f"/docs/{token}/")
    assert (detail["status"], detail["rejected_reason"]) == ("refused", "no")


async def test_refuse_errors_are_string_codes(api: ZapSign) -> None:
    signed = (await api.ok("GET", "/docs/?status=signed"))["results"][0]["token"]
    assert await api.call("POST", "/refuse/", {"doc_token": signed, "rejected_reason": "no"}) == (
        403,
        {"message": "document_already_signed"},
    )
    assert await api.call("POST", "/refuse/", {"doc_token": "nope", "rejected_reason": "no"}) == (
        404,
        {"message": "document_not_found"},
    )
    assert await api.call("POST", "/refuse/", {"doc_token": signed, "notify_signer": "loud"}) == (
        400,
        {"rejected_reason": ["This field is required."], "notify_signer": ["Must be a valid boolean."]},
    )


async def test_signer_lifecycle(api: ZapSign) -> None:
    doc = await api.ok("POST", "/docs/", NEW_DOC)
    first = doc["signers"][0]["token"]

    added = await api.ok("POST", f"/docs/{doc['token']}/add-signer/", {"name": "Bruno", "phone_number": "99"})
    assert (added["name"], added["phone_number"], added["status"]) == ("Bruno", "99", "new")
    # The signer detail is the added signer without sign_url, as ZapSign's detail pages show it.
    assert await api.ok("GET", f"/signers/{added['token']}/") == {k: v for k, v in added.items() if k != "sign_url"}

    updated = await api.ok("POST", f"/signers/{added['token']}/", {"email": "bruno@x.co", "order_group": 2})
    assert (updated["name"], updated["email"], updated["order_group"]) == ("Bruno", "bruno@x.co", 2)
    assert await api.call("POST", f"/signers/{added['token']}/", {"order_group": "two"}) == (
        400,
        {"order_group": ["A valid integer is required."]},
    )

    removed = await api.ok("DELETE", f"/signer/{first}/remove/")
    assert removed == {"message": "Signer removed successfully."}
    assert await api.call("GET", f"/signers/{first}/") == (404, {"detail": "Not found."})
    signers = (await api.ok("GET", f"/docs/{doc['token']}/"))["signers"]
    assert [signer["token"] for signer in signers] == [added["token"]]


async def test_add_signer_needs_a_name(api: ZapSign) -> None:
    token = (await api.ok("POST", "/docs/", NEW_DOC))["token"]
    assert await api.call("POST", f"/docs/{token}/add-signer/", {"email": "x@x.co"}) == (
        400,
        {"name": ["This field is required."]},
    )


async def test_the_only_or_a_signed_signer_cannot_be_removed(api: ZapSign) -> None:
    only = (await api.ok("POST", "/docs/", NEW_DOC))["signers"][0]["token"]
    status, _ = await api.call("DELETE", f"/signer/{only}/remove/")
    assert status == 400
    signed_doc = (await api.ok("GET", "/docs/?status=signed"))["results"][0]
    signed_signer = (await api.ok("GET", f"/docs/{signed_doc['token']}/"))["signers"][0]["token"]
    status, _ = await api.call("DELETE", f"/signer/{signed_signer}/remove/")
    assert status == 400
    assert await api.ok("GET", f"/signers/{only}/")


async def test_bad_json_is_a_drf_parse_error(api: ZapSign, session: aiohttp.ClientSession) -> None:
    headers = {"Authorization": f"Bearer {api.emu.api_token}", "Content-Type": "application/json"}
    async with session.post(f"{api.emu.base_url}/docs/", data=b"{oops", headers=headers) as response:
        assert response.status == 400
        assert (await response.json())["detail"].startswith("JSON parse error")
    async with session.post(f"{api.emu.base_url}/docs/", data=b"\xff", headers=headers) as response:
        assert response.status == 400
