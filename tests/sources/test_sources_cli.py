"""`alaune sources …` end to end: validate, list, OPML in and out, and add against a loopback site.

`add` runs its requests through the real fetcher against a small HTTP server started here on
127.0.0.1; the fetcher refuses loopback unless `ALAUNE_FETCH_ALLOW` names the exact address and
port, which these tests set for the command's run only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner, Result

from alaune.cli.main import cli
from alaune.cli.sources import sources
from alaune.sources import load_registry
from alaune.sources.registry import parse_entries

GOOD = """[[outlet]]
id = "echo"
name = "L'Écho"
homepage = "https://echo.example.com/"
languages = ["fr"]
feeds = [{ url = "https://echo.example.com/rss.xml", kind = "rss" }]
"""


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={"ALAUNE_FETCH_ALLOW": "", **(env or {})})


def test_validate_checks_the_shipped_registry_and_says_what_it_checked() -> None:
    result = run("sources", "validate")
    assert result.exit_code == 0, result.output
    assert (
        "Checked 4 file(s): registry/ar.toml, registry/en.toml, registry/fr.toml" in result.stdout
    )
    count = len(load_registry())
    assert f"{count} valid outlet(s)" in result.stdout
    assert f"{count} not yet verified" in result.stdout
    assert "The registry is valid." in result.stdout


def test_validate_lists_every_problem_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        GOOD.replace('"fr"', '"xx"').replace(
            "https://echo.example.com/rss.xml", "file:///etc/passwd"
        ),
        encoding="utf-8",
    )
    result = run("sources", "validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: outlet #1 (echo): languages: 'xx' is not one of fr, ar, en" in result.stderr
    assert f"{bad}: outlet #1 (echo): feeds[0].url: 'file:///etc/passwd'" in result.stderr
    assert "2 problem(s): the registry is not valid." in result.stderr


def test_validate_without_defaults_checks_only_the_given_files(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(GOOD, encoding="utf-8")
    result = run("sources", "validate", "--no-defaults", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"Checked 1 file(s): {tmp_path / 'mine.toml'}" in result.stdout
    assert "1 valid outlet(s) (fr 1), 1 feed(s), 1 not yet verified." in result.stdout


def test_list_shows_a_table_filtered_by_language() -> None:
    result = run("sources", "list", "--language", "ar")
    assert result.exit_code == 0, result.output
    assert "hespress-ar" in result.stdout
    assert "hespress-fr" not in result.stdout
    arabic = sum("ar" in o.languages for o in load_registry())
    assert f"{arabic} outlet(s)." in result.stdout


def test_export_then_import_adds_nothing_the_registry_already_follows(tmp_path: Path) -> None:
    exported = tmp_path / "alaune.opml"
    assert run("sources", "export-opml", str(exported)).exit_code == 0
    assert exported.read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<opml")
    result = run("sources", "import-opml", str(exported))
    assert result.exit_code == 0, result.output
    assert "0 new outlet(s) with 0 feed(s)" in result.stderr
    assert "Nothing new to import." in result.stderr


def opml_file(tmp_path: Path, *urls: str) -> Path:
    outlines = "".join(
        f'<outline type="rss" text="Site {n}" xmlUrl="{url}" language="fr"/>'
        for n, url in enumerate(urls)
    )
    path = tmp_path / "feeds.opml"
    path.write_text(f"<opml version='2.0'><body>{outlines}</body></opml>", encoding="utf-8")
    return path


def test_import_writes_valid_entries_to_a_file(tmp_path: Path) -> None:
    source = opml_file(tmp_path, "https://news.example.com/feed", "https://www.example.org/rss")
    target = tmp_path / "mine.toml"
    target.write_text(GOOD, encoding="utf-8")
    result = run("sources", "import-opml", str(source), "--write", str(target))
    assert result.exit_code == 0, result.output
    outlets, problems = parse_entries(target.read_text("utf-8"), label="mine.toml")
    assert problems == []
    assert [(o.id, o.verified) for o in outlets] == [
        ("echo", False),
        ("example", False),
        ("example-2", False),
    ]


def test_import_is_all_or_nothing(tmp_path: Path) -> None:
    source = opml_file(
        tmp_path,
        "https://news.example.com/feed",
        "http://127.0.0.1/",
        "file:///etc/passwd",
        "javascript:alert(1)",
    )
    target = tmp_path / "mine.toml"
    target.write_text(GOOD, encoding="utf-8")
    result = run("sources", "import-opml", str(source), "--write", str(target))
    assert result.exit_code == 1
    assert (
        "1 new outlet(s) with 1 feed(s), 0 feed(s) already in the registry, 3 rejected"
        in result.stderr
    )
    assert "'http://127.0.0.1/': 127.0.0.1 is not a public address" in result.stderr
    assert "'file:///etc/passwd': only absolute http:// and https:// URLs" in result.stderr
    assert "Nothing was imported." in result.stderr
    assert target.read_text("utf-8") == GOOD

    partial = run("sources", "import-opml", str(source), "--write", str(target), "--skip-rejected")
    assert partial.exit_code == 0, partial.output
    assert [o.id for o in parse_entries(target.read_text("utf-8"), label="x")[0]] == [
        "echo",
        "example",
    ]


def test_an_opml_bomb_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "bomb.opml"
    source.write_bytes(b"<opml><body>" + b"<outline/>" * 10_000 + b"</body></opml>")
    result = run("sources", "import-opml", str(source))
    assert result.exit_code == 1
    assert "10,000 outlines; the limit is 5,000. Nothing was imported." in result.stderr


# --- add, against a site on loopback -------------------------------------------------------

HOME = """<!doctype html><html lang="fr"><head><title>Le Petit Écho | Actualités</title>
<link rel="alternate" type="application/rss+xml" title="Flux" href="/feed/">
<link rel="alternate" type="application/rss+xml" title="Commentaires" href="/comments/feed/">
<link rel="alternate" type="application/atom+xml" title="Ailleurs" href="http://169.254.169.254/x">
</head><body>Bonjour</body></html>"""
RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
NEWS = '<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"></urlset>'


class Site(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[str, str]]] = {}
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path not in self.routes:
            self.send_error(404)
            return
        kind, body = self.routes[self.path]
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[tuple[str, type[Site]]]:
    handler = type("Handler", (Site,), {"routes": {}, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_add_discovers_feeds_and_writes_a_valid_entry(
    site: tuple[str, type[Site]], tmp_path: Path
) -> None:
    address, handler = site
    port = address.split(":")[1]
    handler.routes.update(
        {
            "/": ("text/html; charset=utf-8", HOME),
            "/feed/": ("application/rss+xml", RSS),
            "/comments/feed/": ("application/rss+xml", RSS),
            "/robots.txt": (
                "text/plain",
                f"User-agent: *\nSitemap: http://{address}/sitemap-news.xml\n"
                f"Sitemap: http://{address}/sitemap.xml\n",
            ),
            "/sitemap-news.xml": ("application/xml", NEWS),
            "/sitemap.xml": ("application/xml", "<sitemapindex></sitemapindex>"),
        }
    )
    target = tmp_path / "mine.toml"
    result = run(
        "sources",
        "add",
        f"http://{address}/",
        "--write",
        str(target),
        "--id",
        "petit-echo",
        env={"ALAUNE_FETCH_ALLOW": address},
    )
    assert result.exit_code == 0, result.output
    assert f"found rss: http://{address}/feed/ (advertised in the page)" in result.stderr
    assert (
        f"found sitemap: http://{address}/sitemap-news.xml (listed in robots.txt)" in result.stderr
    )
    assert "a map of the whole site, not a news sitemap" in result.stderr
    assert f"Added 'petit-echo' to {target}" in result.stderr
    outlets = load_registry([target], defaults=False, allow=[address])
    assert len(outlets) == 1
    outlet = outlets[0]
    assert (outlet.id, outlet.name, outlet.languages, outlet.verified) == (
        "petit-echo",
        "Le Petit Écho",
        ("fr",),
        True,
    )
    assert [(f.url, f.kind) for f in outlet.feeds] == [
        (f"http://{address}/feed/", "rss"),
        (f"http://{address}/sitemap-news.xml", "sitemap"),
    ]
    # Never the comments feed, never the metadata address; a handful of requests in all.
    assert "/comments/feed/" not in handler.seen
    assert len(handler.seen) <= 6
    assert port in target.read_text("utf-8")


def test_add_guesses_common_paths_when_nothing_is_advertised(site: tuple[str, type[Site]]) -> None:
    address, handler = site
    handler.routes.update(
        {
            "/": ("text/html", "<html lang='ar'><head><title>موقع</title></head></html>"),
            "/rss.xml": ("text/xml", RSS),
        }
    )
    result = run("sources", "add", f"http://{address}/", env={"ALAUNE_FETCH_ALLOW": address})
    assert result.exit_code == 0, result.output
    assert f"found rss: http://{address}/rss.xml (common path)" in result.stderr
    outlets, problems = parse_entries(result.stdout, label="stdout", allow=[address])
    assert problems == []
    assert (outlets[0].id, outlets[0].name, outlets[0].languages) == ("outlet", "موقع", ("ar",))


def test_add_explains_when_no_feed_answers(site: tuple[str, type[Site]]) -> None:
    address, handler = site
    handler.routes["/"] = ("text/html", "<html lang='en'><title>Nothing</title></html>")
    result = run("sources", "add", f"http://{address}/", env={"ALAUNE_FETCH_ALLOW": address})
    assert result.exit_code == 1
    assert "no new feed or news sitemap answered" in result.stderr
    assert "skipped http://" in result.stderr


def test_add_refuses_internal_addresses_before_any_request(site: tuple[str, type[Site]]) -> None:
    address, handler = site
    result = run("sources", "add", f"http://{address}/")  # not allowed this time
    assert result.exit_code == 1
    assert "is not a public address" in result.stderr
    assert handler.seen == []


def test_add_asks_for_the_language_when_the_page_does_not_say(site: tuple[str, type[Site]]) -> None:
    address, handler = site
    handler.routes.update(
        {"/": ("text/html", "<html><title>X</title></html>"), "/feed": ("text/xml", RSS)}
    )
    result = run("sources", "add", f"http://{address}/", env={"ALAUNE_FETCH_ALLOW": address})
    assert result.exit_code == 1
    assert "cannot tell the site's language (it does not say): pass --language" in result.stderr
    again = run(
        "sources",
        "add",
        f"http://{address}/",
        "--language",
        "en",
        env={"ALAUNE_FETCH_ALLOW": address},
    )
    assert again.exit_code == 0, again.output


def test_add_refuses_an_id_already_taken(site: tuple[str, type[Site]]) -> None:
    address, handler = site
    handler.routes.update({"/": ("text/html", HOME), "/feed/": ("application/rss+xml", RSS)})
    result = run(
        "sources",
        "add",
        f"http://{address}/",
        "--id",
        "hespress-fr",
        env={"ALAUNE_FETCH_ALLOW": address},
    )
    assert result.exit_code == 1
    assert "the id 'hespress-fr' is taken: pass another with --id" in result.stderr


def test_add_skips_feeds_the_registry_already_follows(
    site: tuple[str, type[Site]], tmp_path: Path
) -> None:
    address, handler = site
    handler.routes.update({"/": ("text/html", HOME), "/feed/": ("application/rss+xml", RSS)})
    target = tmp_path / "mine.toml"
    env = {"ALAUNE_FETCH_ALLOW": address}
    assert (
        run("sources", "add", f"http://{address}/", "--write", str(target), env=env).exit_code == 0
    )
    again = run("sources", "add", f"http://{address}/", "--write", str(target), env=env)
    assert again.exit_code == 1
    assert f"skipped http://{address}/feed/: already followed by 'outlet'" in again.stderr
    assert "no new feed or news sitemap answered" in again.stderr


def test_every_sources_command_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "sources.md").read_text("utf-8")
    missing = [name for name in sources.commands if f"`alaune sources {name}" not in doc]
    assert missing == []
