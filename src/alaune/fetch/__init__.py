"""The only code in alaune that opens sockets: safe HTTP fetching.

`Fetcher(FetchPolicy.from_settings(settings))` fetches http(s) URLs with the address checks,
caps, deadline and conditional requests of SECURITY.md (A1–A7, B1–B5); every failure is an
`alaune.errors.FetchError`. Modules: `safety` (URL and address checks, pure), `backend` (connect-
time resolution and check), `decode` (capped Content-Encoding decoding, pure), `headers` (reading
response fields, pure), `limits` (concurrency) and `client` (the fetcher itself). Nothing else in
alaune may import httpcore or open a connection.
"""

from alaune.fetch.client import Fetcher, FetchPolicy, Hop, Response, user_agent
from alaune.fetch.headers import parse_retry_after
from alaune.fetch.safety import Allowlist, is_public_address, validate_url

__all__ = [
    "Allowlist",
    "FetchPolicy",
    "Fetcher",
    "Hop",
    "Response",
    "is_public_address",
    "parse_retry_after",
    "user_agent",
    "validate_url",
]
