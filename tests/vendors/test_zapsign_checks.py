"""ZapSign's background checks, end to end: created, completed on the emulator's clock, their findings paged."""

from __future__ import annotations

import attrs
import pytest

from tessera import errors, zapsign
from tessera.testing import ManualClock, ZapSignEmulator

M = zapsign.models


PERSON = M.CreateCheckRequest(
    user_authorized=True,
    type=M.CheckType.PERSON,
    country=M.CheckCountry.BR,
    national_id="111.111.111-11",
    region="SP",
    first_name="Maria",
    last_name="Perez",
)


async def test_a_check_completes_with_a_report(zs_emu: ZapSignEmulator, zs: zapsign.Client, clock: ManualClock) -> None:
    check = await zs.checks.create_check(body=PERSON)
    assert (check.status, check.pdf_report, check.first_name) == (M.CheckStatus.NOT_STARTED, None, "Maria")
    assert zs_emu.checks[check.check_id].fields["region"] == "SP"
    assert (await zs.checks.get_check(check_id=check.check_id)).status is M.CheckStatus.NOT_STARTED

    clock.advance(60)
    done = await zs.checks.get_check(check_id=check.check_id)
    assert done.status is M.CheckStatus.COMPLETED
    assert done.pdf_report is not None
    assert done.pdf_report.url.endswith(f"{check.check_id}.pdf")
    # Completed, the answer has the report and no first_name, as the documented bodies differ.
    assert (done.first_name, done.full_name) == (None, "Maria Perez")


async def test_the_findings_come_a_page_at_a_time(zs: zapsign.Client, clock: ManualClock) -> None:
    check = await zs.checks.create_check(
        body=M.CreateCheckRequest(
            user_authorized=True, type=M.CheckType.COMPANY, country=M.CheckCountry.CO, tax_id="11111111"
        )
    )
    assert (await zs.checks.get_check_details(check_id=check.check_id)).details == []  # not completed yet
    clock.advance(60)
    first = await zs.checks.get_check_details(check_id=check.check_id, lang="es")
    assert [f.data_set for f in first.details] == ["business_background"]
    assert first.details[0].tables[0].rows[0].cells[0] == M.CheckCell(label="Document", value="11111111")
    second = await zs.checks.get_check_details(check_id=check.check_id, start_key=first.next)
    assert ([f.data_set for f in second.details], second.next) == (["legal_background"], "")


async def test_without_force_creation_the_earlier_check_answers(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    first = await zs.checks.create_check(body=PERSON)
    again = await zs.checks.create_check(body=attrs.evolve(PERSON, force_creation=False))
    forced = await zs.checks.create_check(body=attrs.evolve(PERSON, force_creation=True))
    assert again.check_id == first.check_id != forced.check_id
    assert len(zs_emu.checks) == 2


async def test_a_check_is_refused_without_what_it_needs(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    with pytest.raises(errors.BadRequest) as caught:
        await zs.checks.create_check(
            body=M.CreateCheckRequest(user_authorized=True, type=M.CheckType.PERSON, country=M.CheckCountry.CO)
        )
    assert caught.value.body == {"non_field_errors": ["Send national_id, foreign_id, ptp or ppt."]}
    with pytest.raises(errors.BadRequest, match="must authorize"):
        await zs.checks.create_check(body=attrs.evolve(PERSON, user_authorized=False))
    assert zs_emu.checks == {}


async def test_an_unknown_check_is_not_found_with_the_vendor_text(zs: zapsign.Client) -> None:
    with pytest.raises(errors.NotFound) as caught:
        await zs.checks.get_check(check_id="CHKnope")
    assert caught.value.body == "Background check not found."  # a JSON string, as the page shows the text
