"""OPML import and export: round trip, and hostile documents (SECURITY G4)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from alaune.model import FeedRef, Outlet
from alaune.sources import load_registry
from alaune.sources.opml import MAX_BYTES, MAX_OUTLINES, OpmlError, read_opml, write_opml

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def opml(*outlines: str, head: str = "") -> bytes:
    body = "\n".join(outlines)
    return f'<?xml version="1.0"?>{head}<opml version="2.0"><body>{body}</body></opml>'.encode()


def feed(url: str, title: str = "Site", **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<outline type="rss" text="{title}" xmlUrl="{url}"{extra}/>'


def test_the_shipped_registry_survives_export_and_import() -> None:
    registry = load_registry()
    result = read_opml(write_opml(registry, now=NOW))
    assert result.rejected == ()
    assert result.known == ()

    def key(o: Outlet) -> tuple[object, ...]:
        return (o.id, o.name, o.homepage, o.languages, o.country, o.feeds)

    assert sorted(map(key, result.outlets)) == sorted(map(key, registry))
    assert all(not o.verified for o in result.outlets)


def test_a_re_import_of_what_the_registry_follows_adds_nothing() -> None:
    registry = load_registry()
    result = read_opml(
        write_opml(registry),
        known_ids={o.id for o in registry},
        known_feeds=[f.url for o in registry for f in o.feeds],
    )
    assert result.outlets == ()
    assert len(result.known) == sum(len(o.feeds) for o in registry)


def test_export_is_opml_2_with_a_folder_per_language() -> None:
    outlet = Outlet(
        id="echo",
        name="L'Écho & co",
        homepage="https://echo.example.com/",
        languages=("fr",),
        feeds=(
            FeedRef("https://echo.example.com/rss.xml", "rss"),
            FeedRef("https://echo.example.com/sitemap-news.xml", "sitemap"),
        ),
    )
    text = write_opml([outlet], now=NOW).decode()
    assert '<opml xmlns:alaune="https://github.com/alaune/alaune/opml" version="2.0">' in text
    assert "<dateCreated>Sun, 29 Nov 2026 12:00:00 +0000</dateCreated>" in text
    assert '<outline text="Français" title="Français">' in text
    assert 'text="L\'Écho &amp; co"' in text
    # A sitemap is not a feed other readers should poll: it is a link, without xmlUrl.
    assert 'type="link" url="https://echo.example.com/sitemap-news.xml"' in text
    again = read_opml(text.encode()).outlets
    assert again[0].feeds == outlet.feeds


def test_outlines_of_one_site_become_one_outlet() -> None:
    data = opml(
        '<outline text="Maroc">',
        feed(
            "https://www.example.com/feed",
            "Exemple",
            htmlUrl="https://www.example.com/",
            language="fr-FR",
        ),
        feed(
            "https://www.example.com/sport/feed",
            "Exemple Sport",
            htmlUrl="https://www.example.com/",
        ),
        "</outline>",
        feed("https://news.example.org/atom.xml", "Other", type="atom", language="en"),
    )
    result = read_opml(data.replace(b'type="rss" text="Other"', b'text="Other"'))
    assert [(o.id, o.languages, len(o.feeds)) for o in result.outlets] == [
        ("example", ("fr",), 2),
        ("example-2", ("en",), 1),
    ]


def test_ids_never_collide_with_the_registry() -> None:
    result = read_opml(
        opml(feed("https://fr.hespress.com/other-feed", language="fr")), known_ids={"hespress-fr"}
    )
    assert result.outlets[0].id == "hespress-fr-2"


def test_an_outline_without_a_language_is_rejected_unless_one_is_given() -> None:
    data = opml(feed("https://www.example.com/feed"))
    assert "no language" in read_opml(data).rejected[0].reason
    assert read_opml(data, language="ar").outlets[0].languages == ("ar",)


HOSTILE_URLS = {
    "loopback": ("http://127.0.0.1/", "not a public address"),
    "loopback with port": ("http://127.0.0.1:6379/", "not a public address"),
    "metadata": ("http://169.254.169.254/latest/meta-data/", "not a public address"),
    "file": ("file:///etc/passwd", "not file:"),
    "javascript": ("javascript:alert(document.cookie)", "not javascript:"),
    "credentials": ("http://admin:secret@example.com/feed", "credentials"),
    "localhost name": ("http://localhost:8080/feed", "local or reserved"),
    "IPv6 loopback": ("http://[::1]/feed", "not a public address"),
    "hex loopback": ("http://0x7f000001/feed", "not a public address"),
}


@pytest.mark.parametrize(("url", "reason"), HOSTILE_URLS.values(), ids=HOSTILE_URLS.keys())
def test_internal_and_unsafe_urls_are_rejected_and_reported(url: str, reason: str) -> None:
    good = feed("https://www.example.com/feed", "Good", language="fr")
    result = read_opml(opml(good, feed(url, "Bad", language="fr")))
    assert [o.id for o in result.outlets] == ["example"]
    assert len(result.rejected) == 1
    assert result.rejected[0].url == url
    assert reason in result.rejected[0].reason
    assert result.rejected[0].where == "outline 2 (line 2) 'Bad'"
    assert not result.complete


def test_an_entity_bomb_expands_nothing() -> None:
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    bomb = f"<!DOCTYPE opml [{lol}]>"
    data = opml(feed("https://www.example.com/feed", "&lol9;", language="fr"), head=bomb)
    started = time.monotonic()
    with pytest.raises(OpmlError, match="not well-formed XML"):
        read_opml(data)
    assert time.monotonic() - started < 1.0


def test_an_external_entity_is_never_read() -> None:
    head = '<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    data = opml(feed("https://www.example.com/feed", "&xxe;", language="fr"), head=head)
    with pytest.raises(OpmlError):
        read_opml(data)


def test_an_entity_bomb_in_utf16_is_refused_too() -> None:
    """libxml2 expands entities in attribute values whatever resolve_entities says: the DOCTYPE
    must go before parsing, so the file is decoded first and UTF-16 cannot hide it."""
    head = '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    text = opml(feed("https://www.example.com/feed", "&b;", language="fr"), head=head).decode()
    data = text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(OpmlError, match="not well-formed XML"):
        read_opml(data.encode("utf-16"))


def test_a_doctype_crafted_to_survive_its_removal_is_refused() -> None:
    head = '<!DOCTYPE opml [<!ENTITY a "]>"><!ENTITY b "&a;&a;&a;">]>'
    data = opml(feed("https://www.example.com/feed", "&b;", language="fr"), head=head)
    with pytest.raises(OpmlError, match=r"declares entities|not well-formed"):
        read_opml(data)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "iso-8859-1"])
def test_documents_in_other_encodings_are_read(encoding: str) -> None:
    text = opml(feed("https://www.example.com/feed", "Caf\u00e9", language="fr")).decode()
    if encoding in ("iso-8859-1", "utf-16-le"):
        text = text.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
    assert read_opml(text.encode(encoding)).outlets[0].name == "Café"


def test_ten_thousand_outlines_are_refused_whole() -> None:
    outlines = [feed(f"https://www.example.com/feed/{n}", language="fr") for n in range(10_000)]
    with pytest.raises(OpmlError, match=f"10,000 outlines; the limit is {MAX_OUTLINES:,}"):
        read_opml(opml(*outlines))


def test_fifty_megabytes_are_refused_before_parsing() -> None:
    data = opml(feed("https://www.example.com/feed", "x" * (50 * 1024 * 1024), language="fr"))
    with pytest.raises(OpmlError, match=f"the limit is {MAX_BYTES:,}"):
        read_opml(data)


def test_deep_nesting_is_refused() -> None:
    data = opml(
        "<outline text='f'>" * 40 + feed("https://www.example.com/feed") + "</outline>" * 40
    )
    with pytest.raises(OpmlError, match="nested 41 deep"):
        read_opml(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not well-formed"),
        (b"<html><body>hello</body></html>", "not an OPML document"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (b"<opml><body><outline></body></opml>", "not well-formed"),
    ],
    ids=["empty", "html", "no body", "broken"],
)
def test_documents_that_are_not_opml_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        read_opml(data)


def test_a_feed_outline_without_xml_url_is_reported() -> None:
    result = read_opml(opml('<outline type="rss" text="Nothing"/>'))
    assert result.rejected[0].reason == "feed outline without xmlUrl"
