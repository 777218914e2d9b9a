"""Serving over HTTP: which answers shared caches may keep (Cache-Control and ETag on public
pages, 304 to a client that has the page already), JSON, CSV and XML responses with validators,
CORS for reading from other sites, and RFC 9457 problem details for errors."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.http import HTTP_STATUS_CODES

from portal.db.queries import last_change
from portal.web.db import db_session

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Link, X-Total-Count, X-Row-Limit, RateLimit, RateLimit-Policy, "
        "Retry-After"
    ),
    "Access-Control-Max-Age": "86400",
    # Data is meant to be read by other sites; pages keep the stricter same-origin default.
    "Cross-Origin-Resource-Policy": "cross-origin",
}
PROBLEM_TYPE = "application/problem+json"

# How long a browser or a shared cache (nginx, a CDN) may reuse a public page before asking
# again with its ETag. Content changes only with `portal load`: at most a minute late.
PUBLIC_MAX_AGE = 60
# Pages that show a register's figures (debtors, victims) change with every import and delisting.
REGISTER_MAX_AGE = 10
# The areas whose answers are the same for everyone who asks for the same URL.
PUBLIC_BLUEPRINTS = frozenset(
    {"site", "press", "cases", "search", "feeds", "sitemap", "data", "statistics", "victims", "api"}
)
# Personal answers (the debtor lookup, the victims' status check): never kept by anyone, never
# indexed, whatever else they say and whatever their status (a refusal and a 429 too).
PRIVATE_ENDPOINTS = frozenset(
    {"debtors.index", "api.debtor_lookup", "victim_status.index", "api.victim_status"}
)
PRIVATE_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
# Search answers may be kept a while but never indexed: a results page is not content.
NOINDEX_ENDPOINTS = frozenset({"search.index", "search.results_csv", "feeds.search", "api.search"})
REGISTER_ENDPOINTS = frozenset(
    {
        "statistics.index",
        "data.index",
        "data.download",
        "data.catalogue",
        "data.datapackage",
        "victims.notice",
        "api.victim_statistics",
    }
)


def cache_public_pages(response: Response) -> Response:
    """Let browsers and shared caches keep a successful answer to a GET of a public page for a
    short while, with an ETag of its body to revalidate it by (304 when it still matches).
    Private answers and a preview's are `no-store`; a view's own Cache-Control (static files)
    is kept."""
    endpoint = request.endpoint or ""
    # A preview's pages show drafts: no cache may keep them.
    if endpoint in PRIVATE_ENDPOINTS or current_app.config["PREVIEW"]:
        return private_response(response)
    if endpoint in NOINDEX_ENDPOINTS:
        response.headers["X-Robots-Tag"] = "noindex"
    if (
        not public_request()
        or response.status_code != 200
        or "Cache-Control" in response.headers
        or "Set-Cookie" in response.headers
    ):
        return response
    max_age = REGISTER_MAX_AGE if endpoint in REGISTER_ENDPOINTS else PUBLIC_MAX_AGE
    # Written whole: there is no Cache-Control yet to merge with (checked above).
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    if not response.direct_passthrough:  # a file sent by its own rules carries its validators
        response.add_etag(overwrite=False)
    return response.make_conditional(request)


def public_request() -> bool:
    """Whether the current request reads a page that is the same for everyone who asks for its
    URL: a GET or HEAD in a public area, not a lookup, not in a preview."""
    endpoint = request.endpoint or ""
    return (
        request.method in ("GET", "HEAD")
        and endpoint not in PRIVATE_ENDPOINTS
        and not current_app.config["PREVIEW"]
        and endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS
    )


def private_response(response: Response) -> Response:
    """An answer no one may keep or index (a lookup, a search that held an identity number)."""
    response.headers.update(PRIVATE_HEADERS)
    return response


def init_http_caching(app: Flask) -> None:
    """Mark every answer of `app` as cacheable or not, by `cache_public_pages`."""
    app.after_request(cache_public_pages)


def data_response(body: str, mimetype: str, *, cors: bool = True, **headers: str) -> Response:
    """A response whose body is data: with a strong ETag (a hash of the body), the data's last
    change as Last-Modified, 304 when the client has it already, and CORS headers."""
    response = Response(body, mimetype=mimetype)
    if "charset" not in mimetype and (mimetype.startswith("text/") or "json" in mimetype):
        response.charset = "utf-8"
    response.headers.update(headers)
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    # A frozen copy's files carry no headers of ours, so the freeze skips the lookup.
    changed = None if current_app.config["STATIC_SITE"] else last_change(db_session())
    if changed is not None:
        response.last_modified = changed.replace(microsecond=0)
    if cors:
        response.headers.update(CORS_HEADERS)
    return response.make_conditional(request)


def json_response(data: Any, *, mimetype: str = "application/json", **headers: str) -> Response:
    """`data` as JSON text (Chinese as it is) in a data response."""
    return data_response(json.dumps(data, ensure_ascii=False), mimetype, **headers)


def problem(status: int, detail: str, **extra: Any) -> Response:
    """An RFC 9457 problem details response."""
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    response.headers.update(CORS_HEADERS)
    return response


def wants_problem_details() -> bool:
    """Errors under the API are answered as problem details, not as pages."""
    return request.path.startswith("/api/")
