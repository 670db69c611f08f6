"""After a spec change, regeneration alone gives a client that calls the new operation end to end."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from codegen.build import build
from tessera._auth.secrets import Secret
from tessera._auth.static import StaticKey
from tessera.testing import ZapSignEmulator
from tessera.testing._server import Route
from tests.codegen.generated import importable

SPECS = Path(__file__).parents[2] / "specs"


class AuditingZapSign(ZapSignEmulator):
    """The emulator with one route that the committed spec does not have yet."""

    def routes(self) -> Iterable[Route]:
        return [*super().routes(), Route("GET", "/docs/{doc_token}/audit/", self.audit)]

    async def audit(self, request: web.Request) -> web.Response:
        return web.json_response({"doc_token": request.match_info["doc_token"], "events": ["created", "viewed"]})


def changed_spec() -> dict[str, Any]:
    """specs/zapsign.yaml under another package name, with a new property and a new operation."""
    spec: dict[str, Any] = yaml.safe_load((SPECS / "zapsign.yaml").read_text())
    spec["x-tessera"]["vendor"] = "zapsign_next"
    schemas = spec["components"]["schemas"]
    schemas["Signer"]["properties"]["audit_url"] = {"type": ["string", "null"]}
    schemas["DocAudit"] = {
        "type": "object",
        "required": ["doc_token", "events"],
        "properties": {"doc_token": {"type": "string"}, "events": {"type": "array", "items": {"type": "string"}}},
    }
    spec["paths"]["/docs/{doc_token}/audit/"] = {
        "get": {
            "operationId": "get_doc_audit",
            "tags": ["docs"],
            "summary": "A document's audit trail.",
            "parameters": [{"name": "doc_token", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "The trail.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DocAudit"}}},
                }
            },
        }
    }
    return spec


async def test_a_new_operation_and_property_work_after_regeneration(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "zapsign_next.yaml").write_text(yaml.safe_dump(changed_spec(), sort_keys=False))
    assert build(["--specs", str(specs), "--out", str(tmp_path / "out")]) == 0

    emu = AuditingZapSign()
    with importable(tmp_path / "out"):
        from zapsign_next import _endpoints, _profile, models  # type: ignore[import-not-found]  # noqa: PLC0415

        assert "audit_url" in {field.name for field in models.Signer.__attrs_attrs__}
        async with emu:
            client = _endpoints.Api(
                _profile.PROFILE,
                credentials=[StaticKey("ApiToken", Secret(emu.api_token))],
                base_url=emu.base_url,
                timeout=10.0,
                max_retries=0,
                session=None,
                allow_insecure_http=False,
            )
            async with client:
                doc = (await client.docs.list_docs()).results[0]
                audit = await client.docs.get_doc_audit(doc_token=doc.token)
                detail = await client.docs.get_doc(doc_token=doc.token)

    assert isinstance(audit, models.DocAudit)
    assert audit.events == ["created", "viewed"]
    assert audit.doc_token == doc.token
    assert detail.signers[0].audit_url is None
    assert emu.counts["GET /docs/{doc_token}/audit/"] == 1
