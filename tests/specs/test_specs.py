"""The hand-written specs: valid OpenAPI 3.1, and following the conventions of specs/README.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

SPECS = Path(__file__).parents[2] / "specs"
VENDORS = ["zapsign", "videsk", "optiwe", "biuwer"]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def load(vendor: str) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load((SPECS / f"{vendor}.yaml").read_text())
    return spec


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in spec["paths"].values() for method, op in item.items() if method in METHODS]


@pytest.mark.parametrize("vendor", VENDORS)
def test_validates_as_openapi_3_1(vendor: str) -> None:
    spec = load(vendor)
    assert spec["openapi"].startswith("3.1")
    validate(spec)


@pytest.mark.parametrize("vendor", VENDORS)
def test_operation_ids_are_unique_snake_case_with_a_tag(vendor: str) -> None:
    ids = [op["operationId"] for op in operations(load(vendor))]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids), ids
    assert all(op.get("tags") for op in operations(load(vendor)))


@pytest.mark.parametrize(("vendor", "at_least"), [("zapsign", 18), ("videsk", 18), ("optiwe", 2), ("biuwer", 4)])
def test_every_known_endpoint_is_there(vendor: str, at_least: int) -> None:
    assert len(operations(load(vendor))) >= at_least


def test_optiwe_describes_the_webhooks_it_sends() -> None:
    assert load("optiwe")["webhooks"]


def test_biuwer_is_marked_inferred_everywhere() -> None:
    spec = load("biuwer")
    assert spec["x-tessera"]["x-inferred"] is True
    assert all(op.get("x-inferred") is True for op in operations(spec))


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_scheme_says_how_to_authenticate(vendor: str) -> None:
    schemes = load(vendor)["components"]["securitySchemes"]
    assert all(scheme["x-tessera-auth"]["kind"] in {"static", "password", "minted"} for scheme in schemes.values())
