"""Designed error pages, in the language of the URL that failed; RFC 9457 problem details
(application/problem+json) for the JSON API under /api/."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, make_response, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from portal.web_i18n import language_of_path

API_PREFIX = "/api/"
ERROR_TEMPLATES = {404: "errors/404.html", 429: "errors/429.html"}


def problem(status: int, detail: str, **members: Any) -> Response:
    """An RFC 9457 problem details response; `members` are extension members."""
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **members,
    }
    response = current_app.json.response(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def error_response(error: HTTPException, detail_context: dict[str, Any] | None = None) -> Response:
    """The response for an HTTP error: a problem document under /api/, a page elsewhere."""
    code = error.code or 500
    if request.path.startswith(API_PREFIX):
        return problem(code, error.description or HTTP_STATUS_CODES.get(code, "Error"))
    # The URL did not match a route (or failed inside one), so the language comes from its path.
    g.lang = g.get("lang") or language_of_path(request.path)
    template = ERROR_TEMPLATES.get(code, "errors/error.html")
    page = render_template(template, error=error, code=code, **(detail_context or {}))
    return make_response(page, code)


def _error_page(error: HTTPException) -> Response:
    return error_response(error)


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error as a page of the portal; Flask logs an unexpected exception, then
    answers it with its 500 InternalServerError, which this handler renders too."""
    app.register_error_handler(HTTPException, _error_page)
