"""Passwords, hashed with argon2id (argon2-cffi's RFC 9106 low-memory profile).

`verify` spends the same work whether or not the account exists: the caller passes None for an
unknown name and a dummy hash is checked instead, so timing does not reveal names (SECURITY G1).
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 1024  # a megabyte "password" is a denial of service, not a secret

_hasher = PasswordHasher()


class WeakPassword(ValueError):
    pass


def check_strength(password: str) -> None:
    """Raises WeakPassword with the reason when `password` may not be used."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password has at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy() -> str:
    return _hasher.hash("not the password of anyone")


def verify(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches `stored_hash`; same cost when `stored_hash` is None."""
    candidate = password[:MAX_LENGTH]
    try:
        ok = _hasher.verify(stored_hash or _dummy(), candidate)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return ok and stored_hash is not None
