"""Password hashing: argon2id through pwdlib, never a password stored or compared in clear.

The parameters are OWASP's first argon2id choice (19 MiB, 2 iterations, 1 lane): about 70 ms a hash on
a shared CI core, so signing in stays quick in the suite while a stolen table stays expensive to guess.
A hash records its own parameters, so raising them later still verifies the old hashes.
"""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1),))


def hash_password(password: str) -> str:
    """A salted argon2id hash of ``password`` (a different one each call)."""
    return _hasher.hash(password)


@cache
def _unknown_user_hash() -> str:
    """Verified against when the login is unknown, so an unknown login costs what a wrong password does."""
    return _hasher.hash("no such user")


def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether ``password`` matches; ``None`` (no such user) is checked against a dummy hash and fails."""
    if password_hash is None:
        _hasher.verify(password, _unknown_user_hash())
        return False
    return _hasher.verify(password, password_hash)
