"""Readers' image reports: the control, counting, thresholds and the abuse cases of SECURITY.md
"The report button" (F1–F4, F7). The site runs behind a trusted proxy at 127.0.0.1, which says
each reader's address in X-Forwarded-For, as a reverse proxy does in production."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx2
import pytest
from moderation_support import TOKEN, Reader, article_with_image
from newsroom_support import Newsroom
from sqlalchemy import select, text
from starlette.testclient import TestClient

from alaune.config import load_settings
from alaune.store import secrets
from alaune.store.engine import Database
from alaune.store.schema import image_reports, images, metadata
from alaune.web.app import create_app

THANKS_FR = (
    "Merci d'avoir signalé ! Cette image sera bloquée automatiquement après plusieurs signalements."
)


@pytest.fixture
def site(db: Database) -> Iterator[TestClient]:
    settings = load_settings(env={}, overrides={"trusted_proxies": ["127.0.0.1"]})
    app = create_app(settings, db, cache_ttl=0)
    with TestClient(app, raise_server_exceptions=False, client=("127.0.0.1", 40000)) as client:
        yield client


def _hidden(db: Database, image_id: int) -> bool:
    with db.read() as conn:
        return bool(
            conn.execute(select(images.c.hidden).where(images.c.id == image_id)).scalar_one()
        )


def _reports(db: Database, image_id: int) -> int:
    with db.read() as conn:
        rows = conn.execute(select(image_reports).where(image_reports.c.image_id == image_id))
        return len(rows.all())


def test_the_article_page_offers_the_control_in_each_language(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    article_id, image_id = article_with_image(newsroom, db)
    for prefix, label in (
        ("", "Signaler cette image"),
        ("/ar", "الإبلاغ عن هذه الصورة"),
        ("/en", "Report this image"),
    ):
        page = site.get(f"{prefix}/articles/{article_id}").text
        assert f'action="{prefix}/images/{image_id}/report"' in page
        assert label in page
        form = site.get(f"{prefix}/images/{image_id}/report?from={article_id}")
        assert form.status_code == 200
        assert form.headers["cache-control"] == "no-store"
        assert 'name="token"' in form.text
        assert 'name="reason"' in form.text


def test_a_report_thanks_the_reader_with_and_without_htmx(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    _, image_id = article_with_image(newsroom, db)
    response = Reader(site, "203.0.113.7").report(image_id)
    assert response.status_code == 200
    assert THANKS_FR in response.text
    assert "<html" in response.text
    reader = Reader(site, "198.51.100.9")
    token = reader.form_token(image_id, prefix="/ar")
    fragment = site.post(
        f"/ar/images/{image_id}/report",
        data={"token": token},
        headers={"Sec-Fetch-Site": "same-origin", "HX-Request": "true", **reader.headers},
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "شكرًا على إبلاغك" in fragment.text
    assert _reports(db, image_id) == 2


def test_three_reporters_from_two_networks_hide_the_image(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    article_id, image_id = article_with_image(newsroom, db)
    Reader(site, "203.0.113.7").report(image_id)
    Reader(site, "203.0.113.8").report(image_id)
    assert not _hidden(db, image_id)
    assert site.get(f"/images/{image_id}/x.webp").status_code == 200
    Reader(site, "198.51.100.1").report(image_id)
    assert _hidden(db, image_id)
    assert site.get(f"/images/{image_id}/x.webp").status_code == 404
    page = site.get(f"/articles/{article_id}").text
    assert f"/images/{image_id}/" not in page
    assert "Image masquée" in page


def test_f1_one_client_counts_once_then_is_rate_limited(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    _, image_id = article_with_image(newsroom, db)
    reader = Reader(site, "203.0.113.7")
    statuses = [reader.report(image_id).status_code for _ in range(15)]
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}
    assert _reports(db, image_id) == 1
    limited = reader.report(image_id)
    assert int(limited.headers["retry-after"]) > 0
    assert not _hidden(db, image_id)


def test_f1_bad_ids_and_hostile_reasons(newsroom: Newsroom, db: Database, site: TestClient) -> None:
    _, image_id = article_with_image(newsroom, db)
    assert site.get("/images/99999/report").status_code == 404
    assert site.get("/images/abc/report").status_code == 404
    assert site.post("/images/9999999999999/report").status_code == 404
    reader = Reader(site, "203.0.113.7")
    huge = "<script>alert(1)</script>" + "x" * 60_000
    assert reader.report(image_id, reason=huge).status_code == 200
    with db.read() as conn:
        reason = conn.execute(select(image_reports.c.reason)).scalar_one()
    assert len(reason) <= 500
    assert reason.startswith("<script>")
    too_big = reader.report(image_id, reason="y" * 70_000)
    assert too_big.status_code == 413


def test_f2_forged_forwarding_headers_from_one_socket_count_once(
    newsroom: Newsroom, db: Database
) -> None:
    _, image_id = article_with_image(newsroom, db)
    app = create_app(load_settings(env={}), db, cache_ttl=0)  # no trusted proxy
    with TestClient(app, client=("192.0.2.44", 40000)) as client:
        for n in range(20):
            forged = {
                "X-Forwarded-For": f"10.{n}.{n}.{n}, 172.16.{n}.1",
                "Forwarded": f"for=100.64.{n}.1",
                "X-Real-IP": f"198.18.{n}.1",
            }
            Reader(client).report(image_id, **forged)
    assert _reports(db, image_id) == 1
    assert not _hidden(db, image_id)


def test_f2_only_the_hops_after_the_trusted_proxy_count(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    _, image_id = article_with_image(newsroom, db)
    # The client wrote the left part itself; our proxy appended the address it saw.
    for n in range(5):
        Reader(site, f"10.{n}.0.1, 203.0.113.50").report(image_id)
    assert _reports(db, image_id) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {},
    ],
    ids=["cross-site", "same-site", "foreign-origin", "null-origin", "no-origin"],
)
def test_f3_cross_site_posts_are_refused(
    newsroom: Newsroom, db: Database, site: TestClient, headers: dict[str, str]
) -> None:
    _, image_id = article_with_image(newsroom, db)
    reader = Reader(site, "203.0.113.7")
    token = reader.form_token(image_id)
    response = site.post(
        f"/images/{image_id}/report",
        data={"token": token},
        headers={**headers, "X-Forwarded-For": "203.0.113.7"},
    )
    assert response.status_code == 403
    assert _reports(db, image_id) == 0


def test_f3_an_origin_header_of_ours_is_accepted(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    _, image_id = article_with_image(newsroom, db)
    reader = Reader(site, "203.0.113.7")
    token = reader.form_token(image_id)
    response = site.post(
        f"/images/{image_id}/report",
        data={"token": token},
        headers={"Origin": "http://testserver", "X-Forwarded-For": "203.0.113.7"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "token", ["", "garbage", "a.1.b", "x" * 300], ids=["missing", "garbage", "forged", "long"]
)
def test_f3_missing_or_forged_tokens_are_refused(
    newsroom: Newsroom, db: Database, site: TestClient, token: str
) -> None:
    _, image_id = article_with_image(newsroom, db)
    assert Reader(site, "203.0.113.7").report(image_id, token=token).status_code == 403
    assert _reports(db, image_id) == 0


def test_f3_replayed_tokens_and_tokens_of_another_image_are_refused(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    _, image_id = article_with_image(newsroom, db, seed=1)
    _, other_id = article_with_image(newsroom, db, seed=2)
    first = Reader(site, "203.0.113.7")
    token = first.form_token(image_id)
    assert first.report(image_id, token=token).status_code == 200
    assert Reader(site, "198.51.100.3").report(image_id, token=token).status_code == 403
    other_token = first.form_token(other_id)
    assert Reader(site, "198.51.100.4").report(image_id, token=other_token).status_code == 403
    assert _reports(db, image_id) == 1


def test_f3_expired_tokens_are_refused(newsroom: Newsroom, db: Database, site: TestClient) -> None:
    from alaune.auth import tokens
    from alaune.web.forms import form_key

    _, image_id = article_with_image(newsroom, db)
    state = site.app.state.site  # type: ignore[attr-defined]
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    old = tokens.sign_form(form_key(state, now), f"report:{image_id}", now.timestamp() - 3 * 3600)
    assert Reader(site, "203.0.113.7").report(image_id, token=old).status_code == 403


def test_f4_twenty_reporters_of_one_network_do_not_hide(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    _, image_id = article_with_image(newsroom, db, seed=3)
    _, v6_id = article_with_image(newsroom, db, seed=4)
    for n in range(20):
        Reader(site, f"203.0.113.{n + 1}").report(image_id)
        Reader(site, f"2001:db8:1:{n:x}::1").report(v6_id)
    # The network's hourly limit stops the rest; what was counted is one network.
    assert _reports(db, image_id) == 10
    assert not _hidden(db, image_id)
    assert not _hidden(db, v6_id)
    with db.read() as conn:
        networks = conn.execute(
            select(image_reports.c.network_key).where(image_reports.c.image_id == image_id)
        ).scalars()
        assert len(set(networks)) == 1


def test_f7_no_address_is_stored_and_keys_differ_per_image_and_window(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    _, first = article_with_image(newsroom, db, seed=5)
    _, second = article_with_image(newsroom, db, seed=6)
    address = "203.0.113.77"
    reader = Reader(site, address)
    reader.report(first)
    reader.report(second)
    dump = _dump(db)
    for needle in (address, "203.0.113.", "testclient", "python-httpx"):
        assert needle not in dump
    with db.read() as conn:
        keys = conn.execute(select(image_reports.c.image_id, image_reports.c.reporter_key)).all()
    assert len({key for _, key in keys}) == 2  # unlinkable across images


def test_f7_rotating_the_key_at_the_window_end_keeps_counts_inside_the_window(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    from datetime import UTC, datetime

    from alaune.moderation.keys import window_of

    _, image_id = article_with_image(newsroom, db)
    Reader(site, "203.0.113.7").report(image_id)
    window = window_of(datetime.now(UTC), 7.0)
    with db.write() as conn:
        secrets.report_key(conn, window - 1, now=datetime.now(UTC))  # an ended window's key
    Reader(site, "198.51.100.7").report(image_id)
    with db.read() as conn:
        assert secrets.report_windows(conn) == [window]  # the old key is gone
        reporters = conn.execute(select(image_reports.c.reporter_key)).scalars().all()
    assert len(set(reporters)) == 2
    Reader(site, "198.51.100.8").report(image_id)
    assert _hidden(db, image_id)  # the same window's key: counts kept


def _dump(db: Database) -> str:
    """Every value of every table, as text."""
    parts: list[str] = []
    with db.read() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(text(f"SELECT * FROM {table.name}")):
                parts.extend(
                    value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    for value in row
                )
    return "\n".join(parts)


def _three_networks(site: TestClient, image_id: int, start: int = 1) -> None:
    for address in (f"203.0.{start}.1", f"203.0.{start}.2", f"198.51.{start}.1"):
        Reader(site, address).report(image_id)


def test_f5_the_circuit_breaker_stops_a_brigade_against_one_outlet(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    from alaune.store import audit

    pictures = [article_with_image(newsroom, db, seed=10 + n)[1] for n in range(8)]
    for n, image_id in enumerate(pictures):
        _three_networks(site, image_id, start=n + 1)
    hidden = [image_id for image_id in pictures if _hidden(db, image_id)]
    assert len(hidden) == 5  # breaker_outlet_hides_per_hour
    with db.read() as conn:
        flagged = (
            conn.execute(
                select(images.c.id).where(
                    images.c.needs_review.is_(True), images.c.hidden.is_(False)
                )
            )
            .scalars()
            .all()
        )
        actions = [entry.action for entry in audit.entries(conn)]
    assert sorted(flagged) == sorted(set(pictures) - set(hidden))
    assert actions.count("breaker") == 3  # the admin is alerted for each
    assert "Automatic hiding paused" in site.get("/en/moderation").text
    with db.read() as conn:
        assert conn.execute(select(images.c.id)).scalars().all()  # nothing deleted


def test_f6_an_approved_image_is_not_hidden_again_and_the_admin_is_told(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    from alaune.store import audit
    from alaune.store import moderation as image_moderation

    _, image_id = article_with_image(newsroom, db)
    with db.write() as conn:
        image_moderation.approve(conn, image_id)
    for n in range(10):
        Reader(site, f"198.{n}.100.1").report(image_id)
    assert not _hidden(db, image_id)
    with db.read() as conn:
        assert image_moderation.state(conn, image_id).needs_review  # type: ignore[union-attr]
        actions = [entry.action for entry in audit.entries(conn)]
    assert actions == ["reported_approved"]


def test_hiding_spreads_to_wire_copies_and_the_same_picture_elsewhere(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    from newsroom_support import EXCERPT, HERALD

    from alaune.store.schema import articles

    original, image_id = article_with_image(newsroom, db, seed=20)
    copy, copy_image = article_with_image(newsroom, db, seed=21, outlet=EXCERPT)  # re-cropped
    with db.write() as conn:
        conn.execute(articles.update().where(articles.c.id == copy).values(copy_of=original))
    elsewhere, same_picture = article_with_image(newsroom, db, seed=20, outlet=HERALD)
    _, unrelated = article_with_image(newsroom, db, seed=22)
    _three_networks(site, image_id)
    assert _hidden(db, image_id)
    assert _hidden(db, copy_image)
    assert _hidden(db, same_picture)
    assert not _hidden(db, unrelated)
    assert "Image masquée" in site.get(f"/articles/{copy}").text
    assert "Image masquée" in site.get(f"/articles/{elsewhere}").text


def test_h3_reports_and_admin_edits_while_the_crawler_writes_never_see_a_locked_database(
    sqlite_db: Database,
) -> None:
    import threading

    from moderation_support import admin_post, make_admin, sign_in
    from served_support import served

    from alaune.store import moderation as image_moderation

    newsroom = Newsroom(sqlite_db)
    pictures = [article_with_image(newsroom, sqlite_db, seed=30 + n)[1] for n in range(5)]
    with sqlite_db.write() as conn:  # approved: counted, never hidden, so every form stays up
        for image_id in pictures:
            image_moderation.approve(conn, image_id)
    settings = load_settings(env={}, overrides={"trusted_proxies": ["127.0.0.1"]})
    app = create_app(settings, sqlite_db, cache_ttl=0)
    make_admin(sqlite_db)
    statuses: list[int] = []
    lock = threading.Lock()

    def crawler() -> None:  # a 500-item batch, one short transaction per article
        for _ in range(500):
            newsroom.add()

    def reader(base: str, n: int) -> None:
        # No retry: on one event loop the admission queue serves 51 requests at once in order,
        # so a 503 here could only be a database that reported itself locked (overload.py).
        with httpx2.Client(base_url=base, timeout=60) as client:
            reader = Reader(client, f"198.{n}.7.1")  # type: ignore[arg-type]
            page = client.get(f"/images/{pictures[n % 5]}/report", headers=reader.headers)
            token = TOKEN.search(page.text)
            assert token is not None, page.status_code
            status = reader.report(pictures[n % 5], token=token.group(1)).status_code
        with lock:
            statuses.append(status)

    def editor(base: str) -> None:
        with httpx2.Client(base_url=base, timeout=60) as client:
            sign_in(client)  # type: ignore[arg-type]
            for n in range(10):
                action = "pause" if n % 2 == 0 else "resume"
                status = admin_post(client, f"/admin/outlets/full/{action}").status_code  # type: ignore[arg-type]
                with lock:
                    statuses.append(status)

    # Served by uvicorn, one event loop, as in production: the clients are real HTTP clients.
    with served(app) as port:
        base = f"http://127.0.0.1:{port}"
        threads = [threading.Thread(target=crawler), threading.Thread(target=editor, args=(base,))]
        threads += [threading.Thread(target=reader, args=(base, n)) for n in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    assert sorted(set(statuses)) == [200, 303]
    assert statuses.count(200) == 50
    with sqlite_db.read() as conn:
        assert len(conn.execute(select(image_reports)).all()) == 50
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar_one() == 505


def test_f7_pruning_deletes_the_keys_of_ended_windows_even_without_reports(
    db: Database,
) -> None:
    from datetime import UTC, datetime, timedelta

    from alaune.ingest.retention import RetentionPolicy, prune
    from alaune.moderation.keys import window_of

    now = datetime.now(UTC)
    current = window_of(now, 7.0)
    with db.write() as conn:
        secrets.report_key(conn, current - 2, now=now - timedelta(days=14))
        secrets.report_key(conn, current, now=now)
    pruned = prune(db, RetentionPolicy(), now=now)
    assert pruned.report_keys == 1
    with db.read() as conn:
        assert secrets.report_windows(conn) == [current]


def test_the_article_json_gives_our_image_url_until_it_is_hidden(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    article_id, image_id = article_with_image(newsroom, db)
    document = site.get(f"/api/v1/articles/{article_id}").json()
    assert document["image_url"].startswith("http")
    assert f"/images/{image_id}/" in document["image_url"]
    assert "img.example" not in str(document)
    _three_networks(site, image_id)
    assert site.get(f"/api/v1/articles/{article_id}").json()["image_url"] is None
    assert site.get(f"/articles/{article_id}.json").json()["image_url"] is None


def test_inline_images_of_a_full_text_article_have_their_own_control(
    newsroom: Newsroom, db: Database, site: TestClient
) -> None:
    from moderation_support import picture, store_picture

    from alaune.store import images as image_store

    article_id, lead = article_with_image(newsroom, db, seed=40)
    with db.write() as conn:
        image_store.replace_inline(
            conn, article_id, ["https://img.example/in-1.jpg"], now=datetime.now(UTC)
        )
        inline_id = (
            image_store.inline_shown(conn, article_id)
            or conn.execute(text("SELECT image_id FROM article_images")).scalar_one()
        )
    store_picture(db, int(inline_id), picture(41))
    page = site.get(f"/articles/{article_id}").text
    assert f'data-image-report="{lead}"' in page
    assert f'data-image-report="{inline_id}"' in page
    _three_networks(site, int(inline_id))
    page = site.get(f"/articles/{article_id}").text
    assert f"/images/{inline_id}/" not in page
    assert f"/images/{lead}/" in page
