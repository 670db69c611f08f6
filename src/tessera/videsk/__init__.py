"""Videsk: video contact center (specs/videsk.yaml).

```python
async with videsk.Client(api_key="...") as vd:
    booked = await vd.schedule.schedule_service(id=service_id, body=videsk.models.ScheduleServiceRequest(...))
# Cancel, reschedule and info take the appointment's own tokens: a client per appointment token.
async with videsk.Client(appointment_token=booked.action_token) as appointment:
    await appointment.schedule.cancel_appointment(body=videsk.models.CancelAppointmentRequest())
```
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from ssl import SSLContext

import aiohttp

from tessera._auth.secrets import required_secret
from tessera._auth.static import StaticKey
from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from tessera.clock import Clock
from tessera.errors import ConfigurationError
from tessera.stores import TokenStore
from tessera.videsk import models
from tessera.videsk._endpoints import Api
from tessera.videsk._profile import PROFILE

__all__ = ["Client", "models"]


class Client(Api):
    """An async context manager; give it the credentials for the operations you call.

    `api_key`: the API key (itself a JWT) from Videsk's integrations page, for every public endpoint.
    `appointment_token`: a booked appointment's `accessToken` (info) or `actionToken` (cancel, reschedule).
    `export_token`: the private export API token, for `reports.export_report`.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        appointment_token: str | None = None,
        export_token: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        session: aiohttp.ClientSession | None = None,
        allow_insecure_http: bool = False,
        clock: Clock | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
        store: TokenStore | None = None,
        default_headers: Mapping[str, str] | None = None,
        trust_env: bool = False,
        ssl: SSLContext | None = None,
    ) -> None:
        super().__init__(
            PROFILE,
            credentials=_credentials(api_key, appointment_token, export_token),
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_response_bytes=max_response_bytes,
            session=session,
            allow_insecure_http=allow_insecure_http,
            clock=clock,
            trace_configs=trace_configs,
            store=store,
            default_headers=default_headers,
            trust_env=trust_env,
            ssl=ssl,
        )


def _credentials(api_key: object, appointment_token: object, export_token: object) -> list[StaticKey]:
    given = {
        ("ApiKey", "api_key"): api_key,
        ("AppointmentToken", "appointment_token"): appointment_token,
        ("ExportToken", "export_token"): export_token,
    }
    if all(value is None for value in given.values()):
        raise ConfigurationError("videsk.Client needs api_key=, appointment_token= or export_token=")
    return [
        StaticKey(scheme, required_secret(value, f"videsk {keyword}"))
        for (scheme, keyword), value in given.items()
        if value is not None
    ]
