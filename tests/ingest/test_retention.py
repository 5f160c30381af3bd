"""Retention (issue 3, item 7): raw HTML, articles and poll history pruned past their age.

Rows are written with chosen first-seen times; pruning is asked "as of" a given time, so
nothing depends on the machine's clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_support import outlet
from sqlalchemy import func, select

from alaune.cli.main import cli
from alaune.ingest.retention import Pruned, Pruner, RetentionPolicy, prune
from alaune.store import articles, feeds, migrate, outlets, polls, retention, tombstones
from alaune.store.engine import Database, open_database
from alaune.store.schema import articles as articles_table

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def seed(db: Database, ages_in_days: list[int], *, now: datetime = NOW) -> None:
    """One article and one poll per age, first seen that many days before `now`."""
    with db.write() as conn:
        outlets.sync_outlets(conn, [outlet("echo", "https://echo.example/rss.xml")], now=now)
    with db.read() as conn:
        feed_id = feeds.list_feeds(conn)[0].id
    for i, age in enumerate(ages_in_days):
        seen = now - timedelta(days=age)
        with db.write() as conn:
            articles.add_article(
                conn,
                articles.NewArticle(
                    outlet_id="echo",
                    canonical_url=f"https://echo.example/a/{i}",
                    url=f"https://echo.example/a/{i}",
                    title=f"Titre {i}",
                    published_at=seen,
                    first_seen_at=seen,
                    raw_html=b"<html>page</html>",
                ),
            )
            polls.record_polls(
                conn, [polls.PollRecord(feed_id=feed_id, at=seen, outcome="not_modified")]
            )


def raw_html_left(db: Database) -> int:
    with db.read() as conn:
        query = select(func.count()).where(articles_table.c.raw_html.is_not(None))
        return int(conn.execute(query).scalar_one())


def test_raw_html_and_polls_pruned_articles_kept_by_default(db: Database) -> None:
    seed(db, [1, 10, 40, 400])
    pruned = prune(db, RetentionPolicy(), now=NOW)  # defaults: 30 days of pages and polls
    assert pruned == Pruned(raw_html=2, articles=0, polls=2)
    assert raw_html_left(db) == 2
    with db.read() as conn:
        assert articles.count_articles(conn) == 4
        assert articles.latest(conn, limit=10)[0].title == "Titre 0"


def test_old_articles_are_removed_and_tombstoned(db: Database) -> None:
    seed(db, [1, 10, 40, 400])
    pruned = prune(db, RetentionPolicy(articles_days=30, raw_html_days=0, polls_days=0), now=NOW)
    assert pruned == Pruned(raw_html=0, articles=2, polls=0)
    with db.read() as conn:
        assert articles.count_articles(conn) == 2
        gone = tombstones.tombstoned(conn, [f"https://echo.example/a/{i}" for i in range(4)])
        assert gone == {"https://echo.example/a/2", "https://echo.example/a/3"}
        assert tombstones.reason_for(conn, "https://echo.example/a/3") == "retention"


def test_zero_keeps_everything(db: Database) -> None:
    seed(db, [400])
    policy = RetentionPolicy(articles_days=0, raw_html_days=0, polls_days=0)
    assert prune(db, policy, now=NOW) == Pruned()
    assert raw_html_left(db) == 1


def test_pruning_works_in_batches(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(db, [40] * 7)
    original = retention.prune_raw_html
    calls = []

    def small(conn: object, *, before: datetime, limit: int = 3) -> int:
        calls.append(1)
        return original(conn, before=before, limit=3)  # type: ignore[arg-type]

    monkeypatch.setattr(retention, "prune_raw_html", small)
    monkeypatch.setattr(retention, "BATCH", 3)
    assert prune(db, RetentionPolicy(polls_days=0), now=NOW).raw_html == 7
    assert len(calls) == 3  # 3 + 3 + 1


def test_the_loop_prunes_at_most_hourly(db: Database) -> None:
    seed(db, [40])
    pruner = Pruner(db, RetentionPolicy())
    assert pruner.maybe_run(NOW) == Pruned(raw_html=1, articles=0, polls=1)
    assert pruner.maybe_run(NOW + timedelta(minutes=59)) is None
    assert pruner.maybe_run(NOW + timedelta(minutes=60)) == Pruned()


def test_prune_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'prune.db'}"
    database = open_database(url)
    migrate.upgrade(database)
    seed(database, [1, 40], now=datetime.now(UTC))  # the command prunes as of now
    database.dispose()
    runner = CliRunner()
    result = runner.invoke(cli, ["--database", url, "prune"])
    assert result.exit_code == 0, result.output
    assert "Pruned 1 stored pages, 0 articles and 1 poll records" in result.output
    again = runner.invoke(cli, ["--database", url, "prune"])
    assert "nothing pruned" in again.output
