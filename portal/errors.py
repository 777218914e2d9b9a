"""Designed error pages, in the language of the URL that failed."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from portal.http_data import problem, wants_problem_details
from portal.web_i18n import language_of_path


def _error_page(error: HTTPException) -> ResponseReturnValue:
    if wants_problem_details():
        response = problem(error.code or 500, error.description or error.name)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    # The URL did not match a route (or failed inside one), so the language comes from its path.
    g.lang = g.get("lang") or language_of_path(request.path)
    code = error.code or 500
    template = "errors/404.html" if code == 404 else "errors/error.html"
    return render_template(template, error=error, code=code), code


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error as a page of the portal; Flask logs an unexpected exception, then
    answers it with its 500 InternalServerError, which this handler renders too."""
    app.register_error_handler(HTTPException, _error_page)
