"""Inline images through a real crawl (issue 4, item 4): the pictures inside an article's body
are recorded with the article, downloaded by the image worker like lead images, shown in body
order unless hidden, and replaced when the article is re-extracted; re-extraction also renews
the dedupe fingerprint of a text it changed (issue 5's keys stay true to the stored text)."""

from __future__ import annotations

from feed_site import TEXT, FeedSite, Page, illustrated, picture, rss
from ingest_support import T0, Clock, crawler_for, outlet
from sqlalchemy import delete, select, update

from alaune.dedupe.keys import fingerprint
from alaune.ingest.reextract import reextract
from alaune.store import images as image_store
from alaune.store.articles import NewArticle, add_article
from alaune.store.engine import Database
from alaune.store.outlets import sync_outlets
from alaune.store.schema import article_images, articles, images


def serve(site: FeedSite, *pages: tuple[str, Page]) -> None:
    site.routes["/feed.xml"] = rss(*((site.url(p), p, f"Article {p}") for p, _ in pages))
    site.routes.update(dict(pages))
    site.routes["/img/lead.jpg"] = picture("JPEG", (200, 40, 40))
    site.routes["/img/port.jpg"] = picture("JPEG", (40, 200, 40))
    site.routes["/img/quai.png"] = picture("PNG", (40, 40, 200))
    site.routes["/img/thumb.jpg"] = picture("JPEG", (90, 90, 90))


async def crawl(db: Database, site: FeedSite, clock: Clock) -> None:
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("port", site.url("/feed.xml"))])
        await crawler.crawl_once()


def article_id(db: Database, url: str) -> int:
    with db.read() as conn:
        return int(conn.execute(select(articles.c.id).where(articles.c.url == url)).scalar_one())


def inline_of(db: Database, article: int) -> list[tuple[int, str, str]]:
    """(position, source URL, status) of an article's inline images."""
    with db.read() as conn:
        rows = conn.execute(
            select(article_images.c.position, images.c.source_url, images.c.status)
            .join(images, images.c.id == article_images.c.image_id)
            .where(article_images.c.article_id == article)
            .order_by(article_images.c.position)
        )
        return [(row.position, row.source_url, row.status) for row in rows]


async def test_a_crawl_records_and_downloads_the_inline_images(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    serve(site, ("/a", illustrated("Le port", "/img/port.jpg", "/img/quai.png")))
    await crawl(db, site, clock)
    a = article_id(db, site.url("/a"))
    assert inline_of(db, a) == [
        (0, site.url("/img/port.jpg"), "stored"),
        (1, site.url("/img/quai.png"), "stored"),
    ]
    with db.read() as conn:
        sources = set(conn.execute(select(images.c.source_url)).scalars())
        shown = image_store.inline_shown(conn, a)
    # The lead picture is the article's, once; furniture is never queued.
    assert sources == {site.url(f"/img/{name}") for name in ("lead.jpg", "port.jpg", "quai.png")}
    assert [s.path for s in shown] == [f"/images/{s.id}/alaune-{s.id}.webp" for s in shown]
    assert [(s.width, s.height) for s in shown] == [(320, 180), (320, 180)]


async def test_hidden_inline_images_are_not_shown_anywhere(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    serve(
        site,
        ("/a", illustrated("Le port", "/img/port.jpg", "/img/quai.png")),
        ("/b", illustrated("Les quais", "/img/quai.png")),
    )
    await crawl(db, site, clock)
    a, b = article_id(db, site.url("/a")), article_id(db, site.url("/b"))
    with db.write() as conn:
        first, second = image_store.inline_shown(conn, a)
        assert [s.id for s in image_store.inline_shown(conn, b)] == [second.id]  # one row, shared
        image_store.set_hidden(conn, second.id, True)
    with db.read() as conn:
        assert image_store.inline_shown(conn, a) == [first]
        assert image_store.inline_shown(conn, b) == []


def test_replacing_inline_images_keeps_order_and_the_rules(db: Database) -> None:
    lead = "https://journal.example/lead.jpg"
    with db.write() as conn:
        sync_outlets(conn, [outlet("port", "https://journal.example/feed.xml")], now=T0)
        a = add_article(conn, _article("https://journal.example/a", image_url=lead))
        assert a is not None
        urls = [
            "https://cdn.example/1.jpg",
            lead,
            "javascript:alert(1)",
            "https://cdn.example/1.jpg",
        ]
        urls += [f"https://cdn.example/g{i}.jpg" for i in range(30)]
        kept = image_store.replace_inline(conn, a, urls, now=T0)
        assert kept == image_store.MAX_INLINE
        stored = image_store.inline_urls(conn, [a])[a]
        assert stored[:2] == ("https://cdn.example/1.jpg", "https://cdn.example/g0.jpg")
        assert lead not in stored
        assert len(stored) == len(set(stored)) == image_store.MAX_INLINE
        assert image_store.replace_inline(conn, a, ["https://cdn.example/g5.jpg"], now=T0) == 1
        assert image_store.inline_urls(conn, [a]) == {a: ("https://cdn.example/g5.jpg",)}
        pending = {p.source_url for p in image_store.pending(conn, 100)}
        assert "https://cdn.example/g5.jpg" in pending  # the worker's queue, like a lead image
        assert (
            image_store.replace_inline(conn, a + 1000, ["https://cdn.example/x.jpg"], now=T0) == 0
        )


def _article(url: str, *, image_url: str = "") -> NewArticle:
    return NewArticle(
        outlet_id="port",
        canonical_url=url,
        url=url,
        title="Le port",
        published_at=T0,
        first_seen_at=T0,
        text=TEXT.format(1),
        image_url=image_url,
    )


async def test_reextraction_replaces_the_inline_images(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    serve(site, ("/a", illustrated("Le port", "/img/port.jpg", "/img/quai.png")))
    await crawl(db, site, clock)
    a = article_id(db, site.url("/a"))
    expected = inline_of(db, a)
    with db.write() as conn:  # as if stored before inline images were recorded
        conn.execute(delete(article_images).where(article_images.c.article_id == a))
        image_store.replace_inline(conn, a, [site.url("/img/thumb.jpg")], now=T0)
    assert reextract(db, now=clock.now).changed == 1
    assert inline_of(db, a) == expected
    assert reextract(db, now=clock.now).changed == 0


def stored_keys(db: Database, article: int) -> tuple[str, str, bytes | None]:
    with db.read() as conn:
        row = conn.execute(
            select(articles.c.text, articles.c.content_hash, articles.c.minhash).where(
                articles.c.id == article
            )
        ).one()
    return row.text, row.content_hash, row.minhash


async def test_reextraction_renews_the_fingerprint_of_a_changed_text(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    serve(site, ("/a", illustrated("Le port")), ("/b", illustrated("Les quais")))
    await crawl(db, site, clock)
    a, b = article_id(db, site.url("/a")), article_id(db, site.url("/b"))
    text, content_hash, minhash = stored_keys(db, a)
    assert content_hash  # placed in its story by the crawl
    stale = fingerprint(text + "\n\nPartager sur Facebook · Imprimer · Commenter")
    with db.write() as conn:  # an extraction from before the site template knew the furniture
        conn.execute(
            update(articles)
            .where(articles.c.id == a)
            .values(
                text=text + "\n\nPartager sur Facebook · Imprimer · Commenter",
                content_hash=stale.content_hash,
                minhash=stale.to_bytes(),
            )
        )
        # An article stored but not yet placed keeps no fingerprint: placement will make it.
        conn.execute(
            update(articles)
            .where(articles.c.id == b)
            .values(text="ancien texte", content_hash="", minhash=None)
        )
    assert reextract(db, now=clock.now).changed == 2
    with db.read() as conn:
        lead = conn.execute(select(articles.c.lead).where(articles.c.id == a)).scalar_one()
    fresh = fingerprint(text, lead=lead)
    assert stored_keys(db, a) == (text, fresh.content_hash, fresh.to_bytes())
    assert stored_keys(db, a)[1:] == (content_hash, minhash)  # as the crawl's placement made it
    text_b, hash_b, minhash_b = stored_keys(db, b)
    assert text_b != "ancien texte"
    assert (hash_b, minhash_b) == ("", None)
