"""THE one HTML allowlist of alaune (SECURITY.md promise 4, D1–D4, D6), and HTML to plain text.

Every HTML fragment kept for display (feed summaries and contents, extracted article bodies) goes
through `sanitize_html`, once, at ingestion. nh3 (ammonia over html5ever) parses the fragment as a
browser would, so entities, whitespace and control characters inside attribute values are decoded
before the scheme check: `&#106;avascript:`, `jav&#x09;ascript:` and ` javascript:` are all seen
as `javascript:` and dropped. Only http(s) URLs survive; relative ones are resolved against the
document's URL, or dropped when there is none. No script, style, iframe, form, svg, math or
object, no `on*` or `style` attribute; links get `rel="noopener noreferrer"`.

`html_to_text` is for fields stored as plain text (titles, authors, categories): tags dropped,
entities decoded, whitespace collapsed. Its output is text, never HTML: templates escape it.

Pure; it must not fetch, and must not grow a second allowlist somewhere else.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
        "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    # `dir` and `lang` keep Arabic paragraphs right-to-left inside French pages (D8).
    "*": frozenset({"dir", "lang", "title"}),
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "ol": frozenset({"start", "reversed"}),
    "time": frozenset({"datetime"}),
}
URL_SCHEMES = frozenset({"http", "https"})
# Dropped with everything inside them; any other disallowed tag is unwrapped, its text kept.
# svg and math are here because their foreign content is where mXSS lives (D3).
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object",
        "embed", "applet", "svg", "math", "textarea", "select", "option", "title", "xmp",
        "noembed", "noframes", "plaintext", "head", "button", "audio", "video",
    }
)  # fmt: skip
LINK_REL = "noopener noreferrer"

_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"<[A-Za-z/!?]|&[#A-Za-z]")
# Block boundaries become spaces in plain text, so "<p>a</p><p>b</p>" reads "a b", not "ab".
_BLOCK = re.compile(r"<(?=/?(?:p|div|br|li|h[1-6]|tr|td|th|dd|dt|blockquote|hr)\b)", re.I)
_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))


def sanitize_html(fragment: str, *, base_url: str = "") -> str:
    """`fragment` reduced to the allowlist; relative URLs resolved against `base_url`."""
    if not fragment:
        return ""
    simple = _simple_html(fragment)
    if simple is not None:
        return simple
    return _cleaner(base_url).clean(fragment).strip()


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, entities decoded, whitespace collapsed."""
    if ("<" not in fragment and "&" not in fragment) or not _MARKUP.search(fragment):
        return " ".join(fragment.split())  # text already ("a < b & c"): no parser needed
    stripped = _TEXT_CLEANER.clean(_BLOCK.sub(" <", fragment))
    return _SPACES.sub(" ", html.unescape(stripped)).strip()


def text_to_html(text: str) -> str:
    """Plain text as safe HTML: escaped; blank lines make paragraphs, line breaks are kept."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    escaped = [html.escape(p, quote=False).replace("\n", "<br>") for p in paragraphs]
    if len(escaped) == 1:
        return escaped[0]  # one line of text stays one line, not a paragraph
    return "".join(f"<p>{p}</p>" for p in escaped)


@lru_cache(maxsize=256)
def _cleaner(base_url: str) -> nh3.Cleaner:
    # One cleaner per document URL: building one costs ~7 µs, cleaning with it ~4 µs, while
    # nh3.clean() rebuilds the allowlist on every call (~12 µs). Feeds share one base URL.
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=lambda url: _resolve(url, base_url),
    )


def _resolve(url: str, base_url: str) -> str | None:
    """A relative URL made absolute against `base_url`, or None (dropped) when it cannot be."""
    if not base_url:
        return None
    resolved = urljoin(base_url, url)
    return resolved if urlsplit(resolved).scheme in URL_SCHEMES else None


# -- simple fragments without nh3 -------------------------------------------------------------
#
# Most feed summaries are a paragraph or two of text with <b>, <em>, <br> and absolute links:
# what nh3 returns for them can be written down without building their tree. `_simple_html`
# takes only fragments that one regular grammar (`_simple_grammar`) matches whole, and for them
# returns nh3's output: the fragment itself, with `rel` added to links and void elements written
# `<br>`, stripped; for any other fragment None, and nh3 does the work. The grammar is built so
# that html5ever (nh3's parser) makes of a matching fragment exactly the tree its tags spell,
# whose text and links ammonia keeps and whose serialization is the fragment itself:
#
# - elements of the allowlist only, without attributes but a link's one `href`, every element
#   closed, in order (so no end tag is ignored, no element closed early or reopened: each end
#   tag's steps, the adoption agency's included, just pop the current node);
# - blocks (p, div, blockquote, lists, headings, hr) only at the top or in a div, blockquote or
#   li, never inside a p, heading or phrasing element (a block's start tag closes an open p);
#   p and headings hold phrasing content only; a list holds only li and whitespace (an li's
#   start tag closes an open li up to the list); no link inside a link (the adoption agency
#   would close the first); at most 3 phrasing elements deep, so the "Noah's Ark" limit of 3
#   identical formatting elements is never reached;
# - text without "<" or ">" (the serializer escapes ">"), with "&" only in "&amp;", "&lt;" and
#   "&gt;" (decoded, then written back the same; "&quot;" would come back as '"'), without NUL
#   or \r (dropped, rewritten by the tokenizer), no-break space (written "&nbsp;"), and, to be
#   safe, any other control, surrogate or noncharacter;
# - links whose href ammonia keeps as written: an http(s) URL the `url` crate parses (see
#   `_SIMPLE_HREF`), with "&" only in "&amp;".
#
# Pinned against nh3 in tests/parse/test_column_fast_paths.py, on generated fragments.

# The commonest first: a failed alternative costs a few nanoseconds each.
_SIMPLE_PHRASING = (
    "a|b|em|strong|i|span|u|s|small|code|sub|sup|abbr|cite|mark|q|del|ins|kbd|samp|var|dfn|bdi"
)
_SIMPLE_WS = "[ \\t\\n]"  # whitespace as HTML's tokenizer sees it (\r and \f are refused)
_SIMPLE_TEXT = (
    "(?:[^<>&\\x00-\\x08\\x0b-\\x1f\\x7f-\\xa0\\ud800-\\udfff\\ufdd0-\\ufdef\\ufffe\\uffff]++"
    "|&(?:amp|lt|gt);)"
)


# An http(s) URL that the `url` crate parses: a host of ASCII labels whose last one starts with
# a letter (else it would be read as an IPv4 address, and may fail), none an IDNA label ("xn--",
# which may fail to decode), a short port; then printable ASCII without quotes, spaces, "<",
# ">", "\\", "^", "`", "{", "|", "}", with "&" only in "&amp;" (html5ever decodes it, its
# serializer writes it back).
# The IDNA check is a lookahead that backtracks over the whole URL: most of the cost of matching a
# link. A fragment without "--" cannot hold "xn--", so there the check cannot fail, and
# `_matcher` leaves it out (`_simple_grammar(idna_check=False)` takes the same fragments).
_IDNA_CHECK = r"(?![^#\"'<>]*[Xx][Nn]--)"
_SIMPLE_HREF = (
    _IDNA_CHECK + r"https?://(?:[A-Za-z0-9-]++\.)*+[A-Za-z][A-Za-z0-9-]*+"
    r"(?::[0-9]{1,4})?(?:[/?#](?:[A-Za-z0-9._~:/?#\[\]@!$()*+,;=%-]++|&amp;)*+)?"
)


def _href_attribute(value: str) -> str:
    """The href attribute of a start tag, quoted either way, its value matching `value`."""
    quoted = f"""(?:"{value}"|'{value}')"""
    return f"{_SIMPLE_WS}++href{_SIMPLE_WS}*+={_SIMPLE_WS}*+{quoted}{_SIMPLE_WS}*+"


_SIMPLE_MAX_LENGTH = 8192  # a long body: nh3's linear parse beats a backtracking match
# The start tag of a link with an href (checked by the grammar), as `_simple_html` rewrites it.
_SIMPLE_LINK = re.compile("<a" + _href_attribute("([^\"'<>]*+)") + ">")
# '">' as `_with_rel` rewrites it, and how much longer that makes a fragment.
_REL_END = f'" rel="{LINK_REL}">'
_REL_LENGTH = len(_REL_END) - len('">')
# "/>" found by the regex engine's literal search: `str.__contains__` crawls on a needle whose
# last character (">") ends every tag (as `backend._SELF_CLOSING_END` notes for bytes).
_VOID_END = re.compile("/>")


# After a link's start tag: its end tag comes before any other link's start tag.
_NO_LINK_UNTIL_END = "(?=[^<]*+(?:<(?!a[ \\t\\n>]|/a>)[^<]*+)*+</a>)"


# `_simple_grammar()` with and without its IDNA check, each compiled once, when first needed.
_GRAMMARS: dict[bool, re.Pattern[str]] = {}


def _simple_grammar(*, idna_check: bool = True) -> re.Pattern[str]:
    """The fragments `_simple_html` takes (see above); compiled on first use (~30 ms, which a
    process that never sanitizes does not pay). Without `idna_check`, hrefs may hold "xn--"
    labels: only for text without "--" (see `_IDNA_CHECK`)."""
    names = itertools.count()
    href = _SIMPLE_HREF if idna_check else _SIMPLE_HREF.removeprefix(_IDNA_CHECK)

    def phrasing(depth: int) -> list[str]:
        choices = [_SIMPLE_TEXT, "<br(?: ?/)?>"]
        if depth:
            name = f"e{next(names)}"
            # "<a" takes an href, and its end tag must come before any other link's start.
            link = f"(?<=<a)(?:{_href_attribute(href)})?>{_NO_LINK_UNTIL_END}"
            choices.append(
                f"<(?P<{name}>{_SIMPLE_PHRASING})(?:{link}|(?<!<a)>)"
                f"{repeat(phrasing(depth - 1))}</(?P={name})>"
            )
        return choices

    def flow(depth: int) -> list[str]:
        heading = f"e{next(names)}"
        choices = [
            f"<(?P<{heading}>p|h[1-6])>{repeat(phrasing(3))}</(?P={heading})>",
            *phrasing(3),
            "<hr(?: ?/)?>",
        ]
        if depth:
            block, items = f"e{next(names)}", f"e{next(names)}"
            choices.append(f"<(?P<{block}>div|blockquote)>{repeat(flow(depth - 1))}</(?P={block})>")
            choices.append(
                f"<(?P<{items}>ul|ol)>(?:{_SIMPLE_WS}++|<li>{repeat(flow(depth - 1))}</li>)*+"
                f"</(?P={items})>"
            )
        return choices

    def repeat(choices: list[str]) -> str:
        # Atomic: the choices start differently, so the longest run is the only one to try.
        return f"(?>(?:{'|'.join(choices)})*)"

    grammar = _GRAMMARS[idna_check] = re.compile(repeat(flow(2)), re.DOTALL)
    return grammar


def _matcher(text: str) -> Callable[[str], re.Match[str] | None]:
    """`_simple_grammar().fullmatch`, for `text` or any part of it (such as one of fragments
    joined by NULs): without its IDNA check when `text` holds no "--", where it cannot fail."""
    idna_check = "--" in text
    grammar = _GRAMMARS.get(idna_check) or _simple_grammar(idna_check=idna_check)
    return grammar.fullmatch


# `_simple_grammar`s repeated, each repetition ended by a NUL (keyed by `idna_check`), compiled
# when first needed: fragments joined by NULs are matched in one call, without setting up a match
# (its ~60 groups) per fragment. Each fragment is matched as it would be alone: the grammar takes
# no NUL, so each (atomic) repetition ends at a NUL, and its lookarounds see past one only from a
# link without its end tag or an href without its closing quote, where the fragment fails alone
# too.
_JOINED_GRAMMARS: dict[bool, re.Pattern[str]] = {}


def _all_match(joined: str, count: int) -> bool:
    """Whether `joined` is `count` fragments joined by NULs, each matching `_simple_grammar`
    (which refuses a fragment holding a NUL itself: then there are more NULs)."""
    if joined.count("\x00") != count - 1:
        return False
    idna_check = "--" in joined
    grammar = _JOINED_GRAMMARS.get(idna_check)
    if grammar is None:
        single = _GRAMMARS.get(idna_check) or _simple_grammar(idna_check=idna_check)
        grammar = _JOINED_GRAMMARS[idna_check] = re.compile(
            f"(?:{single.pattern}\x00)*+", re.DOTALL
        )
    return grammar.fullmatch(joined + "\x00") is not None


def _simple_html(fragment: str) -> str | None:
    """nh3's output for a fragment of simple, well-nested HTML; None for any other fragment."""
    if len(fragment) > _SIMPLE_MAX_LENGTH or not _matcher(fragment)(fragment):
        return None
    return _simple_output(fragment)


def sanitize_simple_many(fragments: list[str]) -> list[str] | None:
    """`[sanitize_html(f) for f in fragments]` when every fragment is simple (`_simple_html`),
    whatever the base URL (they hold only absolute links); else None. One pass over them all:
    a feed's summaries are usually all simple, or all not."""
    if not fragments or max(map(len, fragments)) > _SIMPLE_MAX_LENGTH:
        return None
    joined = "\x00".join(fragments)
    if not _all_match(joined, len(fragments)):
        return None
    # Rewritten together: the grammar refuses NUL, so each NUL is one of these separators.
    parts = _simple_rewrite(joined).split("\x00")
    return [part.strip() for part in parts] if len(parts) == len(fragments) else None


def _simple_output(fragment: str) -> str:
    """What nh3 makes of a fragment `_simple_grammar` matched."""
    return _simple_rewrite(fragment).strip()


def _simple_rewrite(fragment: str) -> str:
    """A fragment `_simple_grammar` matched (or several, joined), with its tags written as nh3
    writes them: `rel` added to links, void elements without a slash."""
    if "<a" in fragment:
        fragment = _with_rel(fragment)
    if _VOID_END.search(fragment):  # `"/>" in fragment`, faster (see `_VOID_END`)
        fragment = fragment.replace("<br/>", "<br>").replace("<br />", "<br>")
        fragment = fragment.replace("<hr/>", "<hr>").replace("<hr />", "<hr>")
    return fragment


def _with_rel(fragment: str) -> str:
    """The links of a fragment `_simple_grammar` matched, as ammonia writes them."""
    links = fragment.count('<a href="')
    # Written `<a href="...">` (the usual way), each link's start tag is the only place where
    # '">' can occur: text holds no ">", and no other tag a quote. Every `<a href="` and every
    # `<abbr>` is an "<a", so with as many "<a" as links there is no `<abbr>` to count.
    starts = fragment.count("<a")
    if starts == links or starts - fragment.count("<abbr>") == links:
        # Counted by the replacement itself: each '">' lengthens the result by `_REL_LENGTH`
        # (one scan fewer than counting them first, on the longest string of the document).
        written = fragment.replace('">', _REL_END)
        if len(written) - len(fragment) == links * _REL_LENGTH:
            return written
    fragment = _SIMPLE_LINK.sub(f'<a href="\\1\\2" rel="{LINK_REL}">', fragment)
    return fragment.replace("<a>", f'<a rel="{LINK_REL}">') if "<a>" in fragment else fragment
