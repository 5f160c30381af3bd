"""API: outlets (with their health and newest articles) and categories (with their stories)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from sqlalchemy import Connection

from alaune.store import coverage, listings
from alaune.store.listings import ArticleFilter
from alaune.web.api.params import OutletPath, Site, SlugPath
from alaune.web.api.schemas import (
    CategoryDetail,
    CategoryList,
    OutletDetail,
    OutletList,
    Problem,
    category_out,
    outlet_detail,
    outlet_out,
    story_summary,
)
from alaune.web.i18n import category_labels
from alaune.web.links import PageUrls

router = APIRouter(tags=["outlets and categories"])
LATEST = 20


def outlet_document(urls: PageUrls, conn: Connection, outlet_id: str) -> OutletDetail:
    outlet = listings.get_outlet(conn, outlet_id)
    if outlet is None:
        raise HTTPException(404, "no such outlet")
    health = listings.outlet_health(conn, outlet_id)
    items = listings.list_articles(conn, ArticleFilter(outlet_id=outlet_id), limit=LATEST)
    return outlet_detail(urls, outlet, health, items)


def category_document(
    urls: PageUrls, conn: Connection, slug: str, *, language: str | None = None
) -> CategoryDetail:
    count = listings.category_count(conn, slug)
    if slug not in category_labels("fr") and not count:
        raise HTTPException(404, "no such category")
    base = category_out(urls, slug, count)
    cards = coverage.top_stories(conn, limit=LATEST, category=slug, language=language)
    return CategoryDetail(
        **base.model_dump(), stories=[story_summary(urls, card) for card in cards]
    )


@router.get("/outlets", summary="Every outlet, by name")
def list_outlets(site: Site) -> OutletList:
    urls = PageUrls(site.origin)
    with site.db.read() as conn:
        return OutletList(items=[outlet_out(urls, o) for o in listings.list_outlets(conn)])


@router.get(
    "/outlets/{outlet_id}",
    summary="One outlet: its health and newest articles",
    responses={404: {"model": Problem}},
)
def get_outlet(site: Site, outlet_id: OutletPath) -> OutletDetail:
    with site.db.read() as conn:
        return outlet_document(PageUrls(site.origin), conn, outlet_id)


@router.get("/categories", summary="Categories with their article counts")
def list_categories(site: Site) -> CategoryList:
    urls = PageUrls(site.origin)
    with site.db.read() as conn:
        counts = dict(listings.category_counts(conn))
    known = list(category_labels("fr"))
    slugs = known + sorted(set(counts) - set(known))
    return CategoryList(items=[category_out(urls, s, counts.get(s, 0)) for s in slugs])


@router.get(
    "/categories/{slug}",
    summary="One category and its top stories",
    responses={404: {"model": Problem}},
)
def get_category(site: Site, slug: SlugPath) -> CategoryDetail:
    with site.db.read() as conn:
        return category_document(PageUrls(site.origin), conn, slug)
