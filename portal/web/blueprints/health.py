"""/healthz: whether this instance can answer, for load balancers and monitoring."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.search.query import SearchUnavailable
from portal.web.blueprints.search import EXTENSION_KEY
from portal.web.db import db_session

bp = Blueprint("health", __name__)


def _database() -> dict[str, Any]:
    try:
        db_session().execute(select(1))
    except SQLAlchemyError as error:
        current_app.logger.error("health check: the database cannot answer: %s", error)
        return {"status": "unavailable"}
    return {"status": "ok"}


def _search_index() -> dict[str, Any]:
    try:
        documents = current_app.extensions[EXTENSION_KEY].document_count()
    except SearchUnavailable as error:
        current_app.logger.error("health check: %s", error)
        return {"status": "unavailable"}
    return {"status": "ok", "documents": documents}


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database and the search index both answer, 503 otherwise; the reasons go to
    the log, not to whoever asks."""
    checks = {"database": _database(), "search_index": _search_index()}
    healthy = all(check["status"] == "ok" for check in checks.values())
    response = jsonify(status="ok" if healthy else "unavailable", checks=checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
