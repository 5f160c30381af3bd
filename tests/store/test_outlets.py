"""Outlets in the store, on SQLite and PostgreSQL: the registry entry in, the same Outlet out."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy import select, update

from alaune.model import FeedRef, Outlet
from alaune.sources import load_registry
from alaune.store import feeds, outlets
from alaune.store.engine import Database
from alaune.store.schema import outlets as outlets_table

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
FULL = Outlet(
    id="le360-fr",
    name="Le360",
    homepage="https://fr.le360.ma/",
    languages=("fr", "ar"),
    country="MA",
    feeds=(
        FeedRef("https://fr.le360.ma/arc/outboundfeeds/rss/?outputType=xml", "rss"),
        FeedRef("https://fr.le360.ma/sitemap-news.xml", "sitemap"),
    ),
    policy="full",
    agency=True,
    sections=(("/sports", "sport"), ("Économie", "economie"), ("رياضة", "sport")),
    include=(r"/\d{4}/",),
    exclude=(r"(?i)/video/",),
    verified=False,
    poll_interval=600.0,
)
PLAIN = Outlet(id="plain", name="Plain", homepage="https://plain.example.com/", languages=("en",))


def stored(db: Database, *, include_paused: bool = False) -> dict[str, Outlet]:
    with db.read() as conn:
        return {o.id: o for o in outlets.list_registry(conn, include_paused=include_paused)}


def test_an_outlet_comes_back_as_it_went_in(db: Database) -> None:
    with db.write() as conn:
        assert outlets.sync_outlets(conn, [FULL, PLAIN], now=NOW) == 2
    assert stored(db) == {"le360-fr": FULL, "plain": PLAIN}


def test_the_row_carries_what_the_crawler_needs(db: Database) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [FULL], now=NOW)
    with db.read() as conn:
        row = outlets.get_outlet(conn, "le360-fr")
        refs = [FeedRef(f.url, f.kind) for f in feeds.list_feeds(conn, outlet_ids={"le360-fr"})]
    assert row is not None
    assert (row.verified, row.paused, row.country, row.poll_interval) == (False, False, "MA", 600.0)
    assert row.sections == FULL.sections
    assert (row.include, row.exclude) == (FULL.include, FULL.exclude)
    assert outlets.outlet_from_row(row, refs) == FULL


def test_a_registry_change_updates_verified_and_config(db: Database) -> None:
    changed = dataclasses.replace(
        FULL,
        verified=True,
        sections=(("Sport", "sport"),),
        include=(),
        poll_interval=None,
        feeds=(FeedRef(FULL.feeds[0].url, "auto"),),
    )
    with db.write() as conn:
        outlets.sync_outlets(conn, [FULL], now=NOW)
        assert outlets.sync_outlets(conn, [changed], now=NOW) == 0
    assert stored(db)["le360-fr"] == changed


def test_paused_is_an_admin_decision_the_registry_never_overwrites(db: Database) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [FULL, PLAIN], now=NOW)
        conn.execute(update(outlets_table).where(outlets_table.c.id == "plain").values(paused=True))
        outlets.sync_outlets(conn, [FULL, PLAIN], now=NOW)
    assert set(stored(db)) == {"le360-fr"}
    assert set(stored(db, include_paused=True)) == {"le360-fr", "plain"}
    with db.read() as conn:
        row = outlets.get_outlet(conn, "plain")
    assert row is not None
    assert row.paused


def test_rows_from_before_the_config_column_read_as_defaults(db: Database) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [FULL], now=NOW)
        conn.execute(update(outlets_table).values(config="{}"))
    assert stored(db)["le360-fr"] == dataclasses.replace(
        FULL, sections=(), include=(), exclude=(), poll_interval=None
    )


def test_an_unreadable_config_does_not_break_listing(db: Database) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [FULL], now=NOW)
        conn.execute(
            update(outlets_table).values(config='{"sections": "oops", "poll_interval": true')
        )
    assert stored(db)["le360-fr"].sections == ()


def test_the_config_is_readable_json_with_arabic_as_is(db: Database) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [FULL], now=NOW)
    with db.read() as conn:
        config = conn.execute(select(outlets_table.c.config)).scalar_one()
    assert '["رياضة","sport"]' in config
    assert '"poll_interval":600.0' in config


def test_the_whole_shipped_registry_round_trips(db: Database) -> None:
    registry = load_registry()
    with db.write() as conn:
        assert outlets.sync_outlets(conn, registry, now=NOW) == len(registry)
    assert stored(db) == {o.id: o for o in registry}
