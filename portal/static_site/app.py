"""The app that renders the static copy: built with STATIC_SITE set, never switched on later."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, url_for
from werkzeug.exceptions import NotFound

from portal.web import create_app
from portal.web.db import database_engine
from portal.web.errors import error_response

NOT_FOUND_PAGE = "/404.html"
# Written whole by the steps after the pages, so never a stale file of the pages' freeze.
REGENERATED = ("pagefind/", "static-lookup/")
# Pages made from other files of the output: the parent's sweeping freezer renders them once
# every other file is written. The catalogue gives each download's size as written.
RENDERED_LAST = ("data.catalogue",)
# What the static copy's app sets whatever the portal's settings say: Frozen-Flask writing into
# one destination, failing on any redirect.
STATIC_SITE_SETTINGS: dict[str, Any] = {
    "STATIC_SITE": True,
    "PREVIEW": False,  # drafts and scheduled items never reach the static copy
    # Every file rendered afresh, and never a static page kept where the live portal reads.
    "PAGE_CACHE_URL": "",
    "FREEZER_REDIRECT_POLICY": "error",
    "FREEZER_IGNORE_MIMETYPE_WARNINGS": True,  # a static host types files by their extension
    "FREEZER_DESTINATION_IGNORE": list(REGENERATED),
}


def settings_of(source: Flask | Mapping[str, Any]) -> dict[str, Any]:
    """The settings a static-site app is built from: an app's configuration, or settings."""
    return dict(source.config if isinstance(source, Flask) else source)


def static_site_app(
    settings: Mapping[str, Any], destination: Path, *, sweeping: bool = False
) -> Flask:
    """A new app that renders the static copy into `destination` with Frozen-Flask; a sweeping
    one renders only missing files and the RENDERED_LAST pages, and removes the files that are
    not among its URLs."""
    app = create_app(
        {
            **settings,
            **STATIC_SITE_SETTINGS,
            "FREEZER_DESTINATION": str(Path(destination).resolve()),
            "FREEZER_BASE_URL": settings["SITE_URL"],
            "FREEZER_SKIP_EXISTING": False,
            "FREEZER_REMOVE_EXTRA_FILES": sweeping,
        }
    )
    app.add_url_rule(NOT_FOUND_PAGE, "static_site.not_found", _not_found_page)
    # Frozen-Flask requests each page while a request context of its own is active, and Flask
    # would reuse that context's `g` for every page: one page's language, translations and
    # database session would leak into the next. Each page gets a context of its own, as on a
    # live server.
    app.wsgi_app = _in_own_context(app.wsgi_app)  # type: ignore[method-assign]
    if sweeping:  # every other file exists when the sweep runs
        last = rendered_last(app)
        app.config["FREEZER_SKIP_EXISTING"] = lambda url, _path: url not in last
    return app


def rendered_last(app: Flask) -> frozenset[str]:
    """The URLs (below the base path) of the RENDERED_LAST pages."""
    with app.test_request_context("/"):
        return frozenset(url_for(endpoint) for endpoint in RENDERED_LAST)


def _not_found_page() -> Response:
    """The page a static host shows for a missing file (served with its own 404 status)."""
    response = error_response(NotFound())
    response.status_code = 200
    return response


def _in_own_context(wsgi_app: Any) -> Any:
    def run(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return contextvars.Context().run(wsgi_app, environ, start_response)

    return run


def dispose(app: Flask) -> None:
    """Close the app's database connections (before forking, and when done)."""
    database_engine(app).dispose()
