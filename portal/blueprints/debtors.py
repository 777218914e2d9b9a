"""The debtor lookup page: a form that POSTs a name and, optionally, an identity number, so that
numbers never land in URLs, browser history or access logs."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from portal.debtors.identity import IdentityKeys
from portal.debtors.lookup import (
    COURT_TIMEZONE,
    InvalidQuery,
    ListState,
    LookupResult,
    court_today,
    list_state,
    lookup,
    parse_query,
)
from portal.flask_db import db_session
from portal.web_i18n import render_page

bp = Blueprint("debtors", __name__, url_prefix="/<lang:lang>/debtors")

KEYS_EXTENSION = "portal_debtor_keys"
QUERY_ERRORS = {
    "name_required": _l("Enter the name of the person or organisation."),
    "name_too_long": _l("The name is too long: it may have at most 200 characters."),
    "number_invalid": _l(
        "This is neither a valid resident ID number nor a valid unified social credit code. "
        "Check every character, the last one especially."
    ),
}
PERFORMANCE_LABELS = {
    "unperformed": _l("Not performed at all"),
    "partially_performed": _l("Partially performed"),
}
CIRCUMSTANCE_LABELS = {
    "refuses_despite_ability": _l("Able to perform the obligations but refuses to"),
    "obstructs_enforcement": _l(
        "Obstructs or resists enforcement by false evidence, violence, threats or similar means"
    ),
    "evades_enforcement": _l(
        "Evades enforcement by false litigation or arbitration, or by hiding or transferring "
        "property"
    ),
    "violates_property_reporting": _l("Violates the duty to report property"),
    "violates_consumption_restriction": _l("Violates a consumption restriction order"),
    "breaches_settlement": _l(
        "Refuses without good reason to perform an enforcement settlement agreement"
    ),
}


def debtor_keys() -> IdentityKeys:
    """The app's identity-number key, derived once from its SECRET_KEY."""
    keys = current_app.extensions.get(KEYS_EXTENSION)
    if keys is None:
        keys = current_app.extensions[KEYS_EXTENSION] = IdentityKeys.from_secret(
            current_app.config["SECRET_KEY"]
        )
    return keys


def run_lookup(name: str | None, number: str | None) -> LookupResult:
    """Validate and run a lookup on the list as it stands today (InvalidQuery if invalid)."""
    query = parse_query(name, number)
    return lookup(db_session(), debtor_keys(), query, court_today())


def as_of_text(state: ListState) -> str:
    """When the list was imported, in the courts' time, for the page's language."""
    local = state.as_of.astimezone(COURT_TIMEZONE)
    return f"{format_datetime(local, 'medium', rebase=False)} (UTC+8)"


def private_response(response: Response) -> Response:
    """Lookup answers are personal: never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


bp.after_request(private_response)


@bp.route("/", methods=["GET", "POST"])
def index(lang: str) -> ResponseReturnValue:
    # No CSRF token: the lookup changes nothing and the portal sets no cookie, so a forged POST
    # could only make a visitor's browser run a lookup whose answer the forger cannot read.
    state = list_state(db_session())
    context = {
        "state": state,
        "as_of": as_of_text(state) if state else None,
        "errors": {},
        "result": None,
        "name": "",
        "with_number": False,
        "performance_labels": PERFORMANCE_LABELS,
        "circumstance_labels": CIRCUMSTANCE_LABELS,
    }
    status = 200
    if request.method == "POST":
        name, number = request.form.get("name", ""), request.form.get("number", "")
        # The name is echoed into the form (the page is not cached); the number never is.
        context["name"] = name
        try:
            context["result"] = run_lookup(name, number)
        except InvalidQuery as error:
            context["errors"] = {field: QUERY_ERRORS[code] for field, code in error.errors.items()}
            status = 422
    return render_page("debtors/index.html", **context), status
