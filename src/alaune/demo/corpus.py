"""The demo corpus: fictional outlets and stories, and the gold labels read from them.

Reads `outlets.toml` and `stories/*.toml` (format: docs/demo-corpus.md), validates them, resolves
wire copies (a copy inherits its original's lead, paragraphs and picture, drops `drop_last`
paragraphs from the end and prefixes `dateline` to the first) and answers the gold questions of
the quality gates: the story of an article, the wire-copy groups, the text an extractor should
find, the articles that show one picture.

Pure: its only input is the corpus directory, read through importlib.resources or a given path.
It must not open sockets, render pages or feeds, or look at the clock.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import Any

LANGUAGES = frozenset({"fr", "ar", "en"})
FEED_KINDS = frozenset({"rss", "atom", "jsonfeed", "sitemap"})
STYLES = frozenset({"classic", "magazine", "agency"})
POLICIES = frozenset({"full", "excerpt"})
CATEGORIES = frozenset(
    {
        "national",
        "monde",
        "economie",
        "sport",
        "culture",
        "societe",
        "sante",
        "tech",
        "regions",
        "opinion",
    }
)
MIN_MINUTES_AGO, MAX_MINUTES_AGO = 1, 10_000
# A slug is one URL path segment; lower-case ASCII keeps URLs identical once normalized.
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")

_OUTLET_KEYS = frozenset({"id", "name", "language", "country", "feed", "style", "policy", "agency"})
_STORY_KEYS = frozenset({"id", "topic", "category", "split", "articles"})
SPLITS = frozenset({"train", "heldout"})
_ORIGINAL_KEYS = frozenset(
    {
        "outlet",
        "slug",
        "section",
        "minutes_ago",
        "author",
        "title",
        "lead",
        "paragraphs",
        "dateline",
    }
)
_COPY_KEYS = frozenset(
    {
        "outlet",
        "slug",
        "section",
        "minutes_ago",
        "author",
        "title",
        "copy_of",
        "drop_last",
        "dateline",
        "edits",
    }
)


class CorpusError(ValueError):
    """The corpus breaks a rule; the message names the file, the article and the problem."""


@dataclass(frozen=True, slots=True)
class DemoOutlet:
    """A fictional outlet as `outlets.toml` declares it."""

    id: str
    name: str
    language: str
    country: str
    feed: str  # rss | atom | jsonfeed | sitemap: the one listing it offers
    style: str  # classic | magazine | agency: its page template
    policy: str  # full | excerpt: how alaune may show its articles
    agency: bool = False


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One article with copies resolved: what its page shows and what extraction should find."""

    key: str  # "outlet/slug"
    outlet: str
    slug: str
    section: str
    minutes_ago: int
    author: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]  # the dateline, if any, opens the first one
    story_id: str
    category: str
    copy_of: str | None
    language: str


@dataclass(frozen=True, slots=True)
class DemoStory:
    """One story file: one event and the keys of the articles reporting it."""

    id: str
    topic: str
    category: str
    file: str
    keys: tuple[str, ...]
    # "train" (tuning may look at it) or "heldout" (scored, never tuned on: issue 5).
    split: str = "train"


@dataclass(frozen=True, slots=True)
class Corpus:
    """The whole corpus, with lookups and the gold helpers."""

    outlets: tuple[DemoOutlet, ...]
    articles: tuple[DemoArticle, ...]
    stories: tuple[DemoStory, ...]
    _outlet_index: dict[str, DemoOutlet] = field(init=False, repr=False, compare=False)
    _article_index: dict[str, DemoArticle] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_outlet_index", {o.id: o for o in self.outlets})
        object.__setattr__(self, "_article_index", {a.key: a for a in self.articles})

    def outlet(self, outlet_id: str) -> DemoOutlet:
        """The outlet with this id; KeyError when there is none."""
        return self._outlet_index[outlet_id]

    def article(self, key: str) -> DemoArticle:
        """The article with this "outlet/slug" key; KeyError when there is none."""
        return self._article_index[key]

    def articles_of(self, outlet_id: str) -> tuple[DemoArticle, ...]:
        """The outlet's articles, in corpus order."""
        return tuple(a for a in self.articles if a.outlet == outlet_id)

    def story_of(self, key: str) -> str:
        """Gold: the id of the story the article reports."""
        return self.article(key).story_id

    def wire_groups(self) -> list[frozenset[str]]:
        """Gold: each original that has wire copies, with its copies (singletons left out)."""
        groups: dict[str, set[str]] = {}
        for article in self.articles:
            if article.copy_of is not None:
                groups.setdefault(article.copy_of, {article.copy_of}).add(article.key)
        return [frozenset(members) for members in groups.values()]

    def expected_text(self, key: str) -> str:
        """Gold: the article text an extractor should find (paragraphs, dateline included).

        The lead is left out: pages show it as a standfirst, apart from the text.
        """
        return "\n\n".join(self.article(key).paragraphs)

    def image_group(self, key: str) -> str:
        """Gold: the key whose picture this article shows (a copy shows its original's)."""
        article = self.article(key)
        return article.copy_of if article.copy_of is not None else article.key


def load_corpus(root: Traversable | str | PathLike[str] | None = None) -> Corpus:
    """Read and validate the corpus under `root` (default: the package's `corpus` directory).

    Raises CorpusError (a ValueError) naming the file and the problem.
    """
    base = _as_traversable(root)
    outlets = _load_outlets(base / "outlets.toml")
    index = {o.id: o for o in outlets}
    drafts = [_read_story(file, index) for file in _story_files(base / "stories")]
    _check_unique(drafts)
    owner = {d.key: s.file for s in drafts for d in s.articles}
    articles: list[DemoArticle] = []
    stories: list[DemoStory] = []
    for story in drafts:
        resolved = _resolve_story(story, owner)
        articles.extend(resolved)
        stories.append(
            DemoStory(
                story.id,
                story.topic,
                story.category,
                story.file,
                tuple(a.key for a in resolved),
                story.split,
            )
        )
    return Corpus(tuple(outlets), tuple(articles), tuple(stories))


# --- reading files -------------------------------------------------------------------------


def _as_traversable(root: Traversable | str | PathLike[str] | None) -> Traversable:
    if root is None:
        return resources.files("alaune.demo") / "corpus"
    if isinstance(root, str | PathLike):
        return Path(root)
    return root


def _read_toml(file: Traversable) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"{file}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{file}: not valid TOML: {exc}") from None


def _story_files(stories: Traversable) -> list[Traversable]:
    if not stories.is_dir():
        return []
    files = [f for f in stories.iterdir() if f.is_file() and f.name.endswith(".toml")]
    return sorted(files, key=lambda f: f.name)


def _load_outlets(file: Traversable) -> list[DemoOutlet]:
    tables = _read_toml(file).get("outlets")
    if not isinstance(tables, list) or not tables:
        raise CorpusError(f"{file}: no [[outlets]] table")
    outlets = [_outlet(t, f"{file}: outlet {i}") for i, t in enumerate(tables, start=1)]
    seen: set[str] = set()
    for outlet in outlets:
        if outlet.id in seen:
            raise CorpusError(f"{file}: duplicate outlet id {outlet.id!r}")
        seen.add(outlet.id)
    return outlets


def _outlet(table: Any, where: str) -> DemoOutlet:
    table = _table(table, _OUTLET_KEYS, where)
    agency = table.get("agency", False)
    if not isinstance(agency, bool):
        raise CorpusError(f"{where}: 'agency' must be true or false")
    return DemoOutlet(
        id=_slug(table, "id", where),
        name=_text(table, "name", where),
        language=_choice(table, "language", LANGUAGES, where),
        country=_text(table, "country", where),
        feed=_choice(table, "feed", FEED_KINDS, where),
        style=_choice(table, "style", STYLES, where),
        policy=_choice(table, "policy", POLICIES, where),
        agency=agency,
    )


# --- stories as written ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Draft:
    """One [[articles]] table, checked on its own but with its copy not yet resolved."""

    where: str
    key: str
    outlet: DemoOutlet
    table: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _StoryDraft:
    file: str
    id: str
    topic: str
    category: str
    articles: tuple[_Draft, ...]
    split: str


def _read_story(file: Traversable, outlets: Mapping[str, DemoOutlet]) -> _StoryDraft:
    where = str(file)
    table = _table(_read_toml(file), _STORY_KEYS, where)
    tables = table.get("articles")
    if not isinstance(tables, list) or not tables:
        raise CorpusError(f"{where}: no [[articles]] table")
    drafts = tuple(_draft(t, f"{where}: article {i}", outlets) for i, t in enumerate(tables, 1))
    return _StoryDraft(
        file=where,
        id=_text(table, "id", where),
        topic=_text(table, "topic", where, required=False),
        category=_choice(table, "category", CATEGORIES, where),
        articles=drafts,
        split=_choice(table, "split", SPLITS, where) if "split" in table else "train",
    )


def _draft(table: Any, where: str, outlets: Mapping[str, DemoOutlet]) -> _Draft:
    is_copy = isinstance(table, Mapping) and "copy_of" in table
    inherited = sorted({"lead", "paragraphs"} & set(table)) if is_copy else []
    if inherited:
        raise CorpusError(
            f"{where}: a wire copy inherits its original's lead and paragraphs; "
            f"remove {', '.join(inherited)}"
        )
    table = _table(table, _COPY_KEYS if is_copy else _ORIGINAL_KEYS, where)
    outlet_id = _text(table, "outlet", where)
    if outlet_id not in outlets:
        raise CorpusError(f"{where}: unknown outlet {outlet_id!r}")
    key = f"{outlet_id}/{_slug(table, 'slug', where)}"
    where = f"{where} ({key})"
    _text(table, "section", where)
    _minutes_ago(table, where)
    if not is_copy:
        _text(table, "title", where)
        _text(table, "lead", where)
        _paragraphs(table, where)
    return _Draft(where, key, outlets[outlet_id], table)


def _check_unique(stories: list[_StoryDraft]) -> None:
    story_files: dict[str, str] = {}
    article_files: dict[str, str] = {}
    for story in stories:
        if story.id in story_files:
            raise CorpusError(
                f"{story.file}: story id {story.id!r} already used in {story_files[story.id]}"
            )
        story_files[story.id] = story.file
        for draft in story.articles:
            if draft.key in article_files:
                raise CorpusError(
                    f"{draft.where}: duplicate slug within outlet "
                    f"{draft.outlet.id!r} (also in {article_files[draft.key]})"
                )
            article_files[draft.key] = story.file


# --- resolving copies ------------------------------------------------------------------------


def _resolve_story(story: _StoryDraft, owner: Mapping[str, str]) -> list[DemoArticle]:
    originals = {d.key: _original(d, story) for d in story.articles if "copy_of" not in d.table}
    return [
        originals[d.key] if d.key in originals else _copy(d, story, originals, owner)
        for d in story.articles
    ]


def _original(draft: _Draft, story: _StoryDraft) -> DemoArticle:
    t = draft.table
    paragraphs = _with_dateline(_paragraphs(t, draft.where), t, draft.where)
    return _article(
        draft,
        story,
        title=_text(t, "title", draft.where),
        lead=_text(t, "lead", draft.where),
        paragraphs=paragraphs,
        copy_of=None,
    )


def _copy(
    draft: _Draft,
    story: _StoryDraft,
    originals: Mapping[str, DemoArticle],
    owner: Mapping[str, str],
) -> DemoArticle:
    t, where = draft.table, draft.where
    source_key = _text(t, "copy_of", where)
    source = originals.get(source_key)
    if source is None:
        raise CorpusError(
            f"{where}: copy_of {source_key!r} {_why_missing(source_key, story, owner)}"
        )
    if source.language != draft.outlet.language:
        raise CorpusError(
            f"{where}: a wire copy is in its original's language "
            f"({source.language}), not {draft.outlet.language}"
        )
    edited = _edits(_drop_last(source.paragraphs, t, where), t, where)
    paragraphs = _with_dateline(edited, t, where)
    title = _text(t, "title", where, required=False) or source.title
    return _article(
        draft, story, title=title, lead=source.lead, paragraphs=paragraphs, copy_of=source.key
    )


def _why_missing(key: str, story: _StoryDraft, owner: Mapping[str, str]) -> str:
    if key in {d.key for d in story.articles}:
        return "is itself a copy: copy_of must name an original"
    if key in owner:
        return f"is in another story ({owner[key]})"
    return "is missing: no article has this outlet/slug key"


def _article(
    draft: _Draft,
    story: _StoryDraft,
    *,
    title: str,
    lead: str,
    paragraphs: tuple[str, ...],
    copy_of: str | None,
) -> DemoArticle:
    t = draft.table
    return DemoArticle(
        key=draft.key,
        outlet=draft.outlet.id,
        slug=draft.key.split("/", 1)[1],
        section=_text(t, "section", draft.where),
        minutes_ago=_minutes_ago(t, draft.where),
        author=_text(t, "author", draft.where, required=False),
        title=title,
        lead=lead,
        paragraphs=paragraphs,
        story_id=story.id,
        category=story.category,
        copy_of=copy_of,
        language=draft.outlet.language,
    )


def _drop_last(paragraphs: tuple[str, ...], t: Mapping[str, Any], where: str) -> tuple[str, ...]:
    drop = t.get("drop_last", 0)
    if not isinstance(drop, int) or isinstance(drop, bool) or drop < 0:
        raise CorpusError(f"{where}: 'drop_last' must be a whole number ≥ 0")
    if drop >= len(paragraphs):
        raise CorpusError(
            f"{where}: drop_last = {drop} leaves no paragraph (the original has {len(paragraphs)})"
        )
    return paragraphs[: len(paragraphs) - drop]


def _edits(paragraphs: tuple[str, ...], t: Mapping[str, Any], where: str) -> tuple[str, ...]:
    """Apply a copy's light edits: [old, new] pairs, each `old` found in the inherited text."""
    pairs = t.get("edits", [])
    if not isinstance(pairs, list):
        raise CorpusError(f"{where}: 'edits' must be a list of [old, new] pairs")
    for pair in pairs:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        ):
            raise CorpusError(f"{where}: each edit must be a pair of strings [old, new]")
        old, new = pair
        if not old or not any(old in p for p in paragraphs):
            raise CorpusError(f"{where}: edit {old!r} is not in the original's text")
        paragraphs = tuple(p.replace(old, new) for p in paragraphs)
    return paragraphs


def _with_dateline(
    paragraphs: tuple[str, ...], t: Mapping[str, Any], where: str
) -> tuple[str, ...]:
    if "dateline" not in t:
        return paragraphs
    dateline = t["dateline"]
    if not isinstance(dateline, str) or not dateline.strip():
        raise CorpusError(f"{where}: 'dateline' must be non-empty text")
    # Not stripped: "Tanger - " carries the space that separates it from the text.
    return (dateline + paragraphs[0], *paragraphs[1:])


# --- field checks ----------------------------------------------------------------------------


def _table(value: Any, allowed: frozenset[str], where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CorpusError(f"{where}: expected a table")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise CorpusError(
            f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )
    return value


def _text(t: Mapping[str, Any], name: str, where: str, *, required: bool = True) -> str:
    value = t.get(name)
    if value is None and not required:
        return ""
    if value is None:
        raise CorpusError(f"{where}: missing {name!r}")
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(f"{where}: empty {name!r}: text expected")
    return value.strip()


def _choice(t: Mapping[str, Any], name: str, allowed: frozenset[str], where: str) -> str:
    value = _text(t, name, where)
    if value not in allowed:
        raise CorpusError(f"{where}: {name} {value!r} is not one of {', '.join(sorted(allowed))}")
    return value


def _slug(t: Mapping[str, Any], name: str, where: str) -> str:
    value = _text(t, name, where)
    if not _SLUG.match(value):
        raise CorpusError(
            f"{where}: {name} {value!r} must be lower-case ASCII letters, digits, '-' or '_'"
        )
    return value


def _minutes_ago(t: Mapping[str, Any], where: str) -> int:
    if "minutes_ago" not in t:
        raise CorpusError(f"{where}: missing 'minutes_ago'")
    value = t["minutes_ago"]
    if not isinstance(value, int) or isinstance(value, bool):
        raise CorpusError(f"{where}: 'minutes_ago' must be a whole number")
    if not MIN_MINUTES_AGO <= value <= MAX_MINUTES_AGO:
        raise CorpusError(
            f"{where}: minutes_ago = {value} is out of [{MIN_MINUTES_AGO}, {MAX_MINUTES_AGO}]"
        )
    return value


def _paragraphs(t: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = t.get("paragraphs")
    if not isinstance(value, list) or not value:
        raise CorpusError(f"{where}: 'paragraphs' must be a non-empty list of texts")
    for i, paragraph in enumerate(value, start=1):
        if not isinstance(paragraph, str) or not paragraph.strip():
            raise CorpusError(f"{where}: paragraph {i} is empty")
    return tuple(p.strip() for p in value)
