"""One broker per credential in the process, so that every Client built with it shares one renewal."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

from tessera._auth.broker import TokenBroker
from tessera._auth.secrets import Secret
from tessera._auth.shared import SharedTokens
from tessera._auth.store import TokenStore
from tessera.clock import Clock

_brokers: dict[tuple[str, int, int], TokenBroker] = {}
_lock = threading.Lock()


def broker_for(
    vendor: str, scheme: str, base_url: str, parts: Sequence[str | Secret], *, clock: Clock, store: TokenStore
) -> TokenBroker:
    """The process's broker for this credential at this base URL and store, keyed by a digest, never the secret.

    The digest is also the credential's key in the store, the same in every process that shares it.
    """
    digest = hashlib.sha256()
    for part in (vendor, scheme, base_url, *parts):
        digest.update((part.reveal() if isinstance(part, Secret) else part).encode())
        digest.update(b"\0")
    fingerprint = digest.hexdigest()
    # The clock and the store are part of the key: a test's manual clock must not meet real time, and
    # tokens kept in one store must not be served to a client that asked for another.
    key = (fingerprint, id(clock), id(store))
    with _lock:
        broker = _brokers.get(key)
        if broker is None:
            name = f"{vendor} {scheme} {fingerprint[:12]}"
            broker = _brokers[key] = TokenBroker(name, clock, SharedTokens(store, fingerprint, clock, name))
        return broker
