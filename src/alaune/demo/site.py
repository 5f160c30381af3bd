"""One demo outlet as a website: its route table and the answer to each request.

Maps a path to a resource (home page, section pages, article pages, the feed, robots.txt, the
articles' pictures, else a 404 page), renders each one on first request and keeps its bytes, and
answers with validators and conditional GET. Pure with respect to the network: the server module
owns the sockets and hands requests in as (path, headers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from alaune.demo import faults, feeds, pages
from alaune.demo.entries import Edition, Entry
from alaune.demo.images import LeadImage, image_bytes
from alaune.demo.responses import Resource, Response, answer, resource
from alaune.demo.urls import FEED_PATHS, section_path

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"

Render = Callable[[], Resource]
_NOT_FOUND = "404"  # the cache key of the 404 page: never a path, which starts with "/"


class OutletSite:
    """The routes of one outlet and the answers to its requests."""

    def __init__(self, edition: Edition, switches: faults.FaultSwitches | None = None) -> None:
        self.edition = edition
        self._switches: faults.FaultSwitches = switches or {}
        self._routes = _routes(edition)
        # Rendered once, then served from memory; a race renders twice, harmlessly.
        self._cache: dict[str, Resource] = {}

    @property
    def paths(self) -> list[str]:
        """Every path that answers 200."""
        return list(self._routes)

    def respond(self, target: str, headers: Mapping[str, str]) -> Response:
        """The answer to GET `target` (path and query); `headers` have lower-case names."""
        path = urlsplit(target).path or "/"
        if path in self._routes:
            response = answer(self._resource(path, self._routes[path]), headers)
        else:
            response = answer(self._resource(_NOT_FOUND, self._not_found), headers, status=404)
        return faults.apply(
            response, self._switches, target=target, feed_path=self.edition.feed_path
        )

    def _resource(self, key: str, render: Render) -> Resource:
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = render()
        return found

    def _not_found(self) -> Resource:
        return resource(
            pages.render_not_found(self.edition).encode(), HTML, self.edition.started_at
        )


def _routes(edition: Edition) -> dict[str, Render]:
    routes: dict[str, Render] = {}

    def add(path: str, render: Render) -> None:
        if path in routes:
            raise ValueError(f"{edition.outlet.id}: two resources at {path}")
        routes[path] = render

    add("/", lambda: _html(pages.render_home(edition), edition, edition.entries))
    add("/robots.txt", lambda: resource(_robots(edition), TEXT, edition.started_at))
    add(FEED_PATHS[edition.outlet.feed], lambda: _feed(edition))
    for section in edition.sections():
        add(section_path(section), _section_page(edition, section))
    for entry in edition.entries:
        add(entry.path, _article_page(edition, entry))
        add(entry.image.path, _image(entry.image, entry))
        if entry.figure is not None:
            add(entry.figure.path, _image(entry.figure, entry))
    return routes


def _html(text: str, edition: Edition, entries: tuple[Entry, ...] | list[Entry]) -> Resource:
    newest = entries[0].published if entries else edition.updated
    return resource(text.encode("utf-8"), HTML, newest)


def _feed(edition: Edition) -> Resource:
    return resource(
        feeds.render_feed(edition), feeds.CONTENT_TYPES[edition.outlet.feed], edition.updated
    )


def _section_page(edition: Edition, section: str) -> Render:
    entries = [e for e in edition.entries if e.article.section == section]
    return lambda: _html(pages.render_section(edition, section), edition, entries)


def _article_page(edition: Edition, entry: Entry) -> Render:
    return lambda: _html(pages.render_article(edition, entry), edition, (entry,))


def _image(image: LeadImage, entry: Entry) -> Render:
    return lambda: resource(image_bytes(image), image.media_type, entry.published)


def _robots(edition: Edition) -> bytes:
    lines = ["User-agent: *", "Disallow: /search", "Disallow: /account", "Allow: /", ""]
    if edition.outlet.feed == "sitemap":
        lines.append(f"Sitemap: {edition.feed_url}")
    return ("\n".join(lines) + "\n").encode("utf-8")
