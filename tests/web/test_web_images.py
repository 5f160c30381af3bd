"""Serving the images alaune stored: sandboxing headers (SECURITY.md E1), a plain 404 for hidden,
unknown or garbage ids that never reflects the URL (E2), and pages that show only our own copy."""

from __future__ import annotations

import io
import re

import pytest
from newsroom_support import FULL, NOW, Newsroom
from PIL import Image
from sqlalchemy import select
from starlette.testclient import TestClient

from alaune.media import process_image
from alaune.store import images as image_store
from alaune.store.engine import Database
from alaune.store.schema import articles

OUTLET_IMAGE = "https://e.example/photo.jpg"
SANDBOX = "default-src 'none'; form-action 'none'; sandbox"


def _picture(size: tuple[int, int] = (1600, 900)) -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize(size).convert("RGB").save(out, format="JPEG")
    return out.getvalue()


def _article_with_stored_image(newsroom: Newsroom, db: Database, **changes: object) -> int:
    article_id = newsroom.add(FULL, image_url=OUTLET_IMAGE, **changes)
    stored = process_image(_picture())
    with db.write() as conn:
        image_id = conn.execute(
            select(articles.c.image_id).where(articles.c.id == article_id)
        ).scalar_one()
        width, height = stored.size
        image_store.save_stored(
            conn,
            image_id,
            media_type=stored.media_type,
            width=width,
            height=height,
            data=stored.data,
            thumbnail=stored.thumbnail,
            phash=stored.phash,
            now=NOW,
        )
    return int(image_id)


def _img_sources(body: str) -> list[str]:
    return re.findall(r'<img[^>]*\ssrc="([^"]+)"', body)


def test_a_stored_image_is_served_with_sandboxing_headers(
    newsroom: Newsroom, db: Database, client: TestClient
) -> None:
    image_id = _article_with_stored_image(newsroom, db)
    for path, largest in (
        (f"/images/{image_id}/x.webp", 1200),
        (f"/images/{image_id}/thumb/x", 400),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/webp"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers.get_list("content-security-policy") == [SANDBOX]
        assert (
            response.headers["content-disposition"] == f'inline; filename="alaune-{image_id}.webp"'
        )
        assert "max-age=" in response.headers["cache-control"]
        assert response.content[:4] == b"RIFF"
        with Image.open(io.BytesIO(response.content)) as served:
            assert max(served.size) <= largest
            assert not served.info.get("exif")


def test_the_name_in_the_path_is_never_reflected(
    newsroom: Newsroom, db: Database, client: TestClient
) -> None:
    image_id = _article_with_stored_image(newsroom, db)
    response = client.get(f'/images/{image_id}/"%0d%0aSet-Cookie:x=1;<script>.webp')
    assert response.status_code == 200
    assert "script" not in response.headers["content-disposition"]
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "path",
    [
        "/images/999/x.webp",
        "/images/999/thumb/x.webp",
        "/images/abc/x.webp",
        "/images/-1/x.webp",
        "/images/99999999999999999999/x.webp",
        "/images/%3Cscript%3Ealert(1)%3C%2Fscript%3E/x",
        "/images/1",
        "/images/aHR0cDovLzEyNy4wLjAuMS8=/x.png",
    ],
)
def test_unknown_or_garbage_ids_are_a_plain_404_that_never_reflects_the_url(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text == "image not found"


def test_hidden_pending_and_rejected_images_are_not_served_nor_shown(
    newsroom: Newsroom, db: Database, client: TestClient
) -> None:
    image_id = _article_with_stored_image(newsroom, db)
    with db.write() as conn:
        image_store.set_hidden(conn, image_id, True)
    assert client.get(f"/images/{image_id}/x.webp").status_code == 404
    assert client.get(f"/images/{image_id}/thumb/x.webp").status_code == 404
    assert _img_sources(client.get("/articles/1").text) == []
    assert _img_sources(client.get("/").text) == []
    with db.write() as conn:
        image_store.set_hidden(conn, image_id, False)
    assert client.get(f"/images/{image_id}/x.webp").status_code == 200

    pending_article = newsroom.add(FULL, image_url="https://e.example/pending.jpg")
    rejected_article = newsroom.add(FULL, image_url="https://e.example/rejected.jpg")
    with db.write() as conn:
        rows = dict(
            conn.execute(
                select(articles.c.id, articles.c.image_id).where(
                    articles.c.id.in_([pending_article, rejected_article])
                )
            ).all()
        )
        image_store.save_rejected(conn, rows[rejected_article], "not_an_image", now=NOW)
    for article_id in (pending_article, rejected_article):
        assert client.get(f"/images/{rows[article_id]}/x.webp").status_code == 404
        assert _img_sources(client.get(f"/articles/{article_id}").text) == []


def test_pages_show_only_our_own_copy_with_alt_text_and_size(
    newsroom: Newsroom, db: Database, client: TestClient
) -> None:
    image_id = _article_with_stored_image(newsroom, db, title="Le port de <Tanger> s'agrandit")
    newsroom.add(FULL, image_url="https://e.example/other.jpg")  # not downloaded yet
    article = client.get("/articles/1").text
    (img,) = re.findall(r"<img[^>]*>", article.split("<main", 1)[1])
    assert f'src="/images/{image_id}/alaune-{image_id}.webp"' in img
    assert 'alt="Le port de &lt;Tanger&gt; s&#39;agrandit"' in img
    assert 'width="1200"' in img
    assert 'height="675"' in img
    home = client.get("/").text
    thumbs = _img_sources(home)
    assert thumbs
    assert set(thumbs) == {f"/images/{image_id}/thumb/alaune-{image_id}.webp"}
    assert 'width="400" height="225"' in home
    for path in ("/", "/articles/1", "/articles/2", "/stories/1", "/outlets/" + FULL.id):
        body = client.get(path).text
        for outlet_image in (OUTLET_IMAGE, "e.example/other.jpg"):
            assert outlet_image not in body, path  # never an outlet's image URL
        for src in _img_sources(body):
            assert src.startswith("/images/"), (path, src)
    document = client.get("/index.json").json()
    urls = [s.get("image_url") for s in document.get("stories", document.get("items", []))]
    assert any(
        url and url.endswith(f"/images/{image_id}/thumb/alaune-{image_id}.webp") for url in urls
    )
