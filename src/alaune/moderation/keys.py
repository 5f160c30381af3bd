"""Keyed hashes that stand for reporters and networks, and the windows their keys live in.

A report is stored as HMAC-SHA256(k_window, image id ‖ unit): the key belongs to one counting
window and is deleted when the window ends (Plausible's rotating salt), and the image id in the
message makes keys unlinkable across images (SECURITY "The report button" 1, F7). Windows are
fixed slices of time since the epoch, so every web process agrees on the current one without
talking to the others. Pure: keys come in, hex digests go out.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

SECONDS_PER_DAY = 86400


def window_of(now: datetime, days: float) -> int:
    """The number of the counting window `now` falls in."""
    length = max(1, round(days * SECONDS_PER_DAY))
    return int(now.timestamp()) // length


def keyed(key: bytes, kind: str, image_id: int, unit: str) -> str:
    """HMAC-SHA256 over kind, image and unit, as 64 hex digits."""
    message = f"{kind}\x1f{image_id}\x1f{unit}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def rate_key(key: bytes, scope: str, unit: str) -> str:
    """The key of a rate counter for `unit` (never the unit itself)."""
    return hmac.new(key, f"rate\x1f{scope}\x1f{unit}".encode(), hashlib.sha256).hexdigest()
