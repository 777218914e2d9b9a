"""Rendered pages and shared query results, kept in each worker until the content changes.

A page of press releases or cases depends on the loaded content alone, so once rendered it is
served again until `portal load` moves the content generation (portal/generations.py); each
request reads that one number. What depends on anything else (the debtor lookup, search, feeds
built from the search index, statistics with the register's live counts, the API) is never kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from flask import Flask, Response, current_app, g, request
from sqlalchemy.orm import Session

from portal.db.generations import GenerationCache, current_generation
from portal.web.db import db_session

# Endpoints whose pages depend on the loaded content and on nothing in the request but its path.
KEPT_BLUEPRINTS = ("press", "cases")
KEPT_ENDPOINTS = ("site.home", "site.about", "site.licence", "sitemap.sitemap", "sitemap.robots")
EXTENSION_KEY = "portal_page_cache"
# Set by the freeze while it renders, so that kept query results still count as read.
READ_RECORDER_KEY = "portal_read_recorder"

Value = TypeVar("Value")


class ReadRecorder(Protocol):
    """What the freeze's recorder offers to code that answers a read from memory."""

    def capture(self) -> Any: ...  # a context manager yielding the set of reads made inside

    def replay(self, reads: frozenset[tuple[Any, ...]]) -> None: ...


@dataclass(frozen=True)
class KeptPage:
    """A rendered response, before the per-response headers (security) are added."""

    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]


@dataclass
class Caches:
    pages: GenerationCache[KeptPage]
    queries: GenerationCache[tuple[Any, frozenset[tuple[Any, ...]]]]


def content_generation() -> int:
    """The content generation, read once per request."""
    if "content_generation" not in g:
        g.content_generation = current_generation(db_session())
    return g.content_generation


def memoized(function: Callable[..., Value], session: Session, *args: Hashable) -> Value:
    """`function(session, *args)`, kept until the content changes. Only for functions of the
    content that return plain values (never ORM rows, which belong to one session)."""
    caches: Caches = current_app.extensions[EXTENSION_KEY]
    recorder: ReadRecorder | None = current_app.extensions.get(READ_RECORDER_KEY)
    key = (function.__module__, function.__qualname__, *args)

    def compute() -> tuple[Value, frozenset[tuple[Any, ...]]]:
        if recorder is None:
            return function(session, *args), frozenset()
        with recorder.capture() as reads:
            value = function(session, *args)
        return value, frozenset(reads)

    value, reads = caches.queries.get_or_compute(content_generation(), key, compute)
    if recorder is not None:
        recorder.replay(reads)
    return value


def _is_kept_endpoint(endpoint: str | None) -> bool:
    if endpoint is None:
        return False
    return endpoint in KEPT_ENDPOINTS or endpoint.split(".", 1)[0] in KEPT_BLUEPRINTS


def _may_keep(app: Flask) -> bool:
    # A query string could make every request a new entry; the kept pages ignore it anyway.
    return (
        app.config["PAGE_CACHE_SIZE"] > 0
        and not app.config["FREEZING"]
        and request.method == "GET"
        and not request.query_string
        and _is_kept_endpoint(request.endpoint)
    )


def init_page_cache(app: Flask) -> None:
    """Keep rendered pages and shared query results; register after the security headers, so
    that a kept page is stored without them and gets them fresh each time it is served."""
    caches = Caches(
        pages=GenerationCache(app.config["PAGE_CACHE_SIZE"]),
        queries=GenerationCache(app.config["QUERY_CACHE_SIZE"]),
    )
    app.extensions[EXTENSION_KEY] = caches

    @app.before_request
    def serve_kept_page() -> Response | None:
        if not _may_keep(app):
            return None
        kept = caches.pages.get(content_generation(), request.path)
        if kept is None:
            return None
        g.served_kept_page = True
        return Response(kept.body, status=kept.status, headers=list(kept.headers))

    @app.after_request
    def keep_page(response: Response) -> Response:
        if (
            response.status_code == 200
            and not g.get("served_kept_page")
            and not response.is_streamed
            and "Set-Cookie" not in response.headers
            and "no-store" not in (response.headers.get("Cache-Control") or "")
            and _may_keep(app)
        ):
            headers = tuple(
                (name, value) for name, value in response.headers if name != "Content-Length"
            )
            page = KeptPage(response.get_data(), response.status_code, headers)
            caches.pages.put(content_generation(), request.path, page)
        return response
