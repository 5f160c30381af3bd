"""Where things live on a demo outlet: the URL path of each page, listing, feed and image.

Pure string functions shared by the site, the pages and the feeds. They return paths only and must
not know hosts or ports: callers join them to an outlet's base URL.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from alaune.demo.corpus import DemoArticle

#: The path of each kind of listing; an outlet offers the one its `feed` names.
FEED_PATHS = {
    "rss": "/rss.xml",
    "atom": "/atom.xml",
    "jsonfeed": "/feed.json",
    "sitemap": "/sitemap-news.xml",
}

# Arabic section names become ASCII path segments by a plain letter-for-letter transliteration,
# as many Arabic-language sites do ("riyada" rather than percent-encoded Arabic).
_ARABIC = str.maketrans(
    {
        "ا": "a",
        "أ": "a",
        "إ": "i",
        "آ": "a",
        "ب": "b",
        "ت": "t",
        "ث": "th",
        "ج": "j",
        "ح": "h",
        "خ": "kh",
        "د": "d",
        "ذ": "dh",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "sh",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "ع": "a",
        "غ": "gh",
        "ف": "f",
        "ق": "q",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "h",
        "ة": "a",
        "و": "w",
        "ي": "y",
        "ى": "a",
        "ئ": "y",
        "ؤ": "w",
        "ء": "",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """An ASCII path segment for a section name: "Économie" → "economie", "رياضة" → "ryada"."""
    folded = unicodedata.normalize("NFKD", text.translate(_ARABIC))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_SLUG.sub("-", ascii_text).strip("-") or "rubrique"


def section_path(section: str) -> str:
    """The path of a section's listing page."""
    return f"/{slugify(section)}/"


def article_path(article: DemoArticle) -> str:
    """The path of an article page: /<section-slug>/<slug>.html."""
    return f"{section_path(article.section)}{article.slug}.html"


def media_stem(key: str) -> str:
    """The file name, without extension, of an article's lead image under /media/."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
