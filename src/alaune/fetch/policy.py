"""What one fetcher may do: `FetchPolicy` (where it may connect, how long, how much, how many at
once, how politely) and the User-Agent it sends.

A frozen value built from the settings table (`FetchPolicy.from_settings`) or by tests; it
validates itself and decides nothing at run time. It must not open sockets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alaune import __version__
from alaune.config import Settings
from alaune.errors import ConfigError
from alaune.fetch.politeness import Origin
from alaune.fetch.safety import Allowlist


def user_agent(contact_url: str) -> str:
    """`alaune/0.1.0 (+https://…)`: names the software and how to reach the operator."""
    return f"alaune/{__version__} (+{contact_url})"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What one fetcher may do: where it may connect, how long, how much, how many at once."""

    allow: Allowlist = field(default_factory=Allowlist)
    timeout: float = 30.0
    connect_timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = user_agent(Settings().contact_url)
    max_connections: int = 8
    per_origin: int = 2
    # Politeness (issue 3). The dataclass default is no gap, for tests of the fetcher itself;
    # `from_settings` gives the settings' 5 s. `origin_gap_local` applies to origins whose host
    # is an IP literal listed with its port in `allow`: the demo's and the tests' own servers.
    origin_gap: float = 0.0
    origin_gap_local: float = 0.0
    robots_ttl: float = 86400.0

    def __post_init__(self) -> None:
        limits = {
            "timeout": self.timeout,
            "connect_timeout": self.connect_timeout,
            "max_bytes": self.max_bytes,
            "max_connections": self.max_connections,
            "per_origin": self.per_origin,
            "robots_ttl": self.robots_ttl,
        }
        for name, value in limits.items():
            if not value > 0:
                raise ConfigError(f"fetch policy {name} must be positive, not {value!r}")
        if self.max_redirects < 0:
            raise ConfigError(f"fetch policy max_redirects must be ≥ 0, not {self.max_redirects}")
        for name, gap in (
            ("origin_gap", self.origin_gap),
            ("origin_gap_local", self.origin_gap_local),
        ):
            if gap < 0:
                raise ConfigError(f"fetch policy {name} must be ≥ 0, not {gap!r}")

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The policy the settings table describes (`fetch_*`, `crawl_concurrency`, …)."""
        return cls(
            allow=Allowlist.parse(settings.fetch_allow),
            timeout=settings.fetch_timeout,
            connect_timeout=settings.fetch_connect_timeout,
            max_bytes=settings.fetch_max_bytes,
            max_redirects=settings.fetch_max_redirects,
            user_agent=user_agent(settings.contact_url),
            max_connections=settings.crawl_concurrency,
            per_origin=settings.origin_connections,
            origin_gap=settings.origin_gap,
            origin_gap_local=settings.origin_gap_local,
            robots_ttl=settings.robots_ttl,
        )

    def is_local(self, origin: Origin) -> bool:
        """Whether `origin` is one of the `allow`ed servers (by IP literal and port)."""
        return self.allow.permits(origin[1], origin[2])
