"""Every `x-tessera*` value is checked when generating: a wrong one is a SpecError naming the file and the JSON
pointer, never an import error or a KeyError at the first call."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.build import build
from codegen.document import load_spec
from codegen.errors import SpecError
from codegen.parse import parse_spec
from tests.codegen.generated import importable

SOURCE = "specs/broken.yaml"


def valid_spec() -> dict[str, Any]:
    def operation(operation_id: str, schema: str) -> dict[str, Any]:
        return {
            "operationId": operation_id,
            "tags": ["auth"],
            "security": [],
            "responses": {
                "200": {
                    "description": "Tokens.",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                }
            },
        }

    return {
        "openapi": "3.1.0",
        "info": {"title": "broken", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "x-tessera": {
            "vendor": "broken",
            "errors": {
                "message-fields": ["detail"],
                "code-fields": ["code"],
                "rules": [
                    {"status": 401, "when": {"detail": "Bad credentials"}, "error": "InvalidCredentials"},
                    {"status": [400, 422], "when": {"code": ["a", "b"]}, "match": "prefix", "error": "BadRequest"},
                ],
            },
            "pagination": {"pages": {"kind": "page-number", "page-param": "page", "items": "results"}},
            "rate-limit": {"reset-header": "Ratelimit-Reset"},
            "request-id-header": "X-Amzn-RequestId",
        },
        "security": [{"Password": []}],
        "paths": {
            "/login": {"post": operation("logIn", "Tokens")},
            "/refresh": {"post": operation("refresh_token", "Tokens")},
            "/users/{user_id}/token": {"post": operation("create_user_token", "Tokens")},
        },
        "components": {
            "securitySchemes": {
                "Key": {"type": "http", "scheme": "bearer", "x-tessera-auth": {"kind": "static", "jwt": "never"}},
                "Password": {
                    "type": "http",
                    "scheme": "bearer",
                    "x-tessera-auth": {
                        "kind": "password",
                        "login": {"operation": "logIn", "body": {"username": "username"}, "access": "access"},
                        "refresh": {
                            "operation": "refresh_token",
                            "body": {"refresh": "refresh"},
                            "refused": {"status": 401, "when": {"code": "token_not_valid"}},
                        },
                        "lifetimes": {"access": 3600, "refresh": 3600},
                    },
                },
                "User": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-User-Token",
                    "x-tessera-bearer-prefix": True,
                    "x-tessera-auth": {
                        "kind": "minted",
                        "mint": {
                            "operation": "create_user_token",
                            "token": "token",
                            "valid-from": "from",
                            "valid-to": "to",
                        },
                        "policies": ["none", "daily"],
                    },
                },
            },
            "schemas": {
                "Tokens": {
                    "type": "object",
                    "properties": {"access": {"type": "string", "x-tessera-secret": True}},
                }
            },
        },
    }


def parse(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")  # JSON is YAML
    parse_spec(load_spec(path, SOURCE))


def rules(document: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = document["x-tessera"]["errors"]["rules"]
    return found


def auth(document: dict[str, Any], scheme: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["securitySchemes"][scheme]["x-tessera-auth"]
    return found


RULE = "/x-tessera/errors/rules"
PASSWORD = "/components/securitySchemes/Password/x-tessera-auth"
USER = "/components/securitySchemes/User"
CASES: list[tuple[Callable[[dict[str, Any]], None], str]] = [
    (
        lambda d: rules(d)[0].update(error="InvalidCredential"),
        f"{RULE}/0/error: 'InvalidCredential' is not an ApiError class of tessera.errors:"
        " did you mean 'InvalidCredentials'?",
    ),
    (lambda d: rules(d)[0].update(error="ValueError"), f"{RULE}/0/error: 'ValueError' is not an ApiError class"),
    (lambda d: rules(d)[0].pop("status"), f"{RULE}/0: missing required key 'status'"),
    (
        lambda d: rules(d)[1].update(status=[400, "422"]),
        f"{RULE}/1/status/1: expected an HTTP status (an integer from 100 to 599), found '422'",
    ),
    (lambda d: rules(d)[1].update(status=[400, 400]), f"{RULE}/1/status: a status is listed twice"),
    (lambda d: rules(d)[1].update(match="regex"), f"{RULE}/1/match: match 'regex' is not one of equals, prefix"),
    (lambda d: rules(d)[1]["when"].update(code=[1]), f"{RULE}/1/when/code/0: expected a string, found int"),
    (
        lambda d: rules(d)[0].update(errror="X"),
        f"{RULE}/0/errror: unknown key 'errror': expected error, match, status, when",
    ),
    (
        lambda d: d["x-tessera"].update(error={}),
        "/x-tessera/error: unknown key 'error': expected errors, pagination, rate-limit, request-id-header, vendor",
    ),
    (
        lambda d: d["x-tessera"].update({"request-id-header": "X Request Id"}),
        "/x-tessera/request-id-header: 'X Request Id' is not an HTTP header name",
    ),
    (
        lambda d: d["x-tessera"].update({"request-id-header": 7}),
        "/x-tessera/request-id-header: expected a string, found int",
    ),
    (
        lambda d: d["x-tessera"]["pagination"]["pages"].update(kind="cursor"),
        "/x-tessera/pagination/pages/kind: pagination kind 'cursor' is not one of page-number, offset",
    ),
    (
        lambda d: d["x-tessera"]["pagination"]["pages"].pop("page-param"),
        "/x-tessera/pagination/pages: missing required key 'page-param'",
    ),
    (
        lambda d: d["x-tessera"]["rate-limit"].update({"reset-header": 60}),
        "/x-tessera/rate-limit/reset-header: expected a string, found int",
    ),
    (
        lambda d: auth(d, "Password")["login"].update(operation="log_in"),
        f"{PASSWORD}/login/operation: no operation 'log_in' in this spec: did you mean 'logIn'?",
    ),
    (
        lambda d: auth(d, "Password")["refresh"].update(operation="refresh"),
        f"{PASSWORD}/refresh/operation: no operation 'refresh' in this spec: did you mean 'refresh_token'?",
    ),
    (
        lambda d: auth(d, "User")["mint"].update(operation="mint_token"),
        f"{USER}/x-tessera-auth/mint/operation: no operation 'mint_token' in this spec",
    ),
    (lambda d: auth(d, "User")["mint"].pop("token"), f"{USER}/x-tessera-auth/mint: missing required key 'token'"),
    (
        lambda d: auth(d, "User").update(policies=["weekly"]),
        f"{USER}/x-tessera-auth/policies/0: policy 'weekly' is not one of none, monthly, daily, single-use",
    ),
    (
        lambda d: auth(d, "Password")["lifetimes"].update(access="1h"),
        f"{PASSWORD}/lifetimes/access: expected a positive number of seconds",
    ),
    (
        lambda d: auth(d, "Password")["refresh"]["refused"].update(status="401"),
        f"{PASSWORD}/refresh/refused/status: expected an HTTP status (an integer from 100 to 599), found '401'",
    ),
    (
        lambda d: auth(d, "Key").update(jwt="sometimes"),
        "/components/securitySchemes/Key/x-tessera-auth/jwt: jwt 'sometimes' is not one of maybe, always, never",
    ),
    (
        lambda d: auth(d, "Key").update(kind="oauth"),
        "/components/securitySchemes/Key/x-tessera-auth/kind: auth kind 'oauth' is not one of static, password, minted",
    ),
    (
        lambda d: d["components"]["securitySchemes"]["User"].update({"x-tessera-bearer-prefix": "yes"}),
        f"{USER}/x-tessera-bearer-prefix: expected true or false",
    ),
    (
        lambda d: d["components"]["schemas"]["Tokens"]["properties"]["access"].update({"x-tessera-secret": "true"}),
        "/components/schemas/Tokens/properties/access/x-tessera-secret: expected true or false",
    ),
    (
        lambda d: d["components"]["schemas"]["Tokens"]["properties"]["access"].update({"x-tessera-secrets": True}),
        "/components/schemas/Tokens/properties/access/x-tessera-secrets: unknown extension 'x-tessera-secrets':"
        " did you mean 'x-tessera-secret'?",
    ),
]


@pytest.mark.parametrize(("break_spec", "message"), CASES)
def test_a_wrong_extension_value_is_a_spec_error_naming_the_file_and_the_pointer(
    tmp_path: Path, break_spec: Callable[[dict[str, Any]], None], message: str
) -> None:
    document = valid_spec()
    parse(tmp_path, document)  # the spec is fine before it is broken
    break_spec(document)
    with pytest.raises(SpecError) as caught:
        parse(tmp_path, document)
    assert str(caught.value).startswith(f"{SOURCE}#{message}")


def test_the_command_reports_a_wrong_error_class_in_one_line_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = valid_spec()
    rules(document)[0]["error"] = "InvalidCredential"
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "broken.yaml").write_text(json.dumps(document), encoding="utf-8")
    assert build(["--specs", str(specs), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        "error: specs/broken.yaml#/x-tessera/errors/rules/0/error: 'InvalidCredential' is not an ApiError class of"
        " tessera.errors: did you mean 'InvalidCredentials'?\n"
    )
    assert not (tmp_path / "out").exists()


def test_an_auth_operation_named_in_camel_case_is_found_by_its_method_name(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "camel.yaml").write_text(json.dumps({**valid_spec(), "x-tessera": {"vendor": "camel"}}), encoding="utf-8")
    assert build(["--specs", str(specs), "--out", str(tmp_path / "out")]) == 0
    with importable(tmp_path / "out"):
        profile = importlib.import_module("camel._profile").PROFILE
    login = profile.security_schemes["Password"].auth["login"]["operation"]
    assert login == "log_in"
    assert profile.operations[login].path == "/login"


def test_the_request_id_header_the_spec_names_is_the_profiles_else_the_usual_ones(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    named = {**valid_spec(), "x-tessera": {"vendor": "named", "request-id-header": "X-Amzn-RequestId"}}
    (specs / "named.yaml").write_text(json.dumps(named), encoding="utf-8")
    (specs / "usual.yaml").write_text(json.dumps({**valid_spec(), "x-tessera": {"vendor": "usual"}}), encoding="utf-8")
    assert build(["--specs", str(specs), "--out", str(tmp_path / "out")]) == 0
    with importable(tmp_path / "out"):
        assert importlib.import_module("named._profile").PROFILE.request_id_headers == ("X-Amzn-RequestId",)
        assert importlib.import_module("usual._profile").PROFILE.request_id_headers == ("X-Request-Id", "Request-Id")
