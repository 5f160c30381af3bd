"""Random tokens and short-lived signed form tokens.

Session tokens are random (256 bits); only their SHA-256 is stored, so a copy of the database
opens no session. A form token is `nonce.issued.mac` where the MAC (HMAC-SHA256) covers a purpose
string (e.g. "report:42", binding the token to one image), the nonce and the issue time; the
caller records used nonces to refuse replays (SECURITY F3). Comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

TOKEN_BYTES = 32


class BadToken(ValueError):
    """A form token that is missing, malformed, forged or expired; the message says which."""


@dataclass(frozen=True, slots=True)
class FormToken:
    nonce: str
    issued: int


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def sign_form(key: bytes, purpose: str, now: float) -> str:
    nonce = secrets.token_urlsafe(12)
    issued = int(now)
    return f"{nonce}.{issued}.{_mac(key, purpose, nonce, issued)}"


def check_form(key: bytes, purpose: str, token: str, *, now: float, max_age: float) -> FormToken:
    """The token's nonce and issue time when it is genuine and fresh; BadToken otherwise."""
    if not token:
        raise BadToken("missing form token")
    parts = token.split(".")
    if len(parts) != 3 or len(token) > 200 or not parts[1].isdigit():
        raise BadToken("malformed form token")
    nonce, issued_text, mac = parts
    issued = int(issued_text)
    if not same(mac, _mac(key, purpose, nonce, issued)):
        raise BadToken("form token does not match")
    if not (issued - 60 <= now <= issued + max_age):
        raise BadToken("form token expired: reload the page and try again")
    return FormToken(nonce=nonce, issued=issued)


def _mac(key: bytes, purpose: str, nonce: str, issued: int) -> str:
    message = f"{purpose}\x1f{nonce}\x1f{issued}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
