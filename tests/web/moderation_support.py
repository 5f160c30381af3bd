"""Helpers of the moderation tests: articles with stored images, and a reader who reports.

`Reader.report` does what a browser does: load the report form (a fresh signed token), then post
it from our own page (`Sec-Fetch-Site: same-origin`). Addresses reach the site the way they do in
production: as the socket peer, or in `X-Forwarded-For` from a trusted proxy.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from typing import Any

from newsroom_support import FULL, NOW, Newsroom
from PIL import Image, ImageDraw
from sqlalchemy import select
from starlette.testclient import TestClient

from alaune.media import process_image
from alaune.model import Outlet
from alaune.store import images as image_store
from alaune.store.engine import Database
from alaune.store.schema import articles

TOKEN = re.compile(r'name="token" value="([^"]+)"')


def picture(seed: int = 0, size: tuple[int, int] = (800, 450)) -> bytes:
    """A JPEG whose look (and pHash) depends on `seed`."""
    image = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        box = ((seed * 37 + i * 91) % 700, (seed * 53 + i * 29) % 380)
        draw.rectangle((box, (box[0] + 100, box[1] + 60)), fill=(20 * i, 0, 255 - 30 * i))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def store_picture(db: Database, image_id: int, data: bytes) -> None:
    stored = process_image(data)
    with db.write() as conn:
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


def article_with_image(
    newsroom: Newsroom,
    db: Database,
    *,
    seed: int = 0,
    outlet: Outlet = FULL,
    url: str | None = None,
    **changes: Any,
) -> tuple[int, int]:
    """(article id, image id) of a new article whose lead image alaune stored."""
    n = newsroom.count + 1
    article_id = newsroom.add(outlet, image_url=url or f"https://img.example/{n}.jpg", **changes)
    with db.read() as conn:
        image_id = conn.execute(
            select(articles.c.image_id).where(articles.c.id == article_id)
        ).scalar_one()
    store_picture(db, int(image_id), picture(seed))
    return article_id, int(image_id)


class Reader:
    """One browser: `forwarded_for` is the address a trusted proxy says it has."""

    def __init__(self, client: TestClient, forwarded_for: str | None = None) -> None:
        self.client = client
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}

    def form_token(self, image_id: int, prefix: str = "") -> str:
        page = self.client.get(f"{prefix}/images/{image_id}/report", headers=self.headers)
        assert page.status_code == 200, page.text
        found = TOKEN.search(page.text)
        assert found is not None
        return found.group(1)

    def report(
        self, image_id: int, *, reason: str = "", token: str | None = None, **headers: str
    ) -> Any:
        data = {
            "token": token if token is not None else self.form_token(image_id),
            "reason": reason,
        }
        sent = {"Sec-Fetch-Site": "same-origin", **self.headers, **headers}
        return self.client.post(f"/images/{image_id}/report", data=data, headers=sent)


CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LOGIN_TOKEN = re.compile(r'name="token" value="([^"]+)"')
PASSWORD = "correct horse battery"


def make_admin(db: Database, name: str = "editor", password: str = PASSWORD) -> None:
    from datetime import UTC, datetime

    from alaune.auth.passwords import hash_password
    from alaune.store import admins

    with db.write() as conn:
        admins.create_user(conn, name, hash_password(password), now=datetime.now(UTC))


def patiently(send: Callable[[], Any], tries: int = 20) -> Any:
    """`send()` again while the site answers 503 (its admission limit, web/overload.py: a fair
    answer when a test fires dozens of requests at once), as Retry-After asks."""
    for _ in range(tries - 1):
        response = send()
        if response.status_code != 503:
            return response
        time.sleep(0.1)
    return send()


def sign_in(
    client: TestClient, name: str = "editor", password: str = PASSWORD, next_path: str = ""
) -> Any:
    page = patiently(lambda: client.get("/admin/login"))
    found = LOGIN_TOKEN.search(page.text)
    assert found is not None
    data = {"token": found.group(1), "name": name, "password": password}
    if next_path:
        data["next"] = next_path
    return patiently(
        lambda: client.post(
            "/admin/login",
            data=data,
            headers={"Sec-Fetch-Site": "same-origin"},
            follow_redirects=False,
        )
    )


def csrf_of(client: TestClient, path: str = "/admin") -> str:
    page = patiently(lambda: client.get(path))
    assert page.status_code == 200, page.text[:300]
    found = CSRF.search(page.text)
    assert found is not None
    return found.group(1)


def admin_post(client: TestClient, path: str, data: dict[str, str] | None = None) -> Any:
    form = {"csrf": csrf_of(client), **(data or {})}
    return patiently(
        lambda: client.post(
            path, data=form, headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False
        )
    )
