"""Every operation of every spec has a route in its vendor's emulator, so the clients can be tested end to end."""

from __future__ import annotations

import re

import pytest

from tessera._runtime.profile import VendorProfile
from tessera.biuwer._profile import PROFILE as BIUWER
from tessera.optiwe._profile import PROFILE as OPTIWE
from tessera.testing import EMULATORS
from tessera.videsk._profile import PROFILE as VIDESK
from tessera.zapsign._profile import PROFILE as ZAPSIGN

PROFILES = {"zapsign": ZAPSIGN, "videsk": VIDESK, "optiwe": OPTIWE, "biuwer": BIUWER}


def shape(method: str, path: str) -> str:
    """Method and path with parameter names blanked: `{doc_token}` and `{token}` are the same route."""
    return f"{method} {re.sub(r'{[^}]+}', '{}', path)}"


@pytest.mark.parametrize("vendor", sorted(PROFILES))
def test_the_emulator_serves_every_operation_of_the_spec(vendor: str) -> None:
    profile: VendorProfile = PROFILES[vendor]
    served = {shape(route.method, route.path) for route in EMULATORS[vendor]().routes()}
    missing = sorted(
        f"{operation_id}: {shape(route.method, route.path)}"
        for operation_id, route in profile.operations.items()
        if shape(route.method, route.path) not in served
    )
    assert missing == []
