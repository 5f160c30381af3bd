"""Reading what readers type into URLs: ids, page numbers, filters, dates and search text.

Pages are lenient (an unusable filter is ignored, an unusable page number means page 1); the API
validates the same values and answers 422 instead. Nothing out of range reaches the database:
ids fit a 32-bit integer, dates fall between 1970 and 2200, and text loses NUL, other control
characters and lone surrogates, which PostgreSQL and UTF-8 encoders refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.convertors import Convertor, register_url_convertor

from alaune.web.i18n import CONTENT_LANGUAGES

MAX_PAGE = 500
MAX_QUERY_LENGTH = 200
SLUG = "[a-z0-9][a-z0-9-]{0,31}"
OUTLET_ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
_SLUG = re.compile(SLUG)
_OUTLET = re.compile(OUTLET_ID)
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2200, 1, 1)


class IdConvertor(Convertor[int]):
    """Positive ids that fit every database's integer (larger ones are simply not found)."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


class PatternConvertor(Convertor[str]):
    def __init__(self, regex: str) -> None:
        self.regex = regex  # type: ignore[misc]

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())
register_url_convertor("slug", PatternConvertor(SLUG))
register_url_convertor("outlet", PatternConvertor(OUTLET_ID))
register_url_convertor("twin", PatternConvertor("json|rss|atom"))
register_url_convertor("json", PatternConvertor("json"))


def clean_text(raw: str, *, limit: int = MAX_QUERY_LENGTH) -> str:
    """Search text without control characters or lone surrogates, at most `limit` characters."""
    return " ".join(_UNSAFE.sub(" ", raw).split())[:limit]


def page_number(raw: str | None) -> int:
    return min(max(int(raw), 1), MAX_PAGE) if raw and raw.isdigit() and len(raw) < 6 else 1


def content_language(raw: str | None) -> str | None:
    return raw if raw in CONTENT_LANGUAGES else None


def slug(raw: str | None) -> str | None:
    return raw if raw and _SLUG.fullmatch(raw) else None


def outlet_id(raw: str | None) -> str | None:
    return raw if raw and _OUTLET.fullmatch(raw) else None


def day(raw: str | None) -> date | None:
    if not raw or len(raw) != 10:
        return None
    try:
        parsed = date.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if FIRST_DAY <= parsed < LAST_DAY else None


def day_bounds(
    since: date | None, until: date | None, timezone: str
) -> tuple[datetime | None, datetime | None]:
    """Local calendar days to UTC instants: [start of `since`, end of `until`)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(since, time(), zone) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), zone) if until else None
    return start, end


@dataclass(frozen=True, slots=True)
class SearchForm:
    """The search page's query and filters, as the reader gave them (cleaned)."""

    q: str = ""
    language: str | None = None
    outlet: str | None = None
    category: str | None = None
    since: date | None = None
    until: date | None = None
    order: str = "newest"

    @classmethod
    def read(cls, params: Any) -> SearchForm:
        return cls(
            q=clean_text(params.get("q", "")),
            language=content_language(params.get("language")),
            outlet=outlet_id(params.get("outlet")),
            category=slug(params.get("category")),
            since=day(params.get("from")),
            until=day(params.get("to")),
            order="relevance" if params.get("order") == "relevance" else "newest",
        )

    def query(self, **changes: Any) -> dict[str, Any]:
        """The form as query parameters (for links to other pages and orders)."""
        values: dict[str, Any] = {
            "q": self.q,
            "language": self.language,
            "outlet": self.outlet,
            "category": self.category,
            "from": self.since.isoformat() if self.since else None,
            "to": self.until.isoformat() if self.until else None,
            "order": self.order if self.order != "newest" else None,
        }
        values.update(changes)
        return values
