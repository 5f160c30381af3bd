"""`alaune extract PATH_OR_URL... [--url URL] --json` (issue 4, item 7): one JSON line per input,
in input order, errors as data, files read from disk and URLs through the safe fetcher.

Pages are the demo outlets' own: rendered in-process and saved as files, or served by the demo
outlets on loopback, which the fetcher reaches only when their `address:port` is in
`fetch_allow` (set through a `--config` file, as an operator would).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from extract_support import Page, demo_pages
from PIL import Image

from alaune.cli.main import cli
from alaune.demo.entries import Entry
from alaune.demo.server import DemoOutlets
from alaune.text.dates import rfc3339

KEYS = [
    "path", "url", "title", "text", "html", "lead", "author", "published", "updated",
    "date_source", "language", "image", "canonical_url", "word_count", "error",
]  # fmt: skip


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    return demo_pages()


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoOutlets]:
    with DemoOutlets() as outlets:
        yield outlets


def run(*args: str, config: Path | None = None, stdin: bytes | None = None) -> Result:
    prefix = ["--config", str(config)] if config else []
    result = CliRunner().invoke(cli, [*prefix, "extract", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result


def lines(result: Result) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in result.stdout.splitlines()]
    for record in records:
        assert list(record) == KEYS
    return records


def allowing(tmp_path: Path, addresses: list[str]) -> Path:
    config = tmp_path / "alaune.toml"
    config.write_text(f"fetch_allow = {json.dumps(addresses)}\n", encoding="utf-8")
    return config


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def assert_is_the_entry(record: dict[str, Any], entry: Entry, gold: tuple[str, ...]) -> None:
    article = entry.article
    assert record["error"] is None
    assert record["title"] == article.title
    # Every paragraph of the article, in order (no site template here: furniture may remain).
    paragraphs = record["text"].split("\n\n")
    assert [p for p in paragraphs if p in gold] == list(gold)
    assert record["html"].startswith("<")
    assert "<script" not in record["html"]
    assert record["lead"] == article.lead
    assert record["author"] == article.author
    assert record["published"] == rfc3339(entry.published)
    assert record["date_source"] == "json-ld"
    assert record["language"] == article.language
    assert record["image"] == entry.image_url
    assert record["canonical_url"] == entry.url
    assert record["word_count"] == len(record["text"].split())


def test_files_give_one_line_each_in_input_order(tmp_path: Path, pages: list[Page]) -> None:
    chosen = [pages[0], next(p for p in pages if p.outlet != pages[0].outlet)]
    paths = []
    for i, page in enumerate(chosen):
        paths.append(tmp_path / f"page{i}.html")
        paths[-1].write_bytes(page.body)
    picture = tmp_path / "picture.html"  # a PNG whatever its name says
    picture.write_bytes(png())
    inputs = [str(paths[0]), str(tmp_path / "missing.html"), str(picture), str(paths[1])]
    records = lines(run(*inputs, "--json"))
    assert [r["path"] for r in records] == inputs
    assert [r["url"] for r in records] == [None] * 4
    for record, page in zip((records[0], records[3]), chosen, strict=True):
        assert page.entry is not None
        assert_is_the_entry(record, page.entry, page.gold)
    missing, binary = records[1], records[2]
    assert missing["error"]["kind"] == "io_error"
    assert "No such file" in missing["error"]["message"]
    assert binary["error"] == {"kind": "not_html", "message": "not an HTML page"}
    for failed in (missing, binary):
        assert all(failed[key] is None for key in KEYS[2:-1])


def test_the_url_option_resolves_a_saved_pages_relative_links(tmp_path: Path) -> None:
    saved = tmp_path / "saved.html"
    paragraph = "Le conseil régional a voté le budget des routes après un long débat public. "
    saved.write_text(
        "<html lang='fr'><head><title>Le budget</title>"
        "<meta property='og:image' content='/media/budget.jpg'></head><body><article>"
        f"<h1>Le budget</h1><p>{paragraph * 2}<a href='../dossier/'>Le dossier</a></p>"
        f"<p>{paragraph * 2}</p></article></body></html>",
        encoding="utf-8",
    )
    url = "https://journal.example/region/budget.html"
    (based,) = lines(run(str(saved), "--url", url, "--json"))
    assert based["url"] == url
    assert based["image"] == "https://journal.example/media/budget.jpg"
    assert 'href="https://journal.example/dossier/"' in based["html"]
    # Without --url a relative link cannot be made absolute: it is unlinked, never kept relative.
    (bare,) = lines(run(str(saved), "--json"))
    assert bare["image"] == ""
    assert "href" not in bare["html"]
    assert "Le dossier" in bare["text"]
    # The page states no date: none is made up from the clock.
    assert (bare["published"], bare["date_source"], bare["updated"]) == (None, None, None)


def test_standard_input_and_a_page_without_text(tmp_path: Path, pages: list[Page]) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Rien</title></head><body><p> </p></body></html>")
    records = lines(run("-", str(empty), "--json", stdin=pages[0].body))
    assert pages[0].entry is not None
    assert (records[0]["path"], records[0]["title"]) == ("-", pages[0].entry.article.title)
    assert records[1]["error"] == {"kind": "no_text", "message": "no article text found"}


def test_urls_go_through_the_safe_fetcher(tmp_path: Path, demo: DemoOutlets) -> None:
    entries = demo.site(demo.outlets[0].outlet.id).edition.entries
    first, second = entries[0], entries[1]
    base = demo.outlets[0].base_url
    inputs = [first.url, first.image_url, f"{base}/no/such/page", second.url]
    records = lines(run(*inputs, "--json", config=allowing(tmp_path, demo.allow)))
    assert [r["url"] for r in records] == inputs
    assert [r["path"] for r in records] == [None] * 4
    corpus = demo.corpus
    for record, entry in ((records[0], first), (records[3], second)):
        gold = tuple(corpus.expected_text(entry.article.key).split("\n\n"))
        assert_is_the_entry(record, entry, gold)
    assert records[1]["error"]["kind"] == "not_html"  # an image, by its Content-Type
    assert "image/jpeg" in records[1]["error"]["message"]
    assert records[2]["error"]["kind"] == "http_status"


def test_a_loopback_url_not_in_fetch_allow_is_refused(tmp_path: Path, demo: DemoOutlets) -> None:
    entry = demo.site(demo.outlets[0].outlet.id).edition.entries[0]
    others = [a for a in demo.allow if a != demo.outlets[0].address]
    records = lines(run(entry.url, "--json", config=allowing(tmp_path, others)))
    assert records[0]["error"]["kind"] == "refused_address"
    assert records[0]["title"] is None
    # With no setting at all, the same: loopback is never reached by default.
    (bare,) = lines(run(entry.url, "--json"))
    assert bare["error"]["kind"] == "refused_address"


def test_the_summary_says_what_was_found_or_why_not(tmp_path: Path, pages: list[Page]) -> None:
    saved = tmp_path / "page.html"
    saved.write_bytes(pages[0].body)
    assert pages[0].entry is not None
    out = run(str(saved), str(tmp_path / "gone.html")).stdout.splitlines()
    assert out[0].startswith(f"{saved}: {pages[0].entry.article.title!r} (")
    assert "words" in out[0]
    assert out[1].startswith(f"{tmp_path / 'gone.html'}: error io_error: cannot read")


def test_a_base_url_must_be_absolute_http() -> None:
    result = CliRunner().invoke(cli, ["extract", "page.html", "--url", "javascript:alert(1)"])
    assert result.exit_code == 2
    assert "--url" in result.output
