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
from portal.debtors.records import CIRCUMSTANCE_NAMES, PERFORMANCE_NAMES
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


def _names(names: dict[str, dict[str, str]], lang: str) -> dict[str, str]:
    return {key: by_language[lang] for key, by_language in names.items()}


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
        "performance_labels": _names(PERFORMANCE_NAMES, lang),
        "circumstance_labels": _names(CIRCUMSTANCE_NAMES, lang),
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
