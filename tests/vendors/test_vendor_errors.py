"""The vendors' own error bodies (tests/fixtures/<vendor>/errors/) through a real client call: a plain aiohttp.web
server answers the call with the page's status and body, and the client raises the `tessera.errors` class the spec's
error mapping gives, with the vendor's message and, where the spec names a code field, its code.

The format is in tests/fixtures/README.md ("Error bodies").
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tessera import errors, videsk, zapsign
from tessera.videsk._profile import PROFILE as VIDESK_PROFILE
from tessera.zapsign._profile import PROFILE as ZAPSIGN_PROFILE

FIXTURES = Path(__file__).parents[1] / "fixtures"
KEYS = frozenset(("page", "language", "operation", "status", "error", "message", "code", "note", "source"))
REQUIRED_KEYS = {"page", "language", "operation", "status", "error", "message"}
CODE_FIELDS = {"zapsign": ZAPSIGN_PROFILE.errors.code_fields, "videsk": VIDESK_PROFILE.errors.code_fields}
DOC = "eb9c367a-e62f-4992-8360-b0219deaeecc"


@dataclass(frozen=True)
class ErrorExample:
    vendor: str
    stem: str
    body: bytes
    is_text: bool
    sidecar: Mapping[str, Any]

    def __str__(self) -> str:
        return f"{self.vendor}/errors/{self.stem}"


def error_examples() -> list[ErrorExample]:
    found = []
    for vendor in ("zapsign", "videsk"):
        for body in sorted((FIXTURES / vendor / "errors").glob("*.*")):
            if body.suffix in {".json", ".txt"}:
                sidecar = tomllib.loads(body.with_suffix(".toml").read_text(encoding="utf-8"))
                found.append(ErrorExample(vendor, body.stem, body.read_bytes(), body.suffix == ".txt", sidecar))
    return found


EXAMPLES = error_examples()
Call = Callable[[Any], Awaitable[object]]

ZAPSIGN_CALLS: Mapping[str, Call] = {
    "login": lambda zs: zs.auth.login(
        organization_id="1", body=zapsign.models.LoginRequest(username="dev@example.com", password="pw")
    ),
    "refresh_token": lambda zs: zs.auth.refresh_token(body=zapsign.models.RefreshRequest(refresh="r")),
    "create_partner_account": lambda zs: zs.partners.create_partner_account(
        body=zapsign.models.CreatePartnerAccountRequest(
            country=zapsign.models.PartnerCountry.BR, lang="pt-br", company_name="Cliente"
        )
    ),
    "update_payment_status": lambda zs: zs.partners.update_payment_status(
        body=zapsign.models.PaymentStatusRequest(
            client_api_token="client-token", payment_status=zapsign.models.PaymentStatus.INADIMPLENTE
        )
    ),
    "get_check": lambda zs: zs.checks.get_check(check_id="CHK41dd253a3e9c018f3d4ee062ac98b091"),
    "reset_signer_attempts": lambda zs: zs.signers.reset_signer_attempts(signer_token=DOC),
    "refuse_doc_by_user": lambda zs: zs.signers.refuse_doc_by_user(
        body=zapsign.models.RefuseDocByUserRequest(doc_token=DOC, user_token=DOC, signer_token=DOC)
    ),
    "add_timestamp": lambda zs: zs.timestamp.add_timestamp(
        body=zapsign.models.TimestampRequest(url="https://example.com/a.pdf")
    ),
    "create_doc": lambda zs: zs.docs.create_doc(body=zapsign.models.CreateDocRequest(name="Contrato")),
}


async def first_page(pager: Any) -> object:
    async for item in pager:
        return item
    return None


VIDESK_CALLS: Mapping[str, Call] = {
    "list_segments": lambda vd: first_page(vd.segments.list_segments()),
    "get_survey": lambda vd: vd.surveys.get_survey(
        id="62703d9d3cf0565020ec9e3c", type=videsk.models.SurveyTarget.SEGMENTS
    ),
    "submit_survey": lambda vd: vd.surveys.submit_survey(
        body=videsk.models.SurveySubmission(
            appointment="63bdbf49394aad976d4aa43b",
            values=[videsk.models.FormAnswer(id="62703d9d3cf0565020ec9e3c", value=11)],
        )
    ),
    "list_service_dates": lambda vd: vd.availability.list_service_dates(
        id="63bdbf49394aad976d4aa43b", date="2023-02-01", timezone="America/Santiago"
    ),
}


@pytest.fixture
async def answering() -> AsyncIterator[Callable[[int, bytes, str], Awaitable[str]]]:
    """Starts a plain aiohttp server answering every request with one status, body and content type."""
    runners: list[web.AppRunner] = []

    async def start(status: int, body: bytes, content_type: str) -> str:
        async def answer(request: web.Request) -> web.Response:
            await request.read()
            return web.Response(status=status, body=body, content_type=content_type, charset="utf-8")

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", answer)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    try:
        yield start
    finally:
        for runner in runners:
            await runner.cleanup()


async def called(example: ErrorExample, base_url: str) -> None:
    operation = example.sidecar["operation"]
    if example.vendor == "zapsign":
        auth = zapsign.ApiTokenAuth("static-token")
        async with zapsign.Client(auth=auth, base_url=f"{base_url}/api/v1", max_retries=0) as zs:
            await ZAPSIGN_CALLS[operation](zs)
    else:
        async with videsk.Client(api_key="static-token", base_url=base_url, max_retries=0) as vd:
            await VIDESK_CALLS[operation](vd)


async def raised(example: ErrorExample, base_url: str) -> errors.ApiError:
    with pytest.raises(errors.ApiError) as caught:
        await called(example, base_url)
    return caught.value


def test_every_error_body_has_a_sidecar_naming_a_class_and_a_message() -> None:
    for vendor in ("zapsign", "videsk"):
        folder = FIXTURES / vendor / "errors"
        bodies = {path.stem for path in folder.glob("*") if path.suffix in {".json", ".txt"}}
        sidecars = {path.stem for path in folder.glob("*.toml")}
        assert bodies == sidecars, f"{vendor}: bodies and sidecars differ"
    for example in EXAMPLES:
        keys = set(example.sidecar)
        assert keys <= KEYS, f"{example}: unknown keys {keys - KEYS}"
        assert keys >= REQUIRED_KEYS, f"{example}: missing keys {REQUIRED_KEYS - keys}"
        assert issubclass(getattr(errors, example.sidecar["error"]), errors.ApiError), example
        calls = ZAPSIGN_CALLS if example.vendor == "zapsign" else VIDESK_CALLS
        assert example.sidecar["operation"] in calls, f"{example}: no call for its operation"


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
async def test_the_error_body_raises_the_spec_s_class_with_its_message(
    example: ErrorExample, answering: Callable[[int, bytes, str], Awaitable[str]]
) -> None:
    status = example.sidecar["status"]
    if example.is_text:
        # Shown as a bare line: it may come as that text or as a JSON string; both give the same error.
        text = example.body.decode("utf-8").strip()
        answers = [(example.body, "text/plain"), (json.dumps(text, ensure_ascii=False).encode(), "application/json")]
    else:
        answers = [(example.body, "application/json")]
    for body, content_type in answers:
        error = await raised(example, await answering(status, body, content_type))
        assert type(error) is getattr(errors, example.sidecar["error"]), f"{example}: {error!r}"
        assert (error.status, error.vendor) == (status, example.vendor)
        assert error.message == example.sidecar["message"]
        if "code" in example.sidecar:
            assert isinstance(error.body, Mapping)
            codes = [error.body[name] for name in CODE_FIELDS[example.vendor] if name in error.body]
            assert codes[:1] == [example.sidecar["code"]]


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (json.dumps("x" * 5000).encode(), "application/json", "x" * 300),  # a bare JSON string: cut to 300
        (b"Line one\nLine two\n", "text/plain", "non-JSON error body (18 characters)"),  # several lines: a page
        (b"<html><body>Not Found</body></html>", "text/html", "non-JSON error body (35 characters)"),  # markup
    ],
    ids=["long-json-string", "several-lines", "markup"],
)
async def test_a_text_error_body_is_the_message_only_as_one_bounded_line(
    body: bytes, content_type: str, message: str, answering: Callable[[int, bytes, str], Awaitable[str]]
) -> None:
    example = ErrorExample("zapsign", "x", body, is_text=True, sidecar={"operation": "get_check"})
    error = await raised(example, await answering(404, body, content_type))
    assert type(error) is errors.NotFound
    assert error.message == message
