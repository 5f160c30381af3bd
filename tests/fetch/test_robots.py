"""RFC 9309 robots.txt rules: groups, longest match, wildcards, and the bounds on hostile files.

Pure table cases over `RobotsRules`; the fetching and caching side is in test_robots_cache.py.
"""

from __future__ import annotations

import pytest

from alaune.fetch.robots import ALLOW_ALL, DISALLOW_ALL, MAX_PARSED, RobotsRules

GROUPS = """
User-agent: *
Disallow: /private
Crawl-delay: 2

User-agent: AlaUne
User-agent: other-bot
Disallow: /only-for-alaune
Crawl-delay: 7

User-agent: alaune
Disallow: /also-for-alaune
"""

RULES = """
User-agent: *
Disallow: /search
Disallow: /*.pdf$
Disallow: /fr/*/brouillon
Allow: /search/help
Disallow: /archives/
Allow: /archives/
Disallow: /%D8%A7
Disallow: /caf%c3%a9
Disallow:
"""

#: name → (robots.txt, request target, allowed?)
CASES = {
    # §2.2.1: the groups naming our product token (case-insensitively) are merged...
    "own_group_applies": (GROUPS, "/only-for-alaune/x", False),
    "own_groups_are_merged": (GROUPS, "/also-for-alaune", False),
    # ...and then the `*` group does not apply at all.
    "star_group_ignored_when_named": (GROUPS, "/private", True),
    "star_group_when_not_named": ("User-agent: *\nDisallow: /private\n", "/private/a", False),
    "no_group_allows_all": ("User-agent: googlebot\nDisallow: /\n", "/anything", True),
    "empty_file_allows_all": ("", "/", True),
    "rules_before_any_agent_are_ignored": ("Disallow: /\n", "/", True),
    # §2.2.2: the longest match wins; on a tie, allow wins.
    "longest_match_allows": (RULES, "/search/help/me", True),
    "prefix_disallows": (RULES, "/search?q=maroc", False),
    "allow_wins_a_tie": (RULES, "/archives/2024", True),
    "empty_disallow_matches_nothing": (RULES, "/", True),
    "robots_txt_is_always_allowed": ("User-agent: *\nDisallow: /\n", "/robots.txt", True),
    # §2.2.3: `*` and `$`.
    "dollar_anchors_the_end": (RULES, "/doc/rapport.pdf", False),
    "dollar_does_not_match_longer": (RULES, "/doc/rapport.pdf?page=2", True),
    "star_matches_a_segment": (RULES, "/fr/politique/brouillon-1", False),
    "star_needs_the_rest": (RULES, "/fr/politique/publie", True),
    # §2.2.2: non-ASCII compared percent-encoded, escapes case-insensitively.
    "arabic_path_encoded_in_file": (RULES, "/%d8%a7%d9%84", False),
    "encoded_rule_matches_encoded_url": (RULES, "/caf%C3%A9/menu", False),
    "raw_utf8_rule_matches_encoded_url": ("User-agent: *\nDisallow: /café\n", "/caf%C3%A9", False),
    "comments_are_ignored": ("User-agent: * # all\nDisallow: /x # not /y\n", "/y", True),
    "bom_is_ignored": ("\ufeffUser-agent: *\nDisallow: /x\n", "/x", False),
}


@pytest.mark.parametrize(("text", "target", "allowed"), CASES.values(), ids=CASES.keys())
def test_rfc9309_matching(text: str, target: str, allowed: bool) -> None:
    assert RobotsRules.parse(text, "alaune").allows(target) is allowed


CRAWL_DELAYS = {
    "own_group": (GROUPS, 7.0),
    "star_group": ("User-agent: *\nCrawl-delay: 2.5\n", 2.5),
    "first_of_a_group_counts": ("User-agent: *\nCrawl-delay: 3\nCrawl-delay: 30\n", 3.0),
    "garbage_is_ignored": ("User-agent: *\nCrawl-delay: soon\n", None),
    "negative_is_ignored": ("User-agent: *\nCrawl-delay: -5\n", None),
    "none": ("User-agent: *\nDisallow: /x\n", None),
}


@pytest.mark.parametrize(("text", "delay"), CRAWL_DELAYS.values(), ids=CRAWL_DELAYS.keys())
def test_crawl_delay(text: str, delay: float | None) -> None:
    assert RobotsRules.parse(text, "alaune").crawl_delay == delay


def test_unavailable_and_unreachable_answers() -> None:
    """§2.3.1.3: no file (4xx) allows everything; §2.3.1.4: an unreachable one disallows it."""
    assert ALLOW_ALL.allows("/a")
    assert not DISALLOW_ALL.allows("/a")
    assert not DISALLOW_ALL.allows("/robots.txt")


def test_only_the_first_500_kib_are_parsed() -> None:
    text = "User-agent: *\n" + "#" * MAX_PARSED + "\nDisallow: /late\n"
    assert RobotsRules.parse(text, "alaune").allows("/late")


def test_a_file_built_to_make_matching_expensive_is_bounded_and_refused() -> None:
    """Many rules of many `*` against a long path: the step budget ends it, and a file built
    that way gets no benefit of the doubt."""
    rules = "".join(f"Disallow: /{'*a' * 400}{i}\n" for i in range(2000))
    hostile = RobotsRules.parse("User-agent: *\n" + rules, "alaune")
    assert hostile.allows("/" + "a" * 2000) is False
    assert RobotsRules.parse("User-agent: *\nDisallow: /*a*b\n", "alaune").allows("/aaa")
