"""The only code in alaune that opens sockets: safe HTTP fetching.

`Fetcher(FetchPolicy.from_settings(settings))` fetches http(s) URLs with the address checks,
caps, deadline and conditional requests of SECURITY.md (A1–A7, B1–B5); every failure is an
`alaune.errors.FetchError`. Modules: `safety` (URL and address checks, pure), `backend` (connect-
time resolution and check), `decode` (capped Content-Encoding decoding, pure), `headers` (reading
response fields, pure), `limits` (concurrency), `politeness` (the minimum gap per origin),
`policy` (what a fetcher may do), `client` (the fetcher itself), `robots` (RFC 9309 rules,
pure) and `robots_cache` (robots.txt fetched through the fetcher and checked before each
fetch). Nothing else in alaune may import httpcore or open a connection.
"""

from alaune.fetch.client import Fetcher, Hop, Response, origin_of
from alaune.fetch.headers import parse_retry_after
from alaune.fetch.policy import FetchPolicy, user_agent
from alaune.fetch.politeness import OriginGaps
from alaune.fetch.robots import RobotsRules
from alaune.fetch.robots_cache import RobotsCache
from alaune.fetch.safety import Allowlist, is_public_address, validate_url

__all__ = [
    "Allowlist",
    "FetchPolicy",
    "Fetcher",
    "Hop",
    "OriginGaps",
    "Response",
    "RobotsCache",
    "RobotsRules",
    "is_public_address",
    "origin_of",
    "parse_retry_after",
    "user_agent",
    "validate_url",
]
