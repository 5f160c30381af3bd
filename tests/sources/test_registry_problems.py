"""Bad registry entries: every problem is reported, naming its file, its entry and its field."""

from __future__ import annotations

from pathlib import Path

import pytest

from alaune.sources import RegistryError, check_registry, load_registry
from alaune.sources.registry import parse_entries

GOOD = """
[[outlet]]
id = "echo"
name = "L'Écho"
homepage = "https://echo.example.com/"
languages = ["fr"]
feeds = [{ url = "https://echo.example.com/rss.xml", kind = "rss" }]
"""


def entry(**changes: str) -> str:
    """GOOD with some lines replaced (`key="value as TOML"`) or removed (`key=""`)."""
    lines = GOOD.strip().splitlines()
    keys = {line.split(" = ")[0]: n for n, line in enumerate(lines) if " = " in line}
    for key, value in changes.items():
        if key in keys:
            lines[keys[key]] = f"{key} = {value}" if value else ""
        else:
            lines.insert(1, f"{key} = {value}")
    return "\n".join(lines) + "\n"


CASES = {
    "missing id": (entry(id=""), "outlet #1: id: required field is missing"),
    "id with capitals": (entry(id='"Echo FR"'), "id: 'Echo FR' is not valid"),
    "missing name": (entry(name=""), "name: required field is missing"),
    "empty name": (entry(name='""'), "name: must not be empty"),
    "name not a string": (entry(name="42"), "name: must be a string, not a number"),
    "homepage javascript": (
        entry(homepage='"javascript:alert(1)"'),
        "homepage: 'javascript:alert(1)': only absolute",
    ),
    "homepage on loopback": (
        entry(homepage='"http://127.0.0.1/"'),
        "homepage: 'http://127.0.0.1/': 127.0.0.1 is not a public address",
    ),
    "feed with file scheme": (
        entry(feeds='[{ url = "file:///etc/passwd" }]'),
        "feeds[0].url: 'file:///etc/passwd': only absolute",
    ),
    "feed with credentials": (
        entry(feeds='[{ url = "https://u:p@echo.example.com/" }]'),
        "feeds[0].url: 'https://u:p@echo.example.com/': credentials",
    ),
    "feed kind unknown": (
        entry(feeds='[{ url = "https://echo.example.com/x", kind = "podcast" }]'),
        "feeds[0].kind: 'podcast' is not one of rss, atom",
    ),
    "feed field unknown": (
        entry(feeds='[{ url = "https://echo.example.com/x", knd = "rss" }]'),
        "feeds[0].knd: unknown field",
    ),
    "no feeds": (entry(feeds="[]"), "feeds: must list at least one"),
    "feeds as a string": (
        entry(feeds='"https://echo.example.com/rss"'),
        "feeds: must list at least one",
    ),
    "language not served": (entry(languages='["es"]'), "languages: 'es' is not one of fr, ar, en"),
    "no language": (entry(languages="[]"), "languages: must name at least one"),
    "language twice": (entry(languages='["fr", "fr"]'), "languages: lists a language twice"),
    "languages as a string": (entry(languages='"fr"'), "languages: must be a list of strings"),
    "country lower-case": (
        entry(country='"ma"'),
        "country: 'ma' is not valid (two capital letters",
    ),
    "policy unknown": (
        entry(policy='"everything"'),
        "policy: 'everything' is not one of excerpt, full",
    ),
    "agency not boolean": (entry(agency='"yes"'), "agency: must be true or false, not a string"),
    "verified not boolean": (entry(verified="1"), "verified: must be true or false, not a number"),
    "poll interval in minutes": (entry(poll_interval="5"), "poll_interval: 5 is outside 60…86400"),
    "poll interval a string": (
        entry(poll_interval='"5m"'),
        "poll_interval: must be a number of seconds",
    ),
    "section to unknown category": (
        entry(sections='{ Sport = "sports" }'),
        "sections.Sport: 'sports' is not a category",
    ),
    "sections not a table": (entry(sections='["Sport"]'), "sections: must be a table"),
    "include not a regex": (
        entry(include='["(unclosed"]'),
        "include: '(unclosed' is not a regular expression",
    ),
    "typo in a field name": (
        entry(homepgae='"https://echo.example.com/"'),
        "homepgae: unknown field",
    ),
    "not TOML": ("[[outlet]\nid = 1", "is not valid TOML"),
    "outlet not an array": ('outlet = "echo"', "outlet: must be an array of tables"),
    "unknown top-level key": ("[settings]\nx = 1\n" + GOOD, "settings: unknown top-level key"),
}


@pytest.mark.parametrize(("text", "message"), CASES.values(), ids=CASES.keys())
def test_a_bad_entry_is_reported_with_file_entry_and_field(text: str, message: str) -> None:
    _, problems = parse_entries(text, label="mine.toml")
    shown = [str(problem) for problem in problems]
    assert any(line.startswith("mine.toml: ") and message in line for line in shown), shown


def test_the_good_entry_is_good() -> None:
    outlets, problems = parse_entries(GOOD, label="mine.toml")
    assert problems == []
    assert outlets[0].verified is False  # unverified unless the entry says otherwise
    assert outlets[0].policy == "excerpt"


def test_every_problem_of_an_entry_is_reported_at_once() -> None:
    text = entry(id='"Bad Id"', languages='["xx"]', policy='"all"')
    outlets, problems = parse_entries(text, label="mine.toml")
    assert outlets == []  # an entry with a problem is never half-used
    assert {problem.field for problem in problems} == {"id", "languages", "policy"}
    assert all(problem.entry == "outlet #1 (Bad Id)" for problem in problems)


def test_an_id_used_twice_names_both_places(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    other = GOOD.replace("rss.xml", "atom.xml")
    (tmp_path / "b.toml").write_text(other, encoding="utf-8")
    checked = check_registry([tmp_path], defaults=False)
    assert [str(p) for p in checked.problems] == [
        f"{tmp_path / 'b.toml'}: outlet #1 (echo): id: 'echo' is already used by "
        f"{tmp_path / 'a.toml'}: outlet #1 (echo)"
    ]


def test_a_feed_listed_by_two_outlets_is_refused(tmp_path: Path) -> None:
    twin = GOOD.replace('id = "echo"', 'id = "echo-bis"').replace("rss.xml", "rss.xml/")
    (tmp_path / "a.toml").write_text(GOOD + twin, encoding="utf-8")
    checked = check_registry([tmp_path / "a.toml"], defaults=False)
    assert [p.field for p in checked.problems] == ["feeds[0].url"]
    assert "already listed by" in checked.problems[0].message


def test_an_id_of_the_shipped_registry_cannot_be_reused(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(GOOD.replace('"echo"', '"hespress-fr"'), encoding="utf-8")
    with pytest.raises(RegistryError, match=r"'hespress-fr' is already used by registry/fr\.toml"):
        load_registry([mine])


def test_loopback_entries_pass_only_with_their_exact_address_allowed(tmp_path: Path) -> None:
    mine = tmp_path / "demo.toml"
    mine.write_text(GOOD.replace("https://echo.example.com", "http://127.0.0.1:8101"), "utf-8")
    with pytest.raises(RegistryError, match=r"127\.0\.0\.1 is not a public address"):
        load_registry([mine], defaults=False)
    assert load_registry([mine], defaults=False, allow=["127.0.0.1:8101"])[0].id == "echo"


def test_an_empty_folder_and_an_unreadable_file_are_problems(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "latin1.toml").write_bytes("# caf\xe9\n".encode("latin-1"))
    checked = check_registry([tmp_path / "empty", tmp_path / "latin1.toml"], defaults=False)
    messages = [str(p) for p in checked.problems]
    assert any("folder holds no .toml file" in m for m in messages)
    assert any("latin1.toml: cannot be read" in m for m in messages)


def test_the_error_lists_every_problem() -> None:
    error = RegistryError(parse_entries(entry(id="", name=""), label="x.toml")[1])
    assert str(error).count("\n") == 2
    assert "2 problem(s)" in str(error)
