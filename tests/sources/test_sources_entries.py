"""Writing registry entries: ids from host names, countries from domains, TOML that reads back."""

from __future__ import annotations

import tomllib

import pytest

from alaune.model import FeedRef, Outlet
from alaune.sources.entries import guess_country, outlet_to_toml, registry_to_toml, suggest_id
from alaune.sources.registry import parse_entries

IDS = {
    "brand from the domain": ("https://www.telquel.ma/", (), "telquel"),
    "edition subdomain kept": ("https://fr.hespress.com/", (), "hespress-fr"),
    "second-level domain skipped": ("https://www.alakhbar.press.ma/", (), "alakhbar"),
    "co.uk": ("https://www.bbc.co.uk/news", (), "bbc"),
    "other subdomains dropped": ("https://english.alarabiya.net/", (), "alarabiya"),
    "digits and hyphens kept": ("https://www.h24info.ma/", (), "h24info"),
    "taken gets a number": ("https://le360.ma/", ("le360",), "le360-2"),
    "next free number": ("https://le360.ma/", ("le360", "le360-2"), "le360-3"),
    "IP address": ("http://203.0.113.9/", (), "outlet"),
    "punycode": ("https://xn--mgbh0fb.com/", (), "xn-mgbh0fb"),
}


@pytest.mark.parametrize(("homepage", "taken", "expected"), IDS.values(), ids=IDS.keys())
def test_suggested_ids(homepage: str, taken: tuple[str, ...], expected: str) -> None:
    assert suggest_id(homepage, taken) == expected


@pytest.mark.parametrize(
    ("host", "country"),
    [
        ("le360.ma", "MA"),
        ("www.tsa-algerie.dz", "DZ"),
        ("bbc.co.uk", "GB"),
        ("hespress.com", ""),
        ("startup.io", ""),
        ("example.", ""),
    ],
)
def test_country_from_the_domain(host: str, country: str) -> None:
    assert guess_country(host) == country


def test_every_field_survives_the_toml_writer() -> None:
    outlet = Outlet(
        id="quote-test",
        name='Le "Quotidien" \\ du soir\x7f',
        homepage="https://quote.example.com/",
        languages=("fr", "ar"),
        country="MA",
        feeds=(
            FeedRef("https://quote.example.com/feed", "rss"),
            FeedRef("https://quote.example.com/news.xml", "sitemap"),
        ),
        policy="full",
        agency=True,
        sections=(("Économie", "economie"), ("/sport", "sport"), ("رياضة", "sport")),
        include=(r"/\d{4}/\d{2}/",),
        exclude=(r"(?i)/video/",),
        verified=True,
        poll_interval=90.5,
    )
    text = outlet_to_toml(outlet)
    assert tomllib.loads(text)  # plain TOML
    outlets, problems = parse_entries(text, label="t")
    assert problems == []
    assert outlets == [outlet]


def test_a_registry_file_has_a_commented_header() -> None:
    text = registry_to_toml([], header="Imported from x.opml\n\nreview me")
    assert text == "# Imported from x.opml\n#\n# review me\n"
