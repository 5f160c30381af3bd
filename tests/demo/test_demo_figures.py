"""Inline figures of the demo articles: the longer articles show a second picture between their
paragraphs, drawn like the lead picture, shared by a wire copy with its original, and served."""

from __future__ import annotations

import io

import lxml.html
from demo_support import NOW
from PIL import Image

from alaune.demo.corpus import load_corpus
from alaune.demo.entries import FIGURE_AFTER, build_edition
from alaune.demo.images import figure_image, image_bytes, lead_image
from alaune.demo.site import OutletSite
from alaune.media import SAME_PICTURE, hamming, process_image


def test_a_figure_is_a_picture_of_its_own_shared_by_wire_copies() -> None:
    figure = figure_image("alpha/un", "alpha/un")
    lead = lead_image("alpha/un", "alpha/un")
    assert figure.path != lead.path
    assert image_bytes(figure) != image_bytes(lead)
    copy_ = figure_image("beta/un", "alpha/un")
    assert copy_.path != figure.path
    copied, original = (process_image(image_bytes(f)).phash for f in (copy_, figure))
    assert hamming(copied, original) <= SAME_PICTURE  # the same picture, as republished


def test_long_articles_show_their_figure_between_paragraphs_and_serve_it() -> None:
    corpus = load_corpus()
    shown = 0
    for outlet in corpus.outlets:
        edition = build_edition(corpus, outlet.id, base_url="http://127.0.0.1:1", started_at=NOW)
        site = OutletSite(edition)
        for entry in edition.entries:
            page = lxml.html.fromstring(site.respond(entry.path, {}).body)
            sources = page.xpath("//figure[@class='inline-image']/img/@src")
            if len(entry.article.paragraphs) <= FIGURE_AFTER + 1:
                assert entry.figure is None
                assert sources == []
                continue
            assert entry.figure is not None
            assert sources == [entry.figure.path]
            served = site.respond(entry.figure.path, {})
            assert served.status == 200
            picture = Image.open(io.BytesIO(served.body))
            assert (picture.width, picture.height) == (entry.figure.width, entry.figure.height)
            shown += 1
    assert 100 <= shown < len(corpus.articles)  # some pages, not all
