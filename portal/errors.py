"""Designed error pages, in the language of the URL that failed; JSON problem details
(RFC 9457) for the API."""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from portal.web_i18n import language_of_path

API_PREFIX = "/api/"
TEMPLATES = {404: "errors/404.html", 503: "errors/503.html"}


def _problem(error: HTTPException, code: int) -> ResponseReturnValue:
    response = jsonify(
        {
            "type": "about:blank",
            "title": error.name,
            "status": code,
            "detail": error.description,
        }
    )
    response.status_code = code
    response.mimetype = "application/problem+json"
    return response


def _error_page(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if request.path.startswith(API_PREFIX):
        return _problem(error, code)
    # The URL did not match a route (or failed inside one), so the language comes from its path.
    g.lang = g.get("lang") or language_of_path(request.path)
    template = TEMPLATES.get(code, "errors/error.html")
    return render_template(template, error=error, code=code), code


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error as a page of the portal; Flask logs an unexpected exception, then
    answers it with its 500 InternalServerError, which this handler renders too."""
    app.register_error_handler(HTTPException, _error_page)
