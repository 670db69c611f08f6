"""When a token is renewed and when it stops being used, from its JWT claims or a stated lifetime."""

from __future__ import annotations

import jwt
import pytest

from tessera._auth.secrets import Secret
from tessera._auth.tokens import TokenSet


def signed(claims: dict[str, float]) -> Secret:
    return Secret(jwt.encode(claims, "a-vendor-key-we-never-see-32-bytes-long", algorithm="HS256"))


@pytest.mark.parametrize(
    ("lifetime", "renew_after", "stop_after"),
    # Whole-second claims lose up to a second to truncation: a 3-second token is sure of 2.
    [(3, 1.6, 1.9), (61, 48, 58), (3601, 3480, 3598), (86401, 86280, 86398)],
)
def test_the_window_scales_with_the_lifetime(lifetime: int, renew_after: float, stop_after: float) -> None:
    tokens = TokenSet.issued(
        signed({"iat": 1000, "exp": 1000 + lifetime}), None, asked_at=5000, access_lifetime=None, refresh_lifetime=None
    )
    assert tokens.renew_at == pytest.approx(5000 + renew_after)
    assert tokens.usable_until == pytest.approx(5000 + stop_after)


def test_the_vendors_clock_does_not_shift_the_schedule() -> None:
    # iat/exp are on the vendor's clock (an hour ahead here); only exp - iat is used, from our asked_at.
    tokens = TokenSet.issued(
        signed({"iat": 8600.5, "exp": 12200.5}), None, asked_at=5000, access_lifetime=None, refresh_lifetime=None
    )
    assert tokens.renew_at == pytest.approx(5000 + 3480)


def test_whole_second_claims_are_counted_a_second_short() -> None:
    # Issued at 10.99 and stamped iat=10: the vendor expires it at exp=12, 1.01 s after we asked at 10.99.
    tokens = TokenSet.issued(
        signed({"iat": 10, "exp": 12}), None, asked_at=10.99, access_lifetime=None, refresh_lifetime=None
    )
    assert tokens.usable_until < 12


def test_an_opaque_token_uses_the_stated_lifetime() -> None:
    tokens = TokenSet.issued(Secret("opaque"), Secret("r"), asked_at=0, access_lifetime=600, refresh_lifetime=7200)
    assert tokens.renew_at == pytest.approx(480)
    assert tokens.refresh_expires_at == pytest.approx(7200)


def test_an_opaque_token_without_a_lifetime_is_used_until_refused() -> None:
    tokens = TokenSet.issued(Secret("opaque"), None, asked_at=0, access_lifetime=None, refresh_lifetime=None)
    assert tokens.renew_at == float("inf")
    refused = tokens.refused(now=50)
    assert refused.usable_until == 50
