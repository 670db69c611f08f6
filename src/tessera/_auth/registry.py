"""One broker per credential in the process, so that every Client built with it shares one renewal."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

from tessera._auth.broker import TokenBroker
from tessera._auth.secrets import Secret
from tessera.clock import Clock

_brokers: dict[tuple[str, int], TokenBroker] = {}
_lock = threading.Lock()


def broker_for(vendor: str, scheme: str, base_url: str, parts: Sequence[str | Secret], clock: Clock) -> TokenBroker:
    """The process's broker for this credential at this base URL, keyed by a digest, never the secret."""
    digest = hashlib.sha256()
    for part in (vendor, scheme, base_url, *parts):
        digest.update((part.reveal() if isinstance(part, Secret) else part).encode())
        digest.update(b"\0")
    fingerprint = digest.hexdigest()
    # The clock is part of the key: a test's manual clock must not be shared with real time.
    key = (fingerprint, id(clock))
    with _lock:
        broker = _brokers.get(key)
        if broker is None:
            broker = _brokers[key] = TokenBroker(f"{vendor} {scheme} {fingerprint[:12]}", clock)
        return broker
