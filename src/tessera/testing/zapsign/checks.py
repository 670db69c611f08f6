"""ZapSign's background checks: created not started, completed a while later on the emulator's clock."""

from __future__ import annotations

import json
import uuid
from typing import Final

import attrs
from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._drf import field_errors, invalid, json_object
from .._json import JsonObject
from .records import FILES_URL

COUNTRIES: Final = ("BR", "CO", "CL", "MX", "PE")
PERSON_TYPES: Final = ("person", "credit_person_co", "credit_person_br")
COMPANY_TYPES: Final = ("company", "credit_company_co", "credit_company_br")
PERSON_IDS: Final = ("national_id", "foreign_id", "ptp", "ppt")
_FIELDS: Final = {
    "country": str,
    "type": str,
    "user_authorized": bool,
    "force_creation": bool,
    "national_id": str,
    "foreign_id": str,
    "ptp": str,
    "ppt": str,
    "tax_id": str,
    "company_name": str,
    "first_name": str,
    "last_name": str,
    "region": str,
}
_IDENTITY: Final = ("country", "type", *PERSON_IDS, "tax_id")
"""What makes two requests the same check, answered from the earlier one without force_creation."""
# Each database consulted is one finding; the details page lists them one a page, `next` naming the following.
_DATA_SETS: Final = {
    "person": (("personal_identity", "Identity registry"), ("criminal_record", "Criminal records")),
    "company": (("business_background", "Company registry"), ("legal_background", "Legal records")),
}


@attrs.define
class Check:
    check_id: str
    check_type: str
    country: str
    fields: JsonObject
    created_at: float

    def person(self) -> bool:
        return self.check_type in PERSON_TYPES


class ZapSignChecks:
    """The handlers of /checks/; a check is completed `completion_seconds` after it was created."""

    def __init__(self, clock: TimeFunction, *, completion_seconds: float) -> None:
        self._clock = clock
        self._completion_seconds = completion_seconds
        self.checks: dict[str, Check] = {}

    async def create_check(self, request: web.Request) -> web.Response:
        body = await json_object(request)
        if errors := _check_errors(body):
            raise invalid(errors)
        if not body.get("force_creation"):
            identity = {name: body.get(name) for name in _IDENTITY}
            for earlier in self.checks.values():
                if {name: earlier.fields.get(name) for name in _IDENTITY} == identity:
                    return web.json_response(self._to_json(earlier))
        check = Check(
            check_id="CHK" + uuid.uuid4().hex,
            check_type=str(body["type"]),
            country=str(body["country"]),
            fields=body,
            created_at=self._clock(),
        )
        self.checks[check.check_id] = check
        return web.json_response(self._to_json(check))

    async def get_check(self, request: web.Request) -> web.Response:
        return web.json_response(self._to_json(self._check(request)))

    async def get_check_details(self, request: web.Request) -> web.Response:
        check = self._check(request)
        findings = _DATA_SETS["person" if check.person() else "company"] if self._completed(check) else ()
        start = request.query.get("start_key") or "0"
        if not start.isdecimal() or int(start) > len(findings):
            raise invalid({"start_key": ["Invalid start_key."]})  # inferred
        index = int(start)
        path = f"/api/v1/checks/{check.check_id}/details/"
        return web.json_response(
            {
                "details": [
                    _finding(check, *finding, stamp=self._stamp(check)) for finding in findings[index : index + 1]
                ],
                "self": path,
                "next": str(index + 1) if index + 1 < len(findings) else "",
            }
        )

    def _check(self, request: web.Request) -> Check:
        check = self.checks.get(request.match_info["check_id"])
        if check is None:
            # A JSON string, not DRF's {"detail": ...}: the page shows the bare text.
            raise web.HTTPNotFound(text=json.dumps("Background check not found."), content_type="application/json")
        return check

    def _completed(self, check: Check) -> bool:
        return self._clock() - check.created_at >= self._completion_seconds

    def _stamp(self, check: Check) -> str:
        return drf_timestamp(check.created_at + (self._completion_seconds if self._completed(check) else 0))

    def _to_json(self, check: Check) -> JsonObject:
        fields = check.fields
        body: JsonObject = {
            "check_id": check.check_id,
            "status": "completed" if self._completed(check) else "not_started",
            "company_name": str(fields.get("company_name", "")),
            "full_name": " ".join(str(fields[name]) for name in ("first_name", "last_name") if fields.get(name)),
            "first_name": str(fields.get("first_name", "")),
            "last_name": str(fields.get("last_name", "")),
            "date_of_birth": fields.get("date_of_birth"),
            "issue_date": fields.get("issue_date"),
            "national_id": str(fields.get("national_id", "")),
            "foreign_id": str(fields.get("foreign_id", "")),
            "tax_id": str(fields.get("tax_id", "")),
            "country": check.country,
            "native_country": "",
            "check_type": check.check_type,
            "lang": "es",
            "region": str(fields.get("region", "")),
            "created_at": drf_timestamp(check.created_at),
            "last_update_at": self._stamp(check),
        }
        if self._completed(check):
            # The answer once completed differs as the pages show: a report, more ids, no first_name.
            del body["first_name"]
            body |= {"passport": "", "native_national_id": "", "pep": "", "ptp": str(fields.get("ptp", ""))}
            body["pdf_report"] = {"status": "completed", "url": f"{FILES_URL}checks/{check.check_id}.pdf"}
        return body


def _check_errors(body: JsonObject) -> JsonObject:
    errors = field_errors(body, _FIELDS, required=("country", "type", "user_authorized"))
    if "country" not in errors and body["country"] not in COUNTRIES:
        errors["country"] = [f'"{body["country"]}" is not a valid choice.']
    if "type" not in errors and body["type"] not in PERSON_TYPES + COMPANY_TYPES:
        errors["type"] = [f'"{body["type"]}" is not a valid choice.']
    if errors:
        return errors
    # The rules below are documented; their bodies are inferred.
    if body["user_authorized"] is not True:
        return {"user_authorized": ["The person or company must authorize the check."]}
    if body["type"] in PERSON_TYPES and not any(body.get(name) for name in PERSON_IDS):
        return {"non_field_errors": ["Send national_id, foreign_id, ptp or ppt."]}
    if body["type"] in COMPANY_TYPES and not body.get("tax_id"):
        return {"tax_id": ["This field is required."]}
    if body["country"] == "BR" and body["type"] == "person" and not body.get("region"):
        return {"region": ["This field is required."]}
    return {}


def _finding(check: Check, data_set: str, database: str, *, stamp: str) -> JsonObject:
    subject = check.fields.get("national_id") or check.fields.get("tax_id") or ""
    return {
        "categorization": [],
        "check_id": check.check_id,
        "data_set": data_set,
        "database_id": "DBI" + uuid.uuid5(uuid.NAMESPACE_URL, database).hex,
        "database_name": database,
        "depth": 0,
        "document_type": "national-id" if check.person() else "tax-id",
        "found_company_name": str(check.fields.get("company_name", "")),
        "found_date_of_birth": "",
        "found_first_name": str(check.fields.get("first_name", "")),
        "found_gender": "",
        "found_last_name": str(check.fields.get("last_name", "")),
        "found_rfc": "",
        "id": "DTL" + uuid.uuid5(uuid.NAMESPACE_URL, check.check_id + data_set).hex,
        "identity_result": "",
        "identity_state": "",
        "result": "found",
        "route": "id",
        "severity": "none",
        "tables": [{"title": database, "rows": [{"cells": [{"label": "Document", "value": str(subject)}]}]}],
        "update_date": stamp,
    }
