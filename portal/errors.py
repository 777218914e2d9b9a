"""Designed error pages, in the language of the URL that failed; RFC 9457 problem details for
the API."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from portal.http_data import problem, wants_problem_details
from portal.web_i18n import language_of_path

TEMPLATES = {404: "errors/404.html", 503: "errors/503.html"}


def _error_page(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if wants_problem_details():
        response = problem(code, error.description or error.name)
        if code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    # The URL did not match a route (or failed inside one), so the language comes from its path.
    g.lang = g.get("lang") or language_of_path(request.path)
    template = TEMPLATES.get(code, "errors/error.html")
    return render_template(template, error=error, code=code), code


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error as a page of the portal; Flask logs an unexpected exception, then
    answers it with its 500 InternalServerError, which this handler renders too."""
    app.register_error_handler(HTTPException, _error_page)
