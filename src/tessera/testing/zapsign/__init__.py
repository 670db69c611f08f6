"""The ZapSign emulator: Django REST framework and SimpleJWT behaviour under /api/v1.

`emulator.py` is the emulator class: its options, state tests read, and the route table (every route of
ZapSign it serves, in one list: a new operation starts there). The handlers live by resource:

    auth.py        api_token, password login, refresh rotation
    docs.py        documents and signers          signing.py   placing signatures, batch signing
    templates.py   templates ("modelos")           webhooks.py  webhook subscriptions
    store.py       the documents the emulator holds (seeded, created, found by token)
    records.py     documents, annexes and signers: what is kept and the JSON bodies ZapSign answers
    throttle.py    the per-minute API rate limit

DRF's conventions (error bodies, JSON parsing, pagination) are shared with Optiwe in `.._drf`.
"""

from .emulator import ZapSignEmulator

__all__ = ["ZapSignEmulator"]
