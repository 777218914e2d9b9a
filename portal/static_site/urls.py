"""Every URL of the static copy, as Frozen-Flask's URL generators need them: paths below where
the site is mounted (PORTAL_SITE_URL's path), with the files they are written to."""

from __future__ import annotations

import posixpath
from unicodedata import normalize
from urllib.parse import unquote, urlsplit

from flask import Flask, url_for
from flask_frozen import walk_directory
from sqlalchemy.orm import Session

from portal.db.queries import attachment_paths
from portal.db.site_map import public_pages
from portal.opendata import datasets as opendata
from portal.static_site.app import NOT_FOUND_PAGE, rendered_last
from portal.text.languages import LANGUAGE_CODES

# Pages listed for each language besides those the site map names, when the app has them.
LANGUAGE_PAGES = (
    "search.index",
    "search.opensearch",
    "debtors.index",
    "victim_status.index",
    "feeds.press",
    "feeds.cases",
    "feeds.index",
    "feeds.stylesheet",
    "feeds.victims",
)


def base_path(app: Flask) -> str:
    """The sub-path the site is served from ('' at the root), from PORTAL_SITE_URL."""
    return urlsplit(app.config["SITE_URL"]).path.rstrip("/")


def output_path(url: str) -> str:
    """The file a URL (below the base path) is written to, relative to the output; as
    Frozen-Flask names it (unquoted, NFC)."""
    path = normalize("NFC", unquote(url.split("?", 1)[0].split("#", 1)[0])).lstrip("/")
    return posixpath.join(path, "index.html") if path == "" or path.endswith("/") else path


def freeze_urls(app: Flask, session: Session) -> list[str]:
    """Every URL the static copy holds, below the base path; the open-data downloads first (the
    biggest files), so that render processes sharing the rest finish together, and the pages
    made from other files (rendered_last) last, so that one Freezer over the list is right."""
    config = app.config
    downloads: list[str] = []
    urls: list[str] = ["/", NOT_FOUND_PAGE]
    with app.test_request_context("/"):
        for page in public_pages(session, config["PRESS_PAGE_SIZE"], config["CASES_PAGE_SIZE"]):
            urls += [url_for(page.endpoint, lang=lang, **page.values) for lang in page.languages]
            if page.endpoint == "cases.facet" and "page" not in page.values:
                urls += [
                    url_for("feeds.facet", lang=lang, **page.values) for lang in LANGUAGE_CODES
                ]
        for lang in LANGUAGE_CODES:
            urls += [url_for(e, lang=lang) for e in LANGUAGE_PAGES if e in app.view_functions]
        for dataset in opendata.published_datasets(session):
            downloads += [
                url_for("data.download", key=dataset.key, format=f) for f in ("csv", "json")
            ]
            urls.append(url_for("data.json_schema", key=dataset.key))
        urls += [
            url_for(endpoint)
            for endpoint in (
                "data.datapackage",
                "sitemap.sitemap",
                "sitemap.robots",
            )
        ]
        paths = attachment_paths(session)
        urls += [url_for("site.attachment_file", path=path) for path in paths]
        folder = app.static_folder or ""
        urls += [url_for("static", filename=name) for name in sorted(walk_directory(folder))]
    urls += sorted(rendered_last(app))
    return list(dict.fromkeys(downloads + urls))
