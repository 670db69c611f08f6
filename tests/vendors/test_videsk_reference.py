"""Videsk's endpoints the first spec lacked, end to end: the metadata and AI exports, and upload grants."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator

import attrs
import pytest

from tessera import errors, videsk
from tessera.testing import ManualClock, VideskEmulator

M = videsk.models
EXPORT = M.ReportExportRequest(
    sort={"createdAt": M.ReportExportRequestSort.INTEGER_1},
    start=datetime.datetime(2023, 11, 1, tzinfo=datetime.UTC),
    end=datetime.datetime(2023, 12, 1, tzinfo=datetime.UTC),
    timezone="America/Santiago",
)


@pytest.fixture
async def private(vd_emu: VideskEmulator, clock: ManualClock) -> AsyncIterator[videsk.Client]:
    async with videsk.Client(export_token=vd_emu.export_token, base_url=vd_emu.base_url, clock=clock) as client:
        yield client


async def test_the_metadata_and_ai_exports_name_their_columns(vd_emu: VideskEmulator, private: videsk.Client) -> None:
    metadata = await private.reports.export_report(kind=M.ReportKind.EXTRA_DATA, body=EXPORT)
    assert metadata.columns[:3] == ["id", "userAgent", "osName"]
    assert metadata.data == []  # the emulator records no visitors
    chosen = attrs.evolve(EXPORT, keys=["id", "sentimentText"])
    sentiments = await private.reports.export_ai_report(kind=M.AiReportKind.SENTIMENTS, body=chosen)
    assert (sentiments.limit, sentiments.columns) == (5000, ["id", "sentimentText"])
    assert vd_emu.counts["POST /public/video-contact-center/reports/exports/ai/{kind}"] == 1


async def test_the_ai_exports_take_the_export_token_only(vd_emu: VideskEmulator, clock: ManualClock) -> None:
    async with videsk.Client(export_token="not-the-token", base_url=vd_emu.base_url, clock=clock) as wrong:
        with pytest.raises(errors.PermissionDenied):
            await wrong.reports.export_ai_report(kind=M.AiReportKind.TOPICS, body=EXPORT)


async def test_an_upload_grant_lasts_five_minutes(vd_emu: VideskEmulator, clock: ManualClock) -> None:
    async with videsk.Client(api_key=vd_emu.api_key, base_url=vd_emu.base_url, clock=clock) as vd:
        grant = await vd.uploads.create_upload_grant(
            body=M.UploadGrantRequest(purpose="cip", project_id=vd_emu.ai_project_id, filename="transcripcion.pdf")
        )
    assert grant.exp == int(clock()) + 300
    assert (grant.upload_url, grant.credential_id) == ("https://files.videsk.io/upload", "b2-default")
    assert grant.token not in repr(grant)
    assert vd_emu.uploads.granted == [
        {"purpose": "cip", "projectId": vd_emu.ai_project_id, "filename": "transcripcion.pdf"}
    ]


@pytest.mark.parametrize(
    ("request_body", "error", "message"),
    [
        (M.UploadGrantRequest(purpose="avatar"), errors.BadRequest, "unknown purpose"),
        (M.UploadGrantRequest(purpose="cip"), errors.BadRequest, "cip grants require projectId"),
        (M.UploadGrantRequest(purpose="cip", project_id="someone-elses"), errors.NotFound, "project not found"),
    ],
)
async def test_an_upload_grant_is_refused_with_the_documented_code(
    vd_emu: VideskEmulator, clock: ManualClock, request_body: M.UploadGrantRequest, error: type[Exception], message: str
) -> None:
    async with videsk.Client(api_key=vd_emu.api_key, base_url=vd_emu.base_url, clock=clock) as vd:
        with pytest.raises(error, match=message):
            await vd.uploads.create_upload_grant(body=request_body)
    assert vd_emu.uploads.granted == []


async def test_a_browser_key_gets_no_upload_grant(vd_emu: VideskEmulator, clock: ManualClock) -> None:
    async with videsk.Client(api_key=vd_emu.public_key, base_url=vd_emu.base_url, clock=clock) as browser:
        with pytest.raises(errors.PermissionDenied):
            await browser.uploads.create_upload_grant(
                body=M.UploadGrantRequest(purpose="cip", project_id=vd_emu.ai_project_id)
            )
