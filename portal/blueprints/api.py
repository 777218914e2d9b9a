"""The JSON API under /api/v1. Errors are RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from portal.blueprints.debtors import QUERY_ERRORS, private_response, run_lookup
from portal.debtors.lookup import InvalidQuery, list_state
from portal.errors import problem
from portal.flask_db import db_session
from portal.models import DebtorRecord

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.after_request(private_response)


def _record(record: DebtorRecord) -> dict[str, Any]:
    person = record.kind == "person"
    return {
        "name": record.name,
        "kind": record.kind,
        "identifier": {
            "type": "resident_id" if person else "unified_social_credit_code",
            "value": record.id_display,
            "masked": person,
        },
        "legal_representative": record.legal_representative,
        "court": record.court,
        "case_number": record.case_number,
        "basis_document": record.basis_document,
        "basis_issuer": record.basis_issuer,
        "obligations": record.obligations,
        "performance": record.performance,
        "circumstances": record.circumstances,
        "published_on": record.published_on.isoformat(),
        "demonstration": record.demo,
    }


@bp.post("/debtors/lookup")
def debtor_lookup() -> ResponseReturnValue:
    """Look a debtor up: {"name": ..., "id_number": ... (optional)} in, the listed records out."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return problem(
            400,
            'Send a JSON object such as {"name": "...", "id_number": "..."} '
            "with Content-Type: application/json.",
        )
    name, number = body.get("name"), body.get("id_number")
    if not isinstance(name, str) or not isinstance(number, str | None):
        return problem(400, '"name" must be a string, and "id_number" a string or absent.')
    try:
        result = run_lookup(name, number)
    except InvalidQuery as error:
        return problem(
            422,
            "The lookup cannot be run as sent.",
            errors=[
                {"field": "id_number" if field == "number" else field, "code": code,
                 "detail": str(QUERY_ERRORS[code])}
                for field, code in error.errors.items()
            ],
        )  # fmt: skip
    state = list_state(db_session())
    return jsonify(
        {
            "as_of": state.as_of.isoformat() if state else None,
            "demonstration_data": bool(state and state.demo),
            "found": result.found,
            "match": "name_and_number" if result.by_number else "name",
            "truncated": result.truncated,
            "records": [_record(record) for record in result.records],
        }
    )
