"""Inline images (issue 4, item 4): the pictures inside an article's body, found again on the
page by the extracted text; furniture, pixels, the lead image and repeats left out."""

from __future__ import annotations

import pytest
from extract_support import demo_pages, portal_pages

from alaune.extract import extract
from alaune.extract.inline import MAX_INLINE

URL = "https://journal.example/societe/2026/11/29/le-port.html"
TEXT = (
    "Le port de Tanger Med a traité un volume record de conteneurs cette année, selon "
    "l'autorité portuaire, qui prévoit d'agrandir encore ses quais d'ici deux ans."
)


LEAD = "<meta property='og:image' content='https://journal.example/lead.jpg'>"


def page(body: str, head: str = LEAD) -> bytes:
    """An article whose body is `body`, with a paragraph of text at each `{p}`."""
    paragraphs = iter(range(100))
    filled = body.replace("{p}", "<p>{}</p>")
    filled = filled.format(*(f"{TEXT} ({next(paragraphs)})" for _ in range(filled.count("{}"))))
    return (
        f"<html lang='fr'><head><title>Le port</title>{head}</head><body>"
        "<header><img src='/logo.png'></header>"
        f"<article><h1>Le port</h1>{filled}</article>"
        "<footer><img src='/footer.png'></footer></body></html>"
    ).encode()


def inline(body: str, head: str = LEAD) -> tuple[str, ...]:
    return extract(page(body, head), url=URL).inline_images


CASES = {
    "figures between paragraphs, in page order": (
        "{p}<figure><img src='/a.jpg'><figcaption>A</figcaption></figure>{p}"
        "<figure><img src='https://cdn.example/b.png'></figure>{p}",
        ("https://journal.example/a.jpg", "https://cdn.example/b.png"),
    ),
    "relative to the page's URL": (
        "{p}<img src='c.webp'>{p}",
        (URL.rsplit("/", 1)[0] + "/c.webp",),
    ),
    "a lazy picture's real address": (
        "{p}<img src='data:image/gif;base64,R0lGOD' data-src='/lazy.jpg'>{p}",
        ("https://journal.example/lazy.jpg",),
    ),
    "a thumbnail inside a link is a 'read also', not the article": (
        "{p}<div><a href='/other'><img src='/thumb.jpg'></a></div>{p}",
        (),
    ),
    "an aside is furniture": ("{p}<aside><img src='/ad.jpg'> Publicité</aside>{p}", ()),
    "a tracking pixel": ("{p}<img src='/pixel.gif' width='1' height='1'>{p}", ()),
    "a picture shown twice counts once": (
        "{p}<img src='/a.jpg'>{p}<img src='/a.jpg'>{p}",
        ("https://journal.example/a.jpg",),
    ),
    "before the first paragraph or after the last: not inside the body": (
        "<img src='/before.jpg'>{p}{p}<img src='/after.jpg'>",
        (),
    ),
    "javascript: and data: only": (
        "{p}<img src='javascript:alert(1)'><img src='data:image/png;base64,AAAA'>{p}",
        (),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_inline_images(name: str) -> None:
    body, expected = CASES[name]
    assert inline(body) == expected


def test_the_lead_image_is_never_also_inline() -> None:
    body = "{p}<figure><img src='/lead.jpg'></figure>{p}<img src='/second.jpg'>{p}"
    found = extract(page(body), url=URL)
    assert found.image_url == "https://journal.example/lead.jpg"
    assert found.inline_images == ("https://journal.example/second.jpg",)
    # With no og:image, the first figure's picture is the lead: the others stay inline.
    found = extract(page(body.replace("/lead.jpg", "/first.jpg"), head=""), url=URL)
    assert found.image_url == "https://journal.example/first.jpg"
    assert found.inline_images == ("https://journal.example/second.jpg",)


def test_a_gallery_is_capped() -> None:
    body = "{p}" + "".join(f"<img src='/g{i}.jpg'>" for i in range(MAX_INLINE + 15)) + "{p}"
    found = inline(body)
    assert len(found) == MAX_INLINE
    assert found[0].endswith("/g0.jpg")


def test_the_demo_pages_give_their_figure_and_nothing_else() -> None:
    """A demo page's inline figure is found, never its lead picture, its linked thumbnails or
    its report widget; the portal's furniture has no picture of its own."""
    with_figure = 0
    for demo_page in demo_pages():
        assert demo_page.entry is not None
        figure = demo_page.entry.figure
        base = demo_page.entry.url.split("/", 3)[:3]
        expected = ("/".join(base) + figure.path,) if figure else ()
        assert extract(demo_page.body, url=demo_page.url).inline_images == expected
        with_figure += figure is not None
    assert with_figure >= 100
    for portal_page in portal_pages():
        assert extract(portal_page.body, url=portal_page.url).inline_images == ()
