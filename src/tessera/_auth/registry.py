"""One broker per credential in the process, so that every Client built with it shares one renewal.

A broker lives while a client holds it: the registry only refers to it weakly, each client's flow
holds it until the client closes. Its tokens outlive it in the token store, for their TTL, where the
next broker of the same credential finds them: a handler that builds a client per request logs in
once, and a tenant used once and closed leaves nothing behind once its tokens expire. A broker whose
last client closed while a refused login is being answered from memory is kept for that backoff (at
most a minute, and at most `_RESTING_MAX` of them), so that a wrong password stays cheap for the vendor.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from typing import Final

from tessera._auth.broker import TokenBroker
from tessera._auth.secrets import Secret
from tessera._auth.shared import SharedTokens
from tessera._auth.store import MemoryStore, TokenStore
from tessera.clock import Clock

_Key = tuple[str, int, int]

_RESTING_MAX: Final = 1_024
"""Refused credentials whose refusal is remembered after their last client closed."""

_brokers: weakref.WeakValueDictionary[_Key, TokenBroker] = weakref.WeakValueDictionary()
_resting: OrderedDict[TokenBroker, None] = OrderedDict()
"""Strong references, oldest first: a set in the order of release."""
_lock = threading.Lock()


def broker_for(
    vendor: str, scheme: str, base_url: str, parts: Sequence[str | Secret], *, clock: Clock, store: TokenStore
) -> TokenBroker:
    """The process's broker for this credential at this base URL and store, keyed by a digest, never the secret.

    The digest is also the credential's key in the store, the same in every process that shares it.
    The caller holds the broker for as long as it uses it, then hands it to `release`.
    """
    digest = hashlib.sha256()
    for part in (vendor, scheme, base_url, *parts):
        digest.update((part.reveal() if isinstance(part, Secret) else part).encode())
        digest.update(b"\0")
    fingerprint = digest.hexdigest()
    # The clock and the store are part of the key: a test's manual clock must not meet real time, and
    # tokens kept in one store must not be served to a client that asked for another. A live broker
    # holds both, so neither id can be reused meanwhile.
    key = (fingerprint, id(clock), id(store))
    with _lock:
        _prune_resting()
        broker = _brokers.get(key)
        if broker is None:
            name = f"{vendor} {scheme} {fingerprint[:12]}"
            view = store.on(clock) if isinstance(store, MemoryStore) else store
            # A shared store is read by SharedTokens before every renewal; a memory store only here.
            recall = None if store.shared else functools.partial(view.load, fingerprint)
            broker = _brokers[key] = TokenBroker(name, clock, SharedTokens(view, fingerprint, clock, name), recall)
        return broker


def release(broker: TokenBroker) -> None:
    """A client is done with `broker`: kept a while if it answers a refusal from memory, else let go."""
    with _lock:
        _prune_resting()
        if broker.refusing():
            _resting[broker] = None
            _resting.move_to_end(broker)
            if len(_resting) > _RESTING_MAX:
                _resting.popitem(last=False)


def _prune_resting() -> None:
    """Let go of the oldest brokers whose refusal has lapsed (called under the lock).

    From the front only, so that it costs nothing per call: a lapsed broker behind a longer backoff
    waits for its turn, or for the bound.
    """
    while _resting and not next(iter(_resting)).refusing():
        _resting.popitem(last=False)
