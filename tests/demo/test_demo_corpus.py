"""The demo corpus: loading, copy resolution, gold helpers, and clear errors on bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from alaune.demo.corpus import (
    FEED_KINDS,
    MAX_MINUTES_AGO,
    MIN_MINUTES_AGO,
    Corpus,
    CorpusError,
    load_corpus,
)

OUTLETS = """
[[outlets]]
id = "alpha"
name = "Alpha"
language = "fr"
country = "MA"
feed = "rss"
style = "classic"
policy = "full"

[[outlets]]
id = "beta"
name = "Beta"
language = "fr"
country = "MA"
feed = "atom"
style = "agency"
policy = "excerpt"

[[outlets]]
id = "gamma"
name = "Gamma"
language = "ar"
country = "MA"
feed = "sitemap"
style = "magazine"
policy = "full"
"""

STORY = """
id = "{id}"
category = "national"

[[articles]]
outlet = "alpha"
slug = "{slug}"
section = "Maroc"
minutes_ago = 10
title = "Un titre"
lead = "Un chapô."
paragraphs = ["Premier paragraphe.", "Deuxième paragraphe."]
"""

COPY = """
[[articles]]
outlet = "{outlet}"
slug = "{slug}"
section = "Maroc"
minutes_ago = 5
copy_of = "{of}"
"""


def write_corpus(root: Path, stories: dict[str, str], outlets: str = OUTLETS) -> Path:
    (root / "stories").mkdir(parents=True)
    (root / "outlets.toml").write_text(outlets, encoding="utf-8")
    for name, text in stories.items():
        (root / "stories" / name).write_text(text, encoding="utf-8")
    return root


def story(story_id: str = "x01", slug: str = "premier") -> str:
    return STORY.format(id=story_id, slug=slug)


def copy(outlet: str, slug: str, of: str) -> str:
    return COPY.format(outlet=outlet, slug=slug, of=of)


# --- the fixture corpus ----------------------------------------------------------------------


def test_fixture_corpus_loads(corpus: Corpus) -> None:
    assert [o.id for o in corpus.outlets][:2] == ["gazette-test", "wire-test"]
    assert len(corpus.stories) == 3
    assert len(corpus.articles) == 9
    assert corpus.outlet("wire-test").agency is True
    assert corpus.stories[0].keys[0] == "wire-test/port-record-conteneurs"


def test_a_copy_inherits_text_drops_paragraphs_and_adds_its_dateline(corpus: Corpus) -> None:
    original = corpus.article("wire-test/port-record-conteneurs")
    copy_ = corpus.article("gazette-test/port-ksar-test-record")
    assert copy_.copy_of == original.key
    assert copy_.lead == original.lead
    assert copy_.title == "Ksar Test : un mois record pour le port"
    assert len(copy_.paragraphs) == len(original.paragraphs) - 1
    assert copy_.paragraphs[0] == "Tanger - " + original.paragraphs[0]
    assert copy_.paragraphs[1:] == original.paragraphs[1:-1]
    assert copy_.language == "fr"
    assert copy_.story_id == original.story_id == "t01-port"
    assert copy_.category == "economie"


def test_a_copy_without_title_keeps_the_original_headline(corpus: Corpus) -> None:
    copy_ = corpus.article("bulletin-test/mahrajan-musiqa-naql")
    original = corpus.article("nour-test/mahrajan-musiqa-iftitah")
    assert copy_.title == original.title
    assert copy_.paragraphs == original.paragraphs
    assert copy_.author == ""


def test_gold_helpers(corpus: Corpus) -> None:
    assert corpus.story_of("ledger-test/port-container-record") == "t01-port"
    assert set(corpus.wire_groups()) == {
        frozenset({"wire-test/port-record-conteneurs", "gazette-test/port-ksar-test-record"}),
        frozenset({"nour-test/mahrajan-musiqa-iftitah", "bulletin-test/mahrajan-musiqa-naql"}),
        frozenset({"herald-test/cup-final-win", "ledger-test/test-fc-cup-final-copy"}),
    }
    text = corpus.expected_text("gazette-test/port-ksar-test-record")
    assert text.startswith("Tanger - Casablanca - Le port")
    assert text.count("\n\n") == 2
    assert corpus.image_group("gazette-test/port-ksar-test-record") == (
        "wire-test/port-record-conteneurs"
    )
    assert corpus.image_group("ledger-test/port-container-record") == (
        "ledger-test/port-container-record"
    )


def test_articles_of_an_outlet(corpus: Corpus) -> None:
    keys = [a.key for a in corpus.articles_of("gazette-test")]
    assert keys == [
        "gazette-test/port-ksar-test-record",
        "gazette-test/festival-musique-ouverture",
        "gazette-test/finale-coupe-test-fc",
    ]


def test_the_package_corpus_loads_and_keeps_its_rules() -> None:
    """Whatever stories exist now must validate; the outlets offer every kind of listing."""
    package = load_corpus()
    assert {o.feed for o in package.outlets} == FEED_KINDS
    for article in package.articles:
        assert MIN_MINUTES_AGO <= article.minutes_ago <= MAX_MINUTES_AGO
        assert article.language == package.outlet(article.outlet).language
        if article.copy_of:
            assert package.story_of(article.copy_of) == article.story_id


def test_a_corpus_without_stories_is_empty_not_an_error(tmp_path: Path) -> None:
    loaded = load_corpus(write_corpus(tmp_path, {}))
    assert loaded.articles == ()
    assert len(loaded.outlets) == 3


# --- bad corpora: each names the file and the problem ----------------------------------------

BAD_STORIES: dict[str, tuple[dict[str, str], str, str]] = {
    # name: (story files, file named in the message, problem named in the message)
    "unknown outlet": (
        {"01-a.toml": story().replace('"alpha"', '"nowhere"')},
        "01-a.toml",
        "unknown outlet 'nowhere'",
    ),
    "duplicate slug in one file": (
        {"01-a.toml": story() + story().split("\n\n", 1)[1]},
        "01-a.toml",
        "duplicate slug within outlet 'alpha'",
    ),
    "duplicate slug across files": (
        {"01-a.toml": story(), "02-b.toml": story("x02")},
        "02-b.toml",
        "duplicate slug",
    ),
    "copy_of missing": (
        {"01-a.toml": story() + copy("beta", "c", "alpha/absent")},
        "01-a.toml",
        "'alpha/absent' is missing",
    ),
    "copy_of in another story": (
        {
            "01-a.toml": story(),
            "02-b.toml": story("x02", "autre") + copy("beta", "c", "alpha/premier"),
        },
        "02-b.toml",
        "is in another story",
    ),
    "copy of a copy": (
        {"01-a.toml": story() + copy("beta", "c", "alpha/premier") + copy("alpha", "d", "beta/c")},
        "01-a.toml",
        "is itself a copy",
    ),
    "copy in another language": (
        {"01-a.toml": story() + copy("gamma", "c", "alpha/premier")},
        "01-a.toml",
        "original's language",
    ),
    "copy drops every paragraph": (
        {"01-a.toml": story() + copy("beta", "c", "alpha/premier") + "drop_last = 2\n"},
        "01-a.toml",
        "leaves no paragraph",
    ),
    "copy with its own paragraphs": (
        {"01-a.toml": story() + copy("beta", "c", "alpha/premier") + 'paragraphs = ["x"]\n'},
        "01-a.toml",
        "inherits its original's lead and paragraphs; remove paragraphs",
    ),
    "minutes_ago zero": (
        {"01-a.toml": story().replace("= 10", "= 0")},
        "01-a.toml",
        "out of [1, 10000]",
    ),
    "minutes_ago too far": (
        {"01-a.toml": story().replace("= 10", "= 10001")},
        "01-a.toml",
        "out of [1, 10000]",
    ),
    "minutes_ago not a number": (
        {"01-a.toml": story().replace("= 10", '= "10"')},
        "01-a.toml",
        "whole number",
    ),
    "empty title": (
        {"01-a.toml": story().replace('"Un titre"', '"  "')},
        "01-a.toml",
        "empty 'title'",
    ),
    "empty lead": (
        {"01-a.toml": story().replace('"Un chapô."', '""')},
        "01-a.toml",
        "empty 'lead'",
    ),
    "empty paragraph": (
        {"01-a.toml": story().replace('"Deuxième paragraphe."', '" "')},
        "01-a.toml",
        "paragraph 2 is empty",
    ),
    "no paragraphs": (
        {"01-a.toml": story().replace('["Premier paragraphe.", "Deuxième paragraphe."]', "[]")},
        "01-a.toml",
        "'paragraphs' must be a non-empty list",
    ),
    "misspelt key": (
        {"01-a.toml": story().replace("minutes_ago", "minute_ago")},
        "01-a.toml",
        "unknown key(s) minute_ago",
    ),
    "unknown category": (
        {"01-a.toml": story().replace('"national"', '"weather"')},
        "01-a.toml",
        "category 'weather'",
    ),
    "duplicate story id": (
        {"01-a.toml": story(), "02-b.toml": story(slug="autre")},
        "02-b.toml",
        "story id 'x01' already used",
    ),
    "slug with a space": ({"01-a.toml": story(slug="deux mots")}, "01-a.toml", "lower-case"),
    "not TOML": ({"01-a.toml": "id = \n"}, "01-a.toml", "not valid TOML"),
    "no articles": (
        {"01-a.toml": 'id = "x"\ncategory = "sport"\n'},
        "01-a.toml",
        "no [[articles]]",
    ),
}


@pytest.mark.parametrize("case", list(BAD_STORIES), ids=list(BAD_STORIES))
def test_bad_story_files_raise_a_clear_error(tmp_path: Path, case: str) -> None:
    files, named_file, problem = BAD_STORIES[case]
    with pytest.raises(ValueError, match=r".") as caught:
        load_corpus(write_corpus(tmp_path, files))
    message = str(caught.value)
    assert named_file in message
    assert problem in message
    assert isinstance(caught.value, CorpusError)


BAD_OUTLETS: dict[str, tuple[str, str]] = {
    "unknown feed kind": (OUTLETS.replace('"rss"', '"gopher"'), "feed 'gopher'"),
    "unknown language": (OUTLETS.replace('"ar"', '"de"'), "language 'de'"),
    "duplicate id": (OUTLETS.replace('"beta"', '"alpha"'), "duplicate outlet id 'alpha'"),
    "agency not a boolean": (OUTLETS + 'agency = "yes"\n', "'agency' must be true or false"),
    "no outlets": ("", "no [[outlets]]"),
}


@pytest.mark.parametrize("case", list(BAD_OUTLETS), ids=list(BAD_OUTLETS))
def test_bad_outlets_file_raises_a_clear_error(tmp_path: Path, case: str) -> None:
    outlets, problem = BAD_OUTLETS[case]
    with pytest.raises(CorpusError) as caught:
        load_corpus(write_corpus(tmp_path, {}, outlets=outlets))
    assert "outlets.toml" in str(caught.value)
    assert problem in str(caught.value)


def test_a_missing_outlets_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"outlets\.toml: file not found"):
        load_corpus(tmp_path)
