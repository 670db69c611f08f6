"""The Biuwer emulator: basic users and their embed tokens, behind an API credential (all inferred).

`emulator.py` is the emulator class: its options, state tests read, and the route table. Then:

    auth.py      API credentials that may expire or be revoked
    users.py     the handlers of /users and /users/{user_id}/auth-tokens
    store.py     what an account holds: users and their tokens
    records.py   users and tokens: what is kept and the JSON Biuwer answers
    fields.py    what a request may carry: user fields, validity windows, limit/skip paging
    errors.py    Biuwer's {code, message} answers
"""

from .emulator import BiuwerEmulator

__all__ = ["BiuwerEmulator"]
