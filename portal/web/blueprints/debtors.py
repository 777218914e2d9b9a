"""The debtor lookup page: a form that POSTs a name and, optionally, an identity number, so that
numbers never land in URLs, browser history or access logs."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.debtors.courts import CourtDirectory, contact_fields, court_directory
from portal.debtors.lookup import (
    COURT_TIMEZONE,
    ListState,
    LookupResult,
    court_today,
    list_state,
    lookup,
)
from portal.debtors.records import CIRCUMSTANCE_NAMES, PERFORMANCE_NAMES
from portal.registers.identity import IdentityKeys
from portal.registers.query import InvalidQuery, parse_query
from portal.text.languages import LANGUAGE_CODES
from portal.web.db import db_session
from portal.web.filters import minute_time
from portal.web.i18n import render_page

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


def list_scope_text(demo: bool) -> str:
    """Which list an answer covers, in the current language."""
    if demo:
        return _(
            "This answer covers only the fictional demonstration list loaded into this portal, "
            "not any real list."
        )
    return _(
        "This answer covers the list of dishonest persons subject to enforcement as published by "
        "the courts whose records this portal imports; a listing by another court is not in it."
    )


def register_counts_text(state: ListState) -> str:
    """What the register's counts are counted from and when, in the current language."""
    if state.demo:
        return _(
            "Demonstration data: these counts come from the fictional demonstration list loaded "
            "into this portal, not from any real list. As of %(as_of)s.",
            as_of=as_of_text(state),
        )
    return _("As of %(as_of)s.", as_of=as_of_text(state))


def list_scope_texts(demo: bool) -> dict[str, str]:
    """Which list an answer covers, in every language (for the API)."""
    texts = {}
    for lang in LANGUAGE_CODES:
        with force_locale(lang):
            texts[lang] = list_scope_text(demo)
    return texts


def _name_matches(count: int) -> str:
    """The static check's sentence for `count` records of one name, with {count} left to fill."""
    return ngettext(
        "%(count)s listed record has this name. Compare the masked numbers; a full number can be "
        "confirmed only on the live lookup.",
        "%(count)s listed records have this name. Compare the masked numbers; a full number can "
        "be confirmed only on the live lookup.",
        count,
        count="{count}",
    )


def static_check_texts(as_of: str | None, demo: bool) -> dict[str, str]:
    """The static check's sentences, in the page's language, for static-lookup.js: the live
    page's own wording wherever the answer is the same."""
    return {
        "on_list": _("On the list."),
        "not_on_list": _("Not on the list."),
        "no_match": _("No listed record has this name."),
        # {count} stands for the number of records; the plural form is chosen for 1 and for 2.
        "matches_one": _name_matches(1),
        "matches_other": _name_matches(2),
        "truncated": _(
            "More than %(count)s listed records have this name; the %(count)s published most "
            "recently are shown.",
            count="{count}",
        ),
        "as_of": _("This answer is as of %(time)s.", time=as_of) if as_of else "",
        "list_scope": list_scope_text(demo),
        "explained": _("What this means, how long it lasts and how to object: see below."),
        # {start} and {end} stand for dates.
        "listed_until": _("Listed on %(start)s, until %(end)s", start="{start}", end="{end}"),
        "listed_until_removed": _("Listed on %(start)s, until removed", start="{start}"),
        "name_required": str(QUERY_ERRORS["name_required"]),
        "name_too_long": str(QUERY_ERRORS["name_too_long"]),
        "number_live": _(
            "This copy of the site cannot confirm a number: the answer is by name alone, with "
            "the numbers masked. Confirm the full number on the live lookup."
        ),
        "number_invalid": str(QUERY_ERRORS["number_invalid"]),
        "checking": _("Checking the list…"),
        "failed": _(
            "The check could not be run in this browser. Try again, or use the lookup on the "
            "live portal."
        ),
        "demo_record": _("Fictional demonstration record"),
    }


def static_check_labels(lang: str) -> dict[str, object]:
    """The headings of a record's fields, and the names of performance and circumstances."""
    return {
        "masked_number": _("Resident ID number (masked)"),
        "credit_code": _("Unified social credit code"),
        "legal_representative": _("Legal representative or person in charge"),
        "court": _("Enforcing court"),
        "case_number": _("Case number"),
        "basis_document": _("Basis for enforcement"),
        "basis_issuer": _("Issued by"),
        "obligations": _("Obligations set by the effective legal document"),
        "performance": _("Performance"),
        "circumstances": _("Circumstances of dishonesty"),
        "listing_period": _("Listing period"),
        "court_contact": _("Contact the enforcing court"),
        # A list, in the live page's order (a JSON object's keys would be sorted).
        "contact_fields": list(contact_labels().items()),
        "performance_names": _names(PERFORMANCE_NAMES, lang),
        "circumstance_names": _names(CIRCUMSTANCE_NAMES, lang),
    }


def contact_labels() -> dict[str, str]:
    """The headings of a court's contact fields."""
    return {
        "address": _("Address"),
        "telephone": _("Telephone"),
        "email": _("E-mail"),
        "office_hours": _("Office hours"),
        "website": _("Website"),
    }


def static_court_contacts(directory: CourtDirectory) -> dict[str, dict[str, str]]:
    """For the frozen check: each name key a register may give a court, with the court's label
    and contact details (the browser derives the key with the same name rule)."""
    return {
        key: {"label": court.label, **contact_fields(court.contact)}
        for key, court in directory.by_name.items()
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
    return f"{minute_time(local)} (UTC+8)"


@bp.route("/", methods=["GET", "POST"])
def index(lang: str) -> ResponseReturnValue:
    # No CSRF token: the lookup changes nothing and the portal sets no cookie, so a forged POST
    # could only make a visitor's browser run a lookup whose answer the forger cannot read; one
    # that says it comes from another site is refused before it spends the rate limit
    # (`refuse_cross_site_lookup`). Its answer is private (`cache_public_pages`).
    context = {
        "errors": {},
        "result": None,
        "name": "",
        "number": "",
        "number_error": str(QUERY_ERRORS["number_invalid"]),
        "with_number": False,
        "performance_labels": _names(PERFORMANCE_NAMES, lang),
        "circumstance_labels": _names(CIRCUMSTANCE_NAMES, lang),
    }
    status = 200
    if request.method == "POST" and not current_app.config["STATIC_SITE"]:
        name, number = request.form.get("name", ""), request.form.get("number", "")
        # The name is echoed into the form (the page is not cached); a number only when it is
        # invalid, so that it can be corrected: a valid number is never shown again.
        context["name"] = name
        try:
            context["result"] = run_lookup(name, number)
        except InvalidQuery as error:
            context["errors"] = {field: QUERY_ERRORS[code] for field, code in error.errors.items()}
            context["number"] = number if "number" in error.errors else ""
            status = 422
    # A lookup read the state of the list with its records; the form alone reads it here.
    state = context["result"].state if context["result"] else list_state(db_session())
    context |= {"state": state, "as_of": as_of_text(state) if state else None}
    context["list_scope"] = list_scope_text(bool(state and state.demo))
    context["contact_labels"] = contact_labels()
    if context["result"] and context["result"].found:
        context["courts"] = court_directory(db_session(), lang)
    if current_app.config["STATIC_SITE"]:
        # The frozen copy: the check runs in the browser on the shards `write_shards` writes.
        context |= {
            "freezing": True,
            "live_url": current_app.config.get("LIVE_URL") or "",
            "static_texts": static_check_texts(context["as_of"], bool(state and state.demo)),
            "static_labels": static_check_labels(lang),
            "static_courts": static_court_contacts(court_directory(db_session(), lang)),
        }
    return render_page("debtors/index.html", **context), status
