"""Every operation of specs/videsk.yaml, called through the generated client against the emulator.

The AppointmentToken operations (cancel, reschedule, info) run on a client built with the appointment's
token, export_report on one built with the export token.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tessera import errors, videsk
from tessera.testing import ManualClock, VideskEmulator, emulator

SPEC = Path(__file__).parents[2] / "specs" / "videsk.yaml"
M = videsk.models
UTC = datetime.UTC
# ManualClock starts on Tuesday 2023-11-14 22:13:20Z: the next Monday's opening half hours, in UTC.
MONDAY_9 = datetime.datetime(2023, 11, 20, 9, tzinfo=UTC)
MONDAY_930 = datetime.datetime(2023, 11, 20, 9, 30, tzinfo=UTC)


def spec_operations() -> set[str]:
    """Every operation of the spec as the emulator counts it: "METHOD /path"."""
    paths: dict[str, dict[str, Any]] = yaml.safe_load(SPEC.read_text())["paths"]
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in item if method != "parameters"}


def scoped(vd_emu: VideskEmulator, scheme: str, token: str, clock: ManualClock) -> videsk.Client:
    """A Videsk client holding only the credential of `scheme`."""
    if scheme == "AppointmentToken":
        return videsk.Client(appointment_token=token, base_url=vd_emu.base_url, max_retries=0, clock=clock)
    return videsk.Client(export_token=token, base_url=vd_emu.base_url, max_retries=0, clock=clock)


@pytest.fixture
async def vd(vd_emu: VideskEmulator, clock: ManualClock) -> AsyncIterator[videsk.Client]:
    async with videsk.Client(api_key=vd_emu.api_key, base_url=vd_emu.base_url, clock=clock) as client:
        yield client


async def base_form(vd: videsk.Client, segment: str) -> dict[str, str]:
    """The field ids of a segment's base form, by name."""
    form = await vd.forms.get_form(segment_id=segment, version=M.FormVersion.BASE)
    return {str(field.name): field.id for field in form.form}


async def test_every_operation_of_the_spec(vd_emu: VideskEmulator, vd: videsk.Client, clock: ManualClock) -> None:
    """One pass over the whole spec, each answer checked, and the emulator saw each operation."""
    segments = await vd.segments.list_segments()
    segment = segments.data[0].id
    services = await vd.services.list_services(limit=50)
    service = services.data[0]
    assert service.users
    agent, other_agent = service.users[0].id, service.users[1].id
    on_monday: dict[str, Any] = {"date": "2023-11-20", "timezone": "UTC"}
    assert len(await vd.availability.list_service_dates(id=service.id, **on_monday)) == 10
    assert (await vd.availability.list_user_dates(id=agent, **on_monday))[0] == datetime.datetime(
        2023, 11, 20, tzinfo=UTC
    )

    fields = await base_form(vd, segment)
    form = [M.FormAnswer(id=fields["firstname"], value="Ana"), M.FormAnswer(id=fields["email"], value="ana@x.co")]
    booked = await vd.schedule.schedule_service(
        id=service.id, body=M.ScheduleServiceRequest(start_at=MONDAY_9, timezone="UTC", form=form, referrer="web")
    )
    assert (booked.start_at, booked.email, booked.service) == (MONDAY_9, "ana@x.co", service.title)
    assert MONDAY_9 not in await vd.availability.list_service_hours(id=service.id, **on_monday)
    with_agent = await vd.schedule.schedule_user(
        id=other_agent, body=M.ScheduleUserRequest(start_at=MONDAY_930, timezone="UTC", service=service.id)
    )
    assert MONDAY_930 not in await vd.availability.list_user_hours(id=other_agent, **on_monday)

    async with scoped(vd_emu, "AppointmentToken", booked.access_token, clock) as viewer:
        info = await viewer.schedule.get_appointment_info()
    assert info.service is not None
    assert (info.start_at, info.end_at, info.service.title) == (MONDAY_9, MONDAY_930, service.title)
    async with scoped(vd_emu, "AppointmentToken", with_agent.action_token, clock) as actor:
        moved = await actor.schedule.reschedule_appointment(
            body=M.RescheduleAppointmentRequest(date=MONDAY_930 + datetime.timedelta(minutes=30))
        )
    assert moved.start_at == datetime.datetime(2023, 11, 20, 10, tzinfo=UTC)
    assert moved.action_token not in (None, with_agent.action_token)
    async with scoped(vd_emu, "AppointmentToken", booked.action_token, clock) as actor:
        cancelled = await actor.schedule.cancel_appointment(body=M.CancelAppointmentRequest(cancel_reason="Viaje"))
    assert cancelled.message == "The appointment was successfully canceled"

    submitted = await vd.forms.submit_form(
        body=M.FormSubmission(segment=segment, type=M.FormType.PRE_CALL, values=form)
    )
    assert (submitted.success, submitted.submission) == (True, vd_emu.forms.submissions[0].id)
    survey = await vd.surveys.get_survey(id=service.id, type=M.SurveyTarget.SERVICES)
    assert survey.form
    nps = survey.form[0].id
    answered = await vd.surveys.submit_survey(
        body=M.SurveySubmission(
            appointment=next(iter(vd_emu.schedule.appointments)), values=[M.FormAnswer(id=nps, value=10)]
        )
    )
    assert answered.message == "The survey was saved successfully."

    branches = await vd.qms.list_branches()
    queues = await vd.qms.list_queues(branch_id=branches[0].id)
    queue = await vd.qms.get_queue(branch_id=branches[0].id, queue_id=queues[0].id)
    assert (queue.name, queue.users) == (segments.data[0].name, 1)
    ticket = await vd.qms.join_queue(
        branch_id=branches[0].id,
        queue_id=queue.id,
        body=M.JoinQueueRequest(integration_data={"crm": "C-1"}, ticket_id="A-042"),
    )
    assert ticket.segment == queue.name

    export = M.ReportExportRequest(
        sort={"createdAt": M.ReportExportRequestSort.INTEGER_1},
        start=datetime.datetime(2023, 11, 1, tzinfo=UTC),
        end=datetime.datetime(2023, 12, 1, tzinfo=UTC),
        timezone="UTC",
    )
    async with scoped(vd_emu, "ExportToken", vd_emu.export_token, clock) as private:
        report = await private.reports.export_report(kind=M.ReportKind.APPOINTMENTS, body=export)
        ai = await private.reports.export_ai_report(kind=M.AiReportKind.TOPICS, body=export)
    grant = await vd.uploads.create_upload_grant(
        body=M.UploadGrantRequest(purpose="cip", project_id=vd_emu.ai_project_id)
    )
    assert (report.limit, ai.columns[3], grant.exp) == (5000, "topicName", int(clock()) + 300)
    assert [(row["canceled"], row["startTime"]) for row in report.data] == [
        (True, "2023-11-20 09:00:00"),
        (False, "2023-11-20 10:00:00"),
    ]

    assert set(vd_emu.counts) == spec_operations()
    assert vd_emu.counts["POST /public/video-contact-center/schedule/reschedule"] == 1


async def test_a_client_without_the_operations_credential_says_which_one(
    vd_emu: VideskEmulator, vd: videsk.Client, clock: ManualClock
) -> None:
    with pytest.raises(errors.ConfigurationError, match="AppointmentToken"):
        await vd.schedule.get_appointment_info()
    with pytest.raises(errors.ConfigurationError, match="ExportToken"):
        await vd.reports.export_report(
            kind=M.ReportKind.CALLS,
            body=M.ReportExportRequest(sort={}, start=MONDAY_9, end=MONDAY_9, timezone="UTC"),
        )
    assert sum(vd_emu.counts.values()) == 0


async def test_booking_errors_map_to_the_error_tree(vd_emu: VideskEmulator, vd: videsk.Client) -> None:
    service = next(iter(vd_emu.catalog.services))
    body = M.ScheduleServiceRequest(start_at=MONDAY_9, timezone="UTC")
    await vd.schedule.schedule_service(id=service, body=body)
    with pytest.raises(errors.Conflict, match="unavailable"):
        await vd.schedule.schedule_service(id=service, body=body)
    with pytest.raises(errors.BadRequest) as caught:
        await vd.schedule.schedule_service(
            id=service, body=M.ScheduleServiceRequest(start_at=MONDAY_9, timezone="Nope/Nope")
        )
    assert caught.value.body == {
        "name": "BadRequest",
        "message": 'A valid "timezone" is required',
        "code": 400,
        "className": "bad-request",
        "data": "timezone",
        "errors": {},
    }
    with pytest.raises(errors.NotFound):
        await vd.schedule.schedule_service(id="nope", body=body)
    vd_emu.dismiss_agents(service)
    with pytest.raises(errors.ApiError) as refused:
        await vd.schedule.schedule_service(
            id=service, body=M.ScheduleServiceRequest(start_at=MONDAY_930, timezone="UTC")
        )
    assert (refused.value.status, refused.value.message) == (406, "There are no agents available.")


async def test_a_spent_action_token_is_refused(vd_emu: VideskEmulator, vd: videsk.Client, clock: ManualClock) -> None:
    booked = await vd.schedule.schedule_service(
        id=next(iter(vd_emu.catalog.services)), body=M.ScheduleServiceRequest(start_at=MONDAY_9, timezone="UTC")
    )
    async with scoped(vd_emu, "AppointmentToken", booked.action_token, clock) as actor:
        await actor.schedule.cancel_appointment(body=M.CancelAppointmentRequest())
        with pytest.raises(errors.AuthenticationError, match=r"The token is not valid any more\."):
            await actor.schedule.cancel_appointment(body=M.CancelAppointmentRequest())
    async with scoped(vd_emu, "AppointmentToken", booked.action_token, clock) as wrong_kind:
        with pytest.raises(errors.PermissionDenied, match="You don't have access"):
            await wrong_kind.schedule.get_appointment_info()


async def test_a_public_key_sends_a_captcha_token(vd_emu: VideskEmulator, clock: ManualClock) -> None:
    segment = str(vd_emu.catalog.segments[0]["id"])
    async with videsk.Client(api_key=vd_emu.public_key, base_url=vd_emu.base_url, clock=clock) as browser:
        form = await browser.forms.get_form(segment_id=segment)
        assert form.provider == "turnstile"
        fields = {str(field.name): field.id for field in form.form}
        values = [M.FormAnswer(id=fields["firstname"], value="Ana"), M.FormAnswer(id=fields["email"], value="a@x.co")]
        with pytest.raises(errors.BadRequest, match='Please provide a valid "token"'):
            await browser.forms.submit_form(
                body=M.FormSubmission(segment=segment, type=M.FormType.PRE_CALL, values=values)
            )
        with pytest.raises(errors.BadRequest) as caught:
            await browser.forms.submit_form(
                body=M.FormSubmission(segment=segment, type=M.FormType.PRE_CALL, values=values, token="fail")
            )
        assert caught.value.status == 422
        stored = await browser.forms.submit_form(
            body=M.FormSubmission(segment=segment, type=M.FormType.PRE_CALL, values=values, token="turnstile-ok")
        )
        assert stored.success is True
        with pytest.raises(errors.PermissionDenied):
            await browser.qms.list_branches()
    assert len(vd_emu.forms.submissions) == 1
    assert vd_emu.counts["POST /public/video-contact-center/forms"] == 3


async def test_queue_limits_and_preconditions(vd_emu: VideskEmulator, vd: videsk.Client) -> None:
    branch = next(iter(vd_emu.qms.branches.values()))
    queue = next(iter(branch.queues))
    with pytest.raises(errors.BadRequest, match="ticketId"):
        await vd.qms.join_queue(branch_id=branch.id, queue_id=queue, body=M.JoinQueueRequest(ticket_id="T" * 51))
    with pytest.raises(errors.BadRequest, match="50 Kb"):
        await vd.qms.join_queue(
            branch_id=branch.id, queue_id=queue, body=M.JoinQueueRequest(integration_data={"k": "x" * 51_200})
        )
    strict_branch, strict = next(
        (b.id, q_id) for b in vd_emu.qms.branches.values() for q_id, q in b.queues.items() if q.form_required
    )
    with pytest.raises(errors.ApiError) as caught:
        await vd.qms.join_queue(branch_id=strict_branch, queue_id=strict, body=M.JoinQueueRequest())
    assert caught.value.status == 428  # the body says 426: the status wins
    assert vd_emu.qms.tickets == []


async def test_the_rate_limit_is_waited_out_on_the_injected_clock(clock: ManualClock) -> None:
    vd_emu = emulator("videsk", clock=clock, requests_per_second=1)
    async with vd_emu:
        async with videsk.Client(api_key=vd_emu.api_key, base_url=vd_emu.base_url, clock=clock, max_retries=0) as vd:
            await vd.segments.list_segments()
            with pytest.raises(errors.RateLimited) as caught:
                await vd.segments.list_segments()
        assert caught.value.retry_after == 1.0
        async with videsk.Client(api_key=vd_emu.api_key, base_url=vd_emu.base_url, clock=clock, max_retries=1) as vd:
            start = clock()
            assert (await vd.qms.list_branches())[0].name
            assert clock() - start == 1.0  # the client slept the second Ratelimit-Reset asked for
    assert vd_emu.counts["GET /public/video-contact-center/segments"] == 2
    assert vd_emu.counts["GET /public/video-contact-center/branches"] == 2
