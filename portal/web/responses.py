"""Serving data over HTTP: JSON, CSV and XML responses with validators (ETag, Last-Modified,
304), CORS for reading from other sites, and RFC 9457 problem details for errors."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, current_app, request
from werkzeug.http import HTTP_STATUS_CODES

from portal.db.queries import last_change
from portal.web.db import db_session

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, X-Total-Count, X-Row-Limit",
    "Access-Control-Max-Age": "86400",
    # Data is meant to be read by other sites; pages keep the stricter same-origin default.
    "Cross-Origin-Resource-Policy": "cross-origin",
}
PROBLEM_TYPE = "application/problem+json"


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
