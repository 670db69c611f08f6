"""The Optiwe emulator's workspace JWT checks, template rules and sending, over real HTTP."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jwt
import pytest

from tessera.testing import ManualClock, OptiweEmulator, emulator
from tests.testing.test_emulator_cli import STARTUP_SECONDS, free_port, read_banner

TEMPLATES = "/whatsapp-templates/"
NEW_TEMPLATE: dict[str, Any] = {
    "key": "order_shipped",
    "name": "order_shipped_v2",
    "text": "Hola {{1}}, tu pedido {{2}} va en camino.",
    "example": "Hola Ana, tu pedido 1234 va en camino.",
    "category": "UTILITY",
    "templateType": "TEXT",
    "language": "SPANISH",
}
ANA = "+5491112345678"
NOT_E164 = "must be an E.164 number such as +5491112345678."
BUTTON_TYPES = "must be one of URL, PHONE_NUMBER, QUICK_REPLY."
ROUTES = [("POST", TEMPLATES), ("GET", TEMPLATES), ("POST", f"{TEMPLATES}send/"), ("POST", f"{TEMPLATES}send-bulk/")]


class Optiwe:
    """Calls to one emulator, with its workspace token unless told otherwise, answering (status, parsed JSON)."""

    def __init__(self, session: aiohttp.ClientSession, emu: OptiweEmulator) -> None:
        self.session = session
        self.emu = emu

    async def call(self, method: str, path: str, body: object = None, *, token: str | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.emu.token if token is None else token}"}
        async with self.session.request(method, self.emu.base_url + path, json=body, headers=headers) as response:
            return response.status, await response.json()

    async def ok(self, method: str, path: str, body: object = None, *, status: int = 200) -> Any:
        answered, answer = await self.call(method, path, body)
        assert answered == status, answer
        return answer


@pytest.fixture
async def optiwe(clock: ManualClock) -> AsyncIterator[OptiweEmulator]:
    emu = emulator("optiwe", clock=clock)
    async with emu:
        yield emu


@pytest.fixture
def api(session: aiohttp.ClientSession, optiwe: OptiweEmulator) -> Optiwe:
    return Optiwe(session, optiwe)


def detail(message: str) -> dict[str, str]:
    return {"detail": message}


# ---------------------------------------------------------------- the workspace token


async def test_the_token_is_a_workspace_jwt_without_exp(optiwe: OptiweEmulator) -> None:
    claims = jwt.decode(optiwe.token, options={"verify_signature": False})
    assert claims["workspace_id"] == 1
    assert "exp" not in claims
    assert optiwe.credentials() == {"token": optiwe.token}


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_every_route_needs_the_token(
    session: aiohttp.ClientSession, optiwe: OptiweEmulator, method: str, path: str
) -> None:
    async with session.request(method, optiwe.base_url + path) as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
        assert await response.json() == detail("Authentication credentials were not provided.")
    assert optiwe.counts == {f"{method} {path}": 1}


async def test_malformed_and_foreign_tokens_fail_decoding(api: Optiwe, clock: ManualClock) -> None:
    refused = (401, detail("Error decoding signature."))
    assert await api.call("GET", TEMPLATES, token="not-a-jwt") == refused
    assert await api.call("GET", TEMPLATES, token=emulator("optiwe", clock=clock).token) == refused


async def test_an_issued_token_expires_by_the_emulators_clock(api: Optiwe, clock: ManualClock) -> None:
    short = api.emu.issue_token(expires_in=60)
    assert (await api.call("GET", TEMPLATES, token=short))[0] == 200

    clock.advance(60)

    assert await api.call("GET", TEMPLATES, token=short) == (401, detail("Signature has expired."))
    clock.advance(10 * 365 * 24 * 3600)
    assert (await api.call("GET", TEMPLATES))[0] == 200  # the default token has no exp


async def test_token_lifetime_is_an_option(session: aiohttp.ClientSession, clock: ManualClock) -> None:
    emu = emulator("optiwe", clock=clock, token_seconds=3600)
    async with emu:
        api = Optiwe(session, emu)
        assert jwt.decode(emu.token, options={"verify_signature": False})["exp"] == 1_700_003_600
        assert (await api.call("GET", TEMPLATES))[0] == 200
        clock.advance(3600)
        assert await api.call("GET", TEMPLATES) == (401, detail("Signature has expired."))


# ---------------------------------------------------------------- templates


async def test_two_approved_templates_from_the_start(api: Optiwe) -> None:
    templates = await api.ok("GET", TEMPLATES)

    assert [(t["id"], t["key"], t["status"]) for t in templates] == [
        (1, "welcome", "APPROVED"),
        (2, "appointment_reminder", "APPROVED"),
    ]
    assert set(templates[0]) == {
        "id",
        "key",
        "name",
        "text",
        "example",
        "category",
        "templateType",
        "language",
        "buttons",
        "status",
    }
    assert [b["type"] for b in templates[1]["buttons"]] == ["URL", "PHONE_NUMBER"]


async def test_a_created_template_is_pending(api: Optiwe) -> None:
    created = await api.ok("POST", TEMPLATES, {**NEW_TEMPLATE, "unknown": "ignored"}, status=201)

    assert created == {"id": 3, **NEW_TEMPLATE, "buttons": [], "status": "PENDING"}
    assert (await api.ok("GET", TEMPLATES))[-1] == created
    assert api.emu.counts[f"POST {TEMPLATES}"] == 1


URL = {"type": "URL", "text": "Track", "url": "https://example.com/track"}
PHONE = {"type": "PHONE_NUMBER", "text": "Call us", "phoneNumber": ANA}
REPLY = {"type": "QUICK_REPLY", "text": "Yes"}


@pytest.mark.parametrize("buttons", [[URL], [PHONE, URL], [REPLY, {**REPLY, "text": "No"}], []])
async def test_accepted_buttons(api: Optiwe, buttons: list[dict[str, str]]) -> None:
    created = await api.ok("POST", TEMPLATES, {**NEW_TEMPLATE, "buttons": buttons}, status=201)
    assert created["buttons"] == buttons


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": None}, "key: This field is required."),
        ({"text": ""}, "text: must be a non-empty string."),
        ({"category": 1}, "category: must be a non-empty string."),
        ({"key": "Order_Shipped"}, "key: only lowercase letters, digits and _ are allowed."),
        ({"name": "order-shipped"}, "name: only lowercase letters, digits and _ are allowed."),
        ({"name": "pedido enviado"}, "name: only lowercase letters, digits and _ are allowed."),
        ({"category": "PROMO"}, "category: must be one of UTILITY, MARKETING, AUTHENTICATION."),
        ({"templateType": "IMAGE"}, "templateType: must be one of TEXT."),
        ({"language": "PORTUGUESE"}, "language: must be one of ENGLISH, SPANISH."),
        ({"text": "Hola {{2}}"}, "text: variables must be numbered {{1}}, {{2}}, ... without gaps."),
        ({"text": "{{1}} and {{3}}"}, "text: variables must be numbered {{1}}, {{2}}, ... without gaps."),
        ({"example": 5}, "example: must be a string."),
        ({"buttons": URL}, "buttons: must be a list."),
        ({"buttons": [URL, PHONE, REPLY]}, "buttons: at most 2 buttons are allowed."),
        ({"buttons": [URL, URL]}, "buttons: at most one URL button and one PHONE_NUMBER button."),
        ({"buttons": [PHONE, PHONE]}, "buttons: at most one URL button and one PHONE_NUMBER button."),
        ({"buttons": [REPLY, URL]}, "buttons: quick replies and call-to-action buttons cannot be mixed."),
        ({"buttons": [{"type": "COPY_CODE", "text": "x"}]}, f"buttons[0].type: {BUTTON_TYPES}"),
        ({"buttons": ["Yes"]}, f"buttons[0].type: {BUTTON_TYPES}"),
        ({"buttons": [REPLY, {"type": "QUICK_REPLY"}]}, "buttons[1].text: This field is required."),
        ({"buttons": [{"type": "URL", "text": "Go"}]}, "buttons[0].url: This field is required."),
        ({"buttons": [{**URL, "url": "example.com"}]}, "buttons[0].url: must be an http or https URL."),
        ({"buttons": [{**PHONE, "phoneNumber": "011 1234"}]}, f"buttons[0].phoneNumber: {NOT_E164}"),
    ],
)
async def test_template_rules(api: Optiwe, change: dict[str, Any], message: str) -> None:
    assert await api.call("POST", TEMPLATES, {**NEW_TEMPLATE, **change}) == (400, detail(message))
    assert len(await api.ok("GET", TEMPLATES)) == 2


async def test_a_key_is_taken_once(api: Optiwe) -> None:
    assert await api.call("POST", TEMPLATES, {**NEW_TEMPLATE, "key": "welcome"}) == (
        400,
        detail("key: a template with this key already exists."),
    )


async def test_bodies_must_be_json_objects(api: Optiwe, session: aiohttp.ClientSession) -> None:
    assert await api.call("POST", TEMPLATES, [NEW_TEMPLATE]) == (
        400,
        detail("Invalid data. Expected a dictionary, but got list."),
    )
    headers = {"Authorization": f"Bearer {api.emu.token}", "Content-Type": "application/json"}
    async with session.post(api.emu.base_url + TEMPLATES, data=b"{oops", headers=headers) as response:
        assert response.status == 400
        assert (await response.json())["detail"].startswith("JSON parse error - ")


# ---------------------------------------------------------------- sending


async def test_send_fills_the_variables_in(api: Optiwe) -> None:
    body = {"templateKey": "welcome", "phone": ANA, "variables": {"1": "Ana"}}
    sent = await api.ok("POST", f"{TEMPLATES}send/", body)

    assert sent == {"id": 1, "status": "QUEUED"}
    [message] = api.emu.sent
    assert (message.id, message.template_key, message.phone, message.bulk_id) == (1, "welcome", ANA, None)
    assert message.text == "Hola Ana, gracias por escribirnos. ¿En qué te podemos ayudar?"


WELCOME_ANA = {"templateKey": "welcome", "phone": ANA, "variables": {"1": "Ana"}}


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"templateKey": None}, 400, "templateKey: This field is required."),
        ({"templateKey": "nope"}, 404, "Template not found."),
        ({"phone": None}, 400, f"phone: {NOT_E164}"),
        ({"phone": "5491112345678"}, 400, f"phone: {NOT_E164}"),
        ({"variables": None}, 400, "variables: a value for {{1}} is required."),
        ({"templateKey": "appointment_reminder"}, 400, "variables: a value for {{2}} is required."),
        ({"variables": {"1": 7}}, 400, "variables: must be an object of strings."),
    ],
)
async def test_send_refusals(api: Optiwe, change: dict[str, Any], status: int, message: str) -> None:
    body = {key: value for key, value in {**WELCOME_ANA, **change}.items() if value is not None}
    assert await api.call("POST", f"{TEMPLATES}send/", body) == (status, detail(message))
    assert api.emu.sent == []


async def test_a_pending_template_is_sent_once_approved(api: Optiwe) -> None:
    await api.ok("POST", TEMPLATES, NEW_TEMPLATE, status=201)
    send = {"templateKey": "order_shipped", "phone": ANA, "variables": {"1": "Ana", "2": "1234"}}

    assert await api.call("POST", f"{TEMPLATES}send/", send) == (
        400,
        detail("templateKey: the template is not approved (PENDING)."),
    )
    api.emu.approve_template("order_shipped")
    assert (await api.ok("GET", TEMPLATES))[-1]["status"] == "APPROVED"
    assert (await api.ok("POST", f"{TEMPLATES}send/", send))["status"] == "QUEUED"
    assert api.emu.sent[0].text == "Hola Ana, tu pedido 1234 va en camino."


def test_approving_an_unknown_template_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        emulator("optiwe").approve_template("nope")


async def test_bulk_send_queues_one_message_per_recipient(api: Optiwe) -> None:
    recipients = [
        {"phone": ANA, "variables": {"1": "Ana", "2": "May 20"}},
        {"phone": "+56912345678", "variables": {"1": "Bruno", "2": "May 21"}},
    ]
    body = {"templateKey": "appointment_reminder", "recipients": recipients}

    assert await api.ok("POST", f"{TEMPLATES}send-bulk/", body) == {"id": 1, "accepted": 2}
    assert await api.ok("POST", f"{TEMPLATES}send-bulk/", body) == {"id": 2, "accepted": 2}

    assert [(m.id, m.phone, m.bulk_id) for m in api.emu.sent] == [
        (1, ANA, 1),
        (2, "+56912345678", 1),
        (3, ANA, 2),
        (4, "+56912345678", 2),
    ]
    assert api.emu.sent[1].text == "Hi Bruno, this is a reminder of your appointment on May 21."
    assert api.emu.counts[f"POST {TEMPLATES}send-bulk/"] == 2


@pytest.mark.parametrize(
    ("recipients", "message"),
    [
        ([], "recipients: a non-empty list of recipients is required."),
        (None, "recipients: a non-empty list of recipients is required."),
        (
            [{"phone": ANA, "variables": {"1": "A"}}, {"phone": "n/a", "variables": {"1": "B"}}],
            f"recipients[1].phone: {NOT_E164}",
        ),
        (
            [{"phone": ANA, "variables": {"1": "A"}}, {"phone": ANA}],
            "recipients[1].variables: a value for {{1}} is required.",
        ),
        ([ANA], "recipients[0]: must be an object."),
    ],
)
async def test_bulk_send_is_all_or_nothing(api: Optiwe, recipients: object, message: str) -> None:
    body = {"templateKey": "welcome", "recipients": recipients}
    assert await api.call("POST", f"{TEMPLATES}send-bulk/", body) == (400, detail(message))
    assert api.emu.sent == []


async def test_bulk_send_of_an_unknown_template_is_not_found(api: Optiwe) -> None:
    body = {"templateKey": "nope", "recipients": [{"phone": ANA}]}
    assert await api.call("POST", f"{TEMPLATES}send-bulk/", body) == (404, detail("Template not found."))


async def test_optiwe_from_the_shell(session: aiohttp.ClientSession) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tessera.testing",
        "optiwe",
        "--port",
        str(port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = await read_banner(process.stdout)
        assert banner["url"] == f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {banner['token']}"}
        async with session.get(f"{banner['url']}{TEMPLATES}", headers=headers) as response:
            assert response.status == 200
            assert len(await response.json()) == 2
    finally:
        if process.returncode is None:
            process.terminate()
        _, stderr = await asyncio.wait_for(process.communicate(), STARTUP_SECONDS)

    assert process.returncode == 0, stderr.decode()
