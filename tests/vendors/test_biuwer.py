"""Biuwer's generated client against its emulator: every operation of the spec, and its error codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from tessera import biuwer, errors
from tessera.testing import BiuwerEmulator, emulator

models = biuwer.models


@pytest.fixture
async def emu() -> AsyncIterator[BiuwerEmulator]:
    emu = emulator("biuwer")
    async with emu:
        yield emu


@pytest.fixture
async def bw(emu: BiuwerEmulator) -> AsyncIterator[biuwer.Client]:
    async with biuwer.Client(api_token=emu.api_token, base_url=emu.base_url) as client:
        yield client


async def test_list_users_one_page_and_every_page(emu: BiuwerEmulator, bw: biuwer.Client) -> None:
    page = await bw.users.list_users(limit=2, skip=1)
    assert (page.total, page.limit, page.skip) == (5, 2, 1)
    assert [user.id for user in page.data] == ["2", "3"]
    assert page.data[0].type is models.UserType.BASIC
    assert isinstance(page.data[0].created_at, datetime)

    users = [user async for user in bw.users.list_users(limit=2)]

    assert [user.id for user in users] == ["1", "2", "3", "4", "5"]
    assert emu.counts["GET /users"] == 1 + 3


async def test_list_users_by_email(bw: biuwer.Client) -> None:
    page = await bw.users.list_users(email="sofia.lopez@example.com")
    assert [(user.id, user.name) for user in page.data] == [("3", "Sofía")]


async def test_user_lifecycle(emu: BiuwerEmulator, bw: biuwer.Client) -> None:
    created = await bw.users.create_user(
        body=models.CreateUserRequest(email="nuria.vidal@example.com", name="Nuria", type=models.UserType.BASIC)
    )
    assert (created.id, created.email, created.name, created.surname) == ("6", "nuria.vidal@example.com", "Nuria", "")
    assert (await bw.users.get_user(user_id=created.id)) == created

    updated = await bw.users.update_user(user_id=created.id, body=models.UpdateUserRequest(surname="Vidal"))
    assert (updated.name, updated.surname) == ("Nuria", "Vidal")
    assert (await bw.users.get_user(user_id=created.id)).surname == "Vidal"

    await bw.users.delete_user(user_id=created.id)
    with pytest.raises(errors.NotFound, match="User not found"):
        await bw.users.get_user(user_id=created.id)
    assert emu.counts == {
        "POST /users": 1,
        "GET /users/{user_id}": 3,
        "PUT /users/{user_id}": 1,
        "DELETE /users/{user_id}": 1,
    }


async def test_a_taken_email_is_a_conflict(bw: biuwer.Client) -> None:
    with pytest.raises(errors.Conflict, match="Email already in use") as caught:
        await bw.users.create_user(body=models.CreateUserRequest(email="marta.romero@example.com"))
    assert caught.value.body == {"code": "conflict", "message": "Email already in use"}


async def test_a_bad_email_is_a_bad_request(bw: biuwer.Client) -> None:
    with pytest.raises(errors.BadRequest, match="`email` is not a valid email address"):
        await bw.users.create_user(body=models.CreateUserRequest(email="nuria"))


async def test_token_lifecycle(emu: BiuwerEmulator, bw: biuwer.Client) -> None:
    now = datetime.now(UTC)
    forever = await bw.tokens.create_user_token(user_id="2", body=models.CreateUserTokenRequest(from_=now))
    hour = await bw.tokens.create_user_token(
        user_id="2", body=models.CreateUserTokenRequest(from_=now, to=now + timedelta(hours=1))
    )
    assert (forever.user_id, forever.to) == ("2", None)
    assert hour.to is not None
    assert hour.to - hour.from_ == timedelta(hours=1)
    assert abs(hour.from_ - now) < timedelta(milliseconds=1)  # Biuwer keeps milliseconds
    assert emu.token_valid(forever.token)
    assert emu.token_valid(hour.token)
    assert emu.mints == 2
    assert "token=" not in repr(forever)  # a secret: left out of the repr

    listed = await bw.tokens.list_user_tokens(user_id="2")
    assert [token.id for token in listed] == [forever.id, hour.id]

    await bw.tokens.delete_user_token(user_id="2", token_id=forever.id)
    assert not emu.token_valid(forever.token)
    assert [token.id for token in await bw.tokens.list_user_tokens(user_id="2")] == [hour.id]
    assert emu.counts == {
        "POST /users/{user_id}/auth-tokens": 2,
        "GET /users/{user_id}/auth-tokens": 2,
        "DELETE /users/{user_id}/auth-tokens/{token_id}": 1,
    }


async def test_a_token_that_is_not_valid_yet(emu: BiuwerEmulator, bw: biuwer.Client) -> None:
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    token = await bw.tokens.create_user_token(user_id="3", body=models.CreateUserTokenRequest(from_=tomorrow))
    assert not emu.token_valid(token.token)


async def test_a_window_that_ends_before_it_starts_is_a_bad_request(emu: BiuwerEmulator, bw: biuwer.Client) -> None:
    now = datetime.now(UTC)
    with pytest.raises(errors.BadRequest, match="`to` must be after `from`"):
        await bw.tokens.create_user_token(
            user_id="2", body=models.CreateUserTokenRequest(from_=now, to=now - timedelta(seconds=1))
        )
    assert emu.mints == 0


async def test_tokens_of_an_unknown_user_are_not_found(bw: biuwer.Client) -> None:
    with pytest.raises(errors.NotFound):
        await bw.tokens.create_user_token(user_id="99", body=models.CreateUserTokenRequest(from_=datetime.now(UTC)))
    with pytest.raises(errors.NotFound):
        await bw.tokens.list_user_tokens(user_id="99")
    with pytest.raises(errors.NotFound, match="Token not found"):
        await bw.tokens.delete_user_token(user_id="2", token_id="99")


async def test_an_unknown_api_token_is_token_malformed(emu: BiuwerEmulator) -> None:
    async with biuwer.Client(api_token="not-the-token", base_url=emu.base_url) as bw:
        with pytest.raises(errors.TokenMalformed) as caught:
            await bw.users.list_users()
    assert caught.value.status == 401
    assert "not-the-token" not in str(caught.value)
    assert "not-the-token" not in repr(caught.value)


async def test_an_expired_api_token_is_token_expired(emu: BiuwerEmulator) -> None:
    # Opaque (jwt: never), so the client cannot know: the answer says so.
    expired = emu.issue_api_token(expires_in=-1)
    async with biuwer.Client(api_token=expired, base_url=emu.base_url) as bw:
        with pytest.raises(errors.TokenExpired, match="Token expired"):
            await bw.users.get_user(user_id="1")
    assert emu.counts["GET /users/{user_id}"] == 1


async def test_a_revoked_api_token_is_token_revoked(emu: BiuwerEmulator, bw: biuwer.Client) -> None:
    emu.revoke_api_token()
    with pytest.raises(errors.TokenRevoked, match="Token revoked"):
        await bw.users.list_users()


async def test_a_user_token_as_the_api_token_is_permission_denied(emu: BiuwerEmulator, bw: biuwer.Client) -> None:
    minted = await bw.tokens.create_user_token(user_id="2", body=models.CreateUserTokenRequest(from_=datetime.now(UTC)))
    async with biuwer.Client(api_token=minted.token, base_url=emu.base_url) as as_user:
        with pytest.raises(errors.PermissionDenied) as caught:
            await as_user.users.list_users()
    assert not isinstance(caught.value, errors.TokenRevoked)
