"""ZapSign's account operations (plan, users), end to end against the emulator."""

from __future__ import annotations

import pytest

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator, emulator

M = zapsign.models


async def test_the_plan_says_its_credits_status_and_end(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    plan = await zs.account.get_plan_info()
    assert plan.number_of_credits == "100"
    assert (plan.status, plan.period) == (M.PlanStatus.PAID, M.PlanPeriod.ANNUAL)
    assert plan.current_period_end == "13-11-2024"  # a year after ManualClock's start, dd-mm-yyyy
    assert zs_emu.counts["GET /info-plan/"] == 1


async def test_a_created_user_is_listed_page_after_page(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    created = await zs.account.create_user(
        body=M.CreateUserRequest(email="ana@example.com", role=M.UserRole.ADMIN, first_name="Ana", last_name="Souza")
    )
    assert created.message == "User created successfully."
    assert zs_emu.users["ana@example.com"].role == "admin"
    for n in range(24):
        await zs.account.create_user(body=M.CreateUserRequest(email=f"user{n}@example.com"))

    first = await zs.account.list_users()
    assert (first.count, len(first.results), first.next is not None) == (26, 25, True)
    assert first.results[0].user_group.name == "owner"
    assert first.results[1] == M.AccountUser(
        first_name="Ana",
        last_name="Souza",
        email="ana@example.com",
        email_verified=False,
        user_group=M.UserGroup(name="admin"),
    )
    everyone = [user.email async for user in zs.account.list_users()]
    assert everyone == list(zs_emu.users)
    assert zs_emu.users["user0@example.com"].role == "self_docs_limited"  # the documented default


async def test_a_user_is_refused_with_the_fields_that_are_wrong(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    with pytest.raises(errors.BadRequest) as caught:
        await zs.account.create_user(body=M.CreateUserRequest(email="not-an-email"))
    assert caught.value.body == {"email": ["Enter a valid email address."]}
    with pytest.raises(errors.BadRequest):
        await zs.account.create_user(body=M.CreateUserRequest(email=zs_emu.username))
    assert list(zs_emu.users) == [zs_emu.username]


async def test_past_the_plans_users_a_creation_is_refused() -> None:
    emu = emulator("zapsign", documents=0, user_limit=2)
    async with emu, zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        await zs.account.create_user(body=M.CreateUserRequest(email="ana@example.com"))
        with pytest.raises(errors.BadRequest, match="reached its plan's number of users"):
            await zs.account.create_user(body=M.CreateUserRequest(email="bruno@example.com"))
    assert len(emu.users) == 2


async def test_a_user_is_removed_but_never_the_owner(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    await zs.account.create_user(body=M.CreateUserRequest(email="ana@example.com"))
    removed = await zs.account.delete_user(user_email="ana@example.com")
    assert removed.message == "User successfully removed from the company."
    assert "ana@example.com" not in zs_emu.users
    with pytest.raises(errors.NotFound):
        await zs.account.delete_user(user_email="ana@example.com")
    with pytest.raises(errors.PermissionDenied):
        await zs.account.delete_user(user_email=zs_emu.username)
    assert zs_emu.counts["DELETE /users/{user_email}/"] == 3
