"""The admin area's routes (mounted into the site's one route table, `web.routes`)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from alaune.web.admin import articles, images, login, outlets
from alaune.web.admin.audit_page import audit_log

POST = ["POST"]


def admin_routes() -> list[BaseRoute]:
    return [
        Route("/admin", images.dashboard, name="admin"),
        Route("/admin/login", login.login_page, name="admin_login_form"),
        Route("/admin/login", login.login, methods=POST, name="admin_login"),
        Route("/admin/logout", login.logout, methods=POST, name="admin_logout"),
        Route("/admin/images/{image_id:id}", images.image, name="admin_image"),
        Route("/admin/images/{image_id:id}/thumb", images.thumbnail, name="admin_thumbnail"),
        Route(
            "/admin/images/{image_id:id}/{action}",
            images.act,
            methods=POST,
            name="admin_image_action",
        ),
        Route("/admin/articles", articles.articles_page, name="admin_articles"),
        Route(
            "/admin/articles/hide", articles.hide_article, methods=POST, name="admin_article_hide"
        ),
        Route(
            "/admin/articles/restore",
            articles.restore_article,
            methods=POST,
            name="admin_article_restore",
        ),
        Route("/admin/outlets", outlets.outlets_page, name="admin_outlets"),
        Route("/admin/outlets/add", outlets.add, methods=POST, name="admin_outlet_add"),
        Route("/admin/outlets/{outlet_id:outlet}", outlets.edit_page, name="admin_outlet"),
        Route(
            "/admin/outlets/{outlet_id:outlet}",
            outlets.save,
            methods=POST,
            name="admin_outlet_save",
        ),
        Route(
            "/admin/outlets/{outlet_id:outlet}/{action}",
            outlets.act,
            methods=POST,
            name="admin_outlet_action",
        ),
        Route("/admin/audit", audit_log, name="admin_audit"),
    ]
