"""Designed error pages, in the language of the URL that failed; RFC 9457 problem details
(application/problem+json) for the JSON API under /api/."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, make_response, render_template, request
from werkzeug.exceptions import HTTPException, SecurityError

from portal.web.i18n import language_of_path
from portal.web.responses import problem, wants_problem_details

ERROR_TEMPLATES = {
    403: "errors/403.html",  # only the lookup refuses (a request sent by another site)
    404: "errors/404.html",
    429: "errors/429.html",
    503: "errors/503.html",
}


def error_response(error: HTTPException, detail_context: dict[str, Any] | None = None) -> Response:
    """The response for an HTTP error: a problem document for the API, a page elsewhere."""
    code = error.code or 500
    if wants_problem_details():
        response = problem(code, error.description or error.name)
        if code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    # The URL did not match a route (or failed inside one), so the language comes from its path.
    g.lang = g.get("lang") or language_of_path(request.path)
    template = ERROR_TEMPLATES.get(code, "errors/error.html")
    page = render_template(template, error=error, code=code, **(detail_context or {}))
    return make_response(page, code)


def _error_page(error: HTTPException) -> Response:
    return error_response(error)


def _untrusted_host(_error: SecurityError) -> Response:
    # A Host that TRUSTED_HOSTS refuses: no URL can be built for it, so no page either.
    return Response(
        "400 Bad Request: this server does not answer for that host name.\n",
        status=400,
        mimetype="text/plain",
    )


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error as a page of the portal; Flask logs an unexpected exception, then
    answers it with its 500 InternalServerError, which this handler renders too. A request for
    a host the portal does not serve gets a plain 400."""
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(SecurityError, _untrusted_host)
