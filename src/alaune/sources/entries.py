"""Write registry entries: an Outlet as a TOML `[[outlet]]` table, and ids for new outlets.

Used by `alaune sources add` and `import-opml` to produce text a person reviews and commits.
`outlet_to_toml` writes only what differs from the defaults, in the order docs/sources.md lists
the fields, and reading its output back gives the same Outlet (a test checks the whole shipped
registry). Pure: it must not read or write files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

from alaune.model import Outlet

# Second-level labels under which a ccTLD sells names (`alakhbar.press.ma`, `bbc.co.uk`).
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "gouv", "press", "ac", "edu"})
_EDITION = frozenset({"fr", "ar", "en", "es", "amp"})
_NOT_ID = re.compile(r"[^a-z0-9]+")


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes (\\", \\\\, \\n, \\uXXXX) are all valid TOML.

    JSON leaves DEL as is, which TOML forbids in a string, so it is escaped here.
    """
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(value: str) -> str:
    return value if re.fullmatch(r"[A-Za-z0-9_-]+", value) else toml_string(value)


def _strings(values: Iterable[str]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def outlet_to_toml(outlet: Outlet) -> str:
    """One `[[outlet]]` table, ending with a newline."""
    lines = [
        "[[outlet]]",
        f"id = {toml_string(outlet.id)}",
        f"name = {toml_string(outlet.name)}",
        f"homepage = {toml_string(outlet.homepage)}",
        f"languages = {_strings(outlet.languages)}",
    ]
    if outlet.country:
        lines.append(f"country = {toml_string(outlet.country)}")
    lines.append(f"policy = {toml_string(outlet.policy)}")
    if outlet.agency:
        lines.append("agency = true")
    lines.append(f"verified = {'true' if outlet.verified else 'false'}")
    if outlet.poll_interval is not None:
        lines.append(f"poll_interval = {outlet.poll_interval:g}")
    for key, patterns in (("include", outlet.include), ("exclude", outlet.exclude)):
        if patterns:
            lines.append(f"{key} = {_strings(patterns)}")
    lines.append("feeds = [")
    for feed in outlet.feeds:
        lines.append(f"  {{ url = {toml_string(feed.url)}, kind = {toml_string(feed.kind)} }},")
    lines.append("]")
    if outlet.sections:
        lines.append("[outlet.sections]")
        lines += [f"{toml_key(name)} = {toml_string(slug)}" for name, slug in outlet.sections]
    return "\n".join(lines) + "\n"


def registry_to_toml(outlets: Iterable[Outlet], *, header: str = "") -> str:
    """A whole registry file: an optional comment header, then one table per outlet."""
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    tables = "\n".join(outlet_to_toml(outlet) for outlet in outlets)
    return comment + ("\n" if comment and tables else "") + tables


def suggest_id(homepage: str, taken: Collection[str] = ()) -> str:
    """An id for a new outlet from its host: `fr.hespress.com` → `hespress-fr`, unique in `taken`.

    The brand is the label before the public suffix; an edition subdomain (fr., ar., en.) is kept
    as a suffix since many outlets publish one edition per language under one brand.
    """
    host = (urlsplit(homepage).hostname or "").lower()
    labels = [label for label in host.split(".") if label and label not in ("www", "m")]
    if ":" in host or all(label.isdigit() for label in labels):
        labels = []  # an IP address names no brand
    if len(labels) > 1:
        labels.pop()  # the top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels.pop()
    brand = labels[-1] if labels else "outlet"
    prefix = [label for label in labels[:-1] if label in _EDITION]
    base = _NOT_ID.sub("-", "-".join([brand, *prefix])).strip("-")[:56] or "outlet"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# Country-code domains sold worldwide as generic names: they say nothing about the country.
_GENERIC_CCTLDS = frozenset(
    {"io", "co", "tv", "me", "fm", "ai", "ly", "cc", "ws", "to", "gg", "sh"}
)


def guess_country(host: str) -> str:
    """The country a host's ccTLD names (`le360.ma` → MA), "" when it names none."""
    tld = host.lower().rstrip(".").rsplit(".", 1)[-1]
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return ""
    return "GB" if tld == "uk" else tld.upper()
