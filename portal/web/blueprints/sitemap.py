"""sitemap.xml, with every public page, its hreflang alternates and its last change; and
robots.txt, which points to it and keeps crawlers off the debtor lookup and the status check."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue

from portal.db.site_map import public_pages
from portal.text.languages import LANGUAGES
from portal.web.db import db_session
from portal.web.i18n import absolute_url
from portal.web.responses import data_response

bp = Blueprint("sitemap", __name__)

# Paths no crawler should walk: the lookup of named people and the victims' status check, on the
# site and in the API.
PRIVATE_PATHS = (
    "/en/debtors/",
    "/zh/debtors/",
    "/api/v1/debtors/",
    "/en/victims/status/",
    "/zh/victims/status/",
    "/api/v1/victims/status",
)


@bp.route("/sitemap.xml")
def sitemap() -> ResponseReturnValue:
    config = current_app.config
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    pages = public_pages(db_session(), config["PRESS_PAGE_SIZE"], config["CASES_PAGE_SIZE"])
    for page in pages:
        urls = {
            lang: absolute_url(page.endpoint, lang=lang, **page.values) for lang in page.languages
        }
        for url in urls.values():
            lines.append(f"<url><loc>{escape(url)}</loc>")
            if page.lastmod is not None:
                lines.append(
                    f"<lastmod>{page.lastmod.replace(microsecond=0).isoformat()}</lastmod>"
                )
            if len(urls) > 1:
                lines += [
                    f'<xhtml:link rel="alternate" hreflang="{LANGUAGES[other].html_lang}" '
                    f"href={quoteattr(other_url)}/>"
                    for other, other_url in urls.items()
                ]
            lines.append("</url>")
    lines.append("</urlset>")
    return data_response("\n".join(lines) + "\n", "application/xml", cors=False)


@bp.route("/robots.txt")
def robots() -> ResponseReturnValue:
    prefix = urlsplit(current_app.config["SITE_URL"]).path.rstrip("/")
    lines = ["User-agent: *", *(f"Disallow: {prefix}{path}" for path in PRIVATE_PATHS)]
    lines.append(f"Sitemap: {absolute_url('sitemap.sitemap')}")
    return data_response("\n".join(lines) + "\n", "text/plain", cors=False)
