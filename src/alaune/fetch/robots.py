"""robots.txt, as RFC 9309 reads it: which paths alaune may fetch, and the Crawl-delay.

`RobotsRules.parse(text, product)` keeps the rules of the groups that name our product token
(`alaune`), or of the `*` groups when none does, merged as §2.2.1 says; `allows(target)` applies
the longest matching rule, `allow` winning a tie (§2.2.2), with `*` and `$` (§2.2.3). Crawl-delay
is not in the RFC but widely sent; it is read from the same group. `ALLOW_ALL` and `DISALLOW_ALL`
are the answers for an unavailable (4xx) and an unreachable (5xx, network) file (§2.3.1.3–4).
Pure: text in, decisions out; it must not fetch or cache (that is `robots_cache`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

#: §2.5: crawlers must parse at least the first 500 KiB; what follows is ignored.
MAX_PARSED = 512 * 1024
#: Bounds on what one file can make us do per decision (a hostile file is still just text).
MAX_RULES = 2000
MAX_PATTERN = 1024
MATCH_BUDGET = 200_000  # steps; a normal file needs a few thousand
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
# What may stay as is in a rule's path: printable ASCII; the rest is percent-encoded as UTF-8
# (§2.2.2: octets outside ASCII are compared percent-encoded, as URLs are sent).
_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))


@dataclass(frozen=True, slots=True)
class Rule:
    allow: bool
    pattern: str  # percent-encoding normalised; may hold `*` and end with `$`

    def length(self) -> int:
        """The rule's specificity: its length in octets (§2.2.2, "most octets")."""
        return len(self.pattern)


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules that apply to one product token on one origin."""

    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None
    disallow_all: bool = False  # the file was unreachable: assume complete disallow

    @classmethod
    def parse(cls, text: str, product: str) -> RobotsRules:
        """Rules for `product` (case-insensitive) from the text of a robots.txt file."""
        groups = _groups(text[:MAX_PARSED].lstrip("\ufeff"))
        token = product.lower()
        mine = [g for g in groups if token in g.agents]
        chosen = mine or [g for g in groups if "*" in g.agents]
        rules = tuple(rule for group in chosen for rule in group.rules)
        delays = [g.crawl_delay for g in chosen if g.crawl_delay is not None]
        return cls(rules, max(delays) if delays else None)

    def allows(self, target: str) -> bool:
        """Whether a request target (path and query, as sent) may be fetched."""
        if self.disallow_all:
            return False
        path = _normalise(target or "/")
        if path == "/robots.txt":  # §2.2.2: always implicitly allowed
            return True
        budget = [MATCH_BUDGET]
        matching = [rule for rule in self.rules if _matches(rule.pattern, path, budget)]
        if budget[0] < 0:
            return False  # a file built to make matching expensive: do not fetch its URLs
        if not matching:
            return True
        # Longest pattern wins; on equal length `allow` wins (True sorts after False).
        best = max(matching, key=lambda rule: (rule.length(), rule.allow))
        return best.allow


ALLOW_ALL = RobotsRules()
DISALLOW_ALL = RobotsRules(disallow_all=True)


@dataclass
class _Group:
    agents: set[str]
    rules: list[Rule]
    crawl_delay: float | None = None


def _groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    last_was_agent = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        name, sep, value = line.partition(":")
        if not sep:
            continue  # §2.2: lines that are not `key: value` are ignored
        name, value = name.strip().lower(), value.strip()
        if name == "user-agent":
            if current is None or not last_was_agent:
                current = _Group(set(), [])
                groups.append(current)
            current.agents.add(value.lower())
            last_was_agent = True
            continue
        last_was_agent = False
        if current is None:
            continue  # a rule before any user-agent line belongs to no group
        if name in ("allow", "disallow") and value:  # an empty Disallow allows everything
            if len(current.rules) < MAX_RULES:
                current.rules.append(Rule(name == "allow", _normalise(value)[:MAX_PATTERN]))
        elif name == "crawl-delay" and current.crawl_delay is None:  # the first one counts
            current.crawl_delay = _seconds(value)
    return groups


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 < seconds < float("inf") else None


def _normalise(path: str) -> str:
    """Percent-encode what is not printable ASCII and upper-case existing escapes, so a rule and
    a URL spelling the same octets compare equal (RFC 3986 §6.2.2.1)."""
    encoded = quote(path, safe=_SAFE + "%")
    return _PERCENT.sub(lambda m: m.group(0).upper(), encoded)


def _matches(pattern: str, path: str, budget: list[int]) -> bool:
    """Whether `pattern` matches `path` from its start: `*` is any run of characters and a
    final `$` anchors the end (§2.2.3). A two-pointer glob match, O(len·len) at worst, never
    the exponential backtracking a regular expression of many `*` could cost; `budget[0]` counts
    down the steps allowed across one decision."""
    anchored = pattern.endswith("$")
    glob = pattern[:-1] if anchored else pattern + "*"  # unanchored: a prefix match
    p = s = 0
    star, mark = -1, 0
    while s < len(path):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if p < len(glob) and glob[p] == "*":
            star, mark, p = p, s, p + 1
        elif p < len(glob) and glob[p] == path[s]:
            p, s = p + 1, s + 1
        elif star >= 0:
            mark += 1
            p, s = star + 1, mark
        else:
            return False
    return all(c == "*" for c in glob[p:])
