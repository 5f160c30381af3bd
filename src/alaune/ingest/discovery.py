"""Discovering an outlet's feeds from its homepage, through the safe fetcher.

Used by `alaune sources add` and by the crawler's discovery jobs (queued from the admin area,
since the web never fetches). Requests go one at a time and at most `MAX_PROBES` candidates are
tried, so adding an outlet costs the site a few requests; what the responses mean is decided by
the pure `alaune.sources.discover`. Failures raise `DiscoveryError` with a reason a person can act
on; this module never writes the registry or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from alaune.errors import AlauneError, FetchError
from alaune.fetch import Fetcher, Response
from alaune.model import FeedRef, Outlet
from alaune.sources import discover
from alaune.sources.entries import guess_country
from alaune.sources.registry import feed_key


class DiscoveryError(AlauneError):
    """The site could not be read, or what it says is not enough to make an outlet."""


MAX_PROBES = 12
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)


@dataclass
class Found:
    """What discovery learned: the site, the feeds that answered as feeds, and what was skipped."""

    homepage: str
    page: discover.Homepage
    feeds: list[tuple[FeedRef, str]] = field(default_factory=list)  # (feed, how it was found)
    skipped: list[str] = field(default_factory=list)


def build_outlet(
    found: Found, outlet_id: str, language: str | None, name: str | None, country: str | None
) -> Outlet:
    lang = language or found.page.language
    if lang not in ("fr", "ar", "en"):
        shown = f"it says {lang!r}" if lang else "it does not say"
        raise DiscoveryError(f"cannot tell the site's language ({shown})")
    host = urlsplit(found.homepage).hostname or ""
    return Outlet(
        id=outlet_id,
        name=(name or found.page.name or host)[:200],
        homepage=found.homepage,
        languages=(lang,),
        country=(country or guess_country(host)).upper(),
        feeds=tuple(feed for feed, _ in found.feeds),
        # Every feed written here answered as a feed just now, from this machine.
        verified=True,
    )


def drop_known(found: Found, known: dict[str, str]) -> None:
    for feed, source in list(found.feeds):
        if feed_key(feed.url) in known:
            found.feeds.remove((feed, source))
            found.skipped.append(f"{feed.url}: already followed by {known[feed_key(feed.url)]!r}")


async def discover_site(fetcher: Fetcher, start: str, allow: tuple[str, ...]) -> Found:
    """Read the homepage at `start`, then probe its candidate feeds."""
    try:
        home = await fetcher.get(start, accept=PAGE_ACCEPT)
    except FetchError as exc:
        raise DiscoveryError(f"cannot fetch {start}: {exc.kind}: {exc}") from None
    found = Found(
        home.url,
        discover.read_homepage(home.body, base_url=home.url, charset=home.charset, allow=allow),
    )
    candidates = list(found.page.candidates)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(home.url))
    robots = await _get(fetcher, origin + "/robots.txt", "text/plain", None)
    if robots is not None:
        text = robots.body.decode("utf-8", "replace")
        candidates += discover.robots_sitemaps(text, allow=allow)
    if not found.page.candidates:
        candidates += discover.guesses(home.url, allow=allow)
    seen: set[str] = set()
    for candidate in candidates[:MAX_PROBES]:
        await _probe(fetcher, candidate, found, seen)
    return found


async def _probe(
    fetcher: Fetcher, candidate: discover.Candidate, found: Found, seen: set[str]
) -> None:
    response = await _get(fetcher, candidate.url, FEED_ACCEPT, found)
    if response is None:
        return
    kind = discover.sniff(response.body)
    if kind is None:
        found.skipped.append(f"{candidate.url}: not a feed ({response.content_type or 'no type'})")
    elif kind == "sitemap" and not discover.is_news_sitemap(response.url, response.body):
        found.skipped.append(f"{candidate.url}: a map of the whole site, not a news sitemap")
    elif discover.is_comments_feed(response.url, candidate.title):
        found.skipped.append(f"{candidate.url}: a comments feed")
    elif feed_key(response.url) not in seen:
        seen.add(feed_key(response.url))
        found.feeds.append((FeedRef(response.url, kind), candidate.source))


async def _get(fetcher: Fetcher, url: str, accept: str, found: Found | None) -> Response | None:
    try:
        return await fetcher.get(url, accept=accept)
    except FetchError as exc:
        # A guessed path that 404s, or a site without robots.txt, is the normal case: noted only.
        if found is not None:
            found.skipped.append(f"{url}: {exc.kind} ({exc})")
        return None
