"""The one exception tree of alaune.

Every error the library raises on purpose derives from `AlauneError`, carries a message that names
the cause and, where there is one, the fix. Callers catch the narrowest class they can act on.
This module must not import anything from alaune.
"""

from __future__ import annotations


class AlauneError(Exception):
    """Base of every error alaune raises on purpose."""


class ConfigError(AlauneError):
    """A setting has a value that cannot be used (wrong type, unknown name, bad file)."""


class FetchError(AlauneError):
    """A remote resource could not be fetched.

    `kind` is one of the error taxonomy's names (see `FETCH_ERROR_KINDS`), counted per outlet.
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.status = status
        self.retry_after = retry_after


#: The error taxonomy shared by the fetcher, the ingest pipeline and outlet health.
FETCH_ERROR_KINDS = (
    "bad_url",
    "refused_address",
    "dns",
    "connect",
    "tls",
    "timeout",
    "too_large",
    "too_many_redirects",
    "http_status",
    "protocol",
    "not_a_feed",
    "parse_error",
    "encoding_error",  # a listing whose bytes are not text in any charset it could be in (C4)
    "robots",  # robots.txt disallows the URL for alaune (RFC 9309)
)


class ParseError(AlauneError):
    """A document (feed, sitemap, page) could not be read."""


class StoreError(AlauneError):
    """The database refused an operation or is not in a usable state."""


class SchemaOutOfDate(StoreError):
    """The database schema is older than this version of alaune."""
