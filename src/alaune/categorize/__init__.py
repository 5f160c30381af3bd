"""Which category an article belongs to: a slug of sources/categories.toml, or "" for none.

`categorize(outlet, section, url, title, text)` tries, in order, and stops at the first answer:

1. the outlet's own `sections` mapping (registry): the article's section name, or a URL path
   prefix when the key starts with "/";
2. the section name itself, when it is a known name of a category ("Sport", "اقتصاد");
3. the URL: the host's first label and each path segment (`/sport/`, `/iqtisad/`, `sport.x.ma`);
4. keywords in fr/ar/en in the title (3 points each) and the text's start (1 point each);

and otherwise returns "" (uncategorized): a wrong category is worse than none. `explain` gives
the same answer with the rule and the evidence that decided it. Pure: no I/O beyond reading the
packaged rules once, no database, no network; the caller stores the slug.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from alaune.categorize.rules import fold, load_rules, slug_of, tokens
from alaune.model import Outlet

__all__ = ["Categorization", "categorize", "explain"]

TITLE_POINTS = 3
TEXT_POINTS = 1
MIN_POINTS = 2
TEXT_SAMPLE = 1500


@dataclass(frozen=True, slots=True)
class Categorization:
    """A decision: the slug ("" for none), the rule that gave it, and what the rule matched."""

    slug: str
    rule: str = ""  # outlet-section | outlet-path | section-name | url | keywords | ""
    evidence: str = ""


def categorize(
    outlet: Outlet | None, section: str = "", url: str = "", title: str = "", text: str = ""
) -> str:
    """The category slug of an article, or "" when nothing says it clearly enough."""
    return explain(outlet, section, url, title, text).slug


def explain(
    outlet: Outlet | None, section: str = "", url: str = "", title: str = "", text: str = ""
) -> Categorization:
    """Like `categorize`, with the rule and the evidence behind the answer."""
    rules = load_rules()
    path = _path(url)
    if outlet is not None and outlet.sections:
        found = _outlet_mapping(outlet, section, path)
        if found.slug:
            return found
    if section.strip() and (slug := rules.name_category(section)):
        return Categorization(slug, "section-name", section)
    for segment in _url_names(url, path):
        if slug := rules.name_category(segment):
            return Categorization(slug, "url", segment)
    return _keywords(title, text)


def _outlet_mapping(outlet: Outlet, section: str, path: str) -> Categorization:
    wanted = slug_of(section)
    best: tuple[int, str, str] = (0, "", "")
    for name, slug in outlet.sections:
        if name.startswith("/"):
            prefix = fold(name).rstrip("/")
            # The longest matching prefix wins: "/sport/football" over "/sport".
            if (
                prefix
                and (path == prefix or path.startswith(prefix + "/"))
                and len(prefix) > best[0]
            ):
                best = (len(prefix), slug, name)
        elif wanted and slug_of(name) == wanted:
            return Categorization(slug, "outlet-section", name)
    return Categorization(best[1], "outlet-path" if best[1] else "", best[2])


def _path(url: str) -> str:
    try:
        return fold(unquote(urlsplit(url).path)).rstrip("/")
    except ValueError:
        return ""


def _url_names(url: str, path: str) -> list[str]:
    try:
        host = (urlsplit(url).hostname or "").split(".")
    except ValueError:
        host = []
    # sport.le360.ma: a first label that is a category name; www/fr/ar are not, and match nothing.
    first = host[:1] if len(host) > 2 else []
    return first + [segment for segment in path.split("/") if segment]


def _keywords(title: str, text: str) -> Categorization:
    rules = load_rules()
    in_title = rules.keyword_hits(tokens(title))
    in_text = rules.keyword_hits(tokens(text[:TEXT_SAMPLE]))
    scores = {
        slug: TITLE_POINTS * len(in_title.get(slug, ())) + TEXT_POINTS * len(in_text.get(slug, ()))
        for slug in rules.order
    }
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, points), runner_up = ranked[0], ranked[1][1] if len(ranked) > 1 else 0
    if points < MIN_POINTS or points == runner_up:
        return Categorization("")
    found = sorted(in_title.get(best, set()) | in_text.get(best, set()))
    return Categorization(best, "keywords", f"{points} points: {', '.join(found)}")
