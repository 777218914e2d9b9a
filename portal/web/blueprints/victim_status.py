"""The victims' status check: a registered victim's name, ID number and case give the state of
their registration and payments; anything else gives one answer that reveals nothing.

POST only, so that a name or a number never lands in a URL, a history or an access log; guarded
like the debtor lookup (the same refusal of other sites' requests, the same rate limit: this
blueprint is one of `lookup_blueprints`); never cached or indexed. Only the live server answers:
the frozen copy's page explains why and links to the live check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.db.models import VictimNotice
from portal.db.queries import victim_notice_versions, victim_notices
from portal.opendata.datasets import yuan_text
from portal.registers.query import InvalidQuery, parse_query
from portal.text.languages import LANGUAGE_CODES
from portal.victims.status import VictimStatus, check_status
from portal.web.blueprints.debtors import QUERY_ERRORS, debtor_keys
from portal.web.db import db_session
from portal.web.i18n import render_page

bp = Blueprint("victim_status", __name__, url_prefix="/<lang:lang>/victims/status")

FORM_ERRORS: dict[str, LazyString] = {
    **QUERY_ERRORS,
    "number_required": _l("Enter the ID number you registered with."),
    "case_required": _l("Choose the case you registered in."),
}

# What each status means and what to do next, as a victim reads it.
STATUS_NAMES = {
    "registered": _l("Registered"),
    "under_check": _l("Under check"),
    "confirmed": _l("Confirmed"),
    "disputed": _l("Disputed"),
    "rejected": _l("Not accepted"),
}
STATUS_MEANINGS = {
    "registered": _l(
        "The court has received your registration. It has not started checking it yet."
    ),
    "under_check": _l("The court is checking your registration and the amount you claimed."),
    "confirmed": _l(
        "The court has confirmed your claim at the amount below. It pays confirmed claims in "
        "batches, in proportion, as money is recovered."
    ),
    "disputed": _l(
        "The court's check does not agree with your claim: the amount or the claim itself is in "
        "question."
    ),
    "rejected": _l(
        "The court found that your registration does not meet the conditions of the case's "
        "notice (for example, no net loss)."
    ),
}
# What to do next (portal/victims/status.py NextStep, from the status and the payments).
NEXT_STEPS = {
    "wait_for_check": _l(
        "Nothing to do now. Keep your materials: the court's channel tells you if anything is "
        "missing."
    ),
    "wait_for_result": _l(
        "Answer any request for materials through the court's channel named in the notice."
    ),
    "wait_for_payment": _l(
        "Nothing to do now: confirmed claims are paid in batches as money is recovered. Keep the "
        "bank account you gave the court's channel open and in your name."
    ),
    "fix_account": _l(
        "A payment to you failed. Give the court's channel named in the notice an account in "
        "your name that can be paid; the payment is then made again."
    ),
    "wait_for_next_batch": _l(
        "Nothing to do now. Any later batch is paid as the notice says, to the same account: "
        "keep it open and in your name."
    ),
    "answer_dispute": _l(
        "If you disagree, object through the court's channel named in the notice, with your "
        "evidence, within the time the notice gives."
    ),
    "ask_court": _l(
        "If you believe this is wrong, contact the court's channel named in the notice."
    ),
}
FAILURE_REASONS = {
    "account_closed": _l("the bank account is closed"),
    "account_frozen": _l("the bank account is frozen"),
    "name_mismatch": _l("the account holder's name is not the registered name"),
    "other": _l("the bank returned the payment"),
}


@dataclass(frozen=True)
class StatusQuery:
    """A status check as typed: every field present and the number well formed."""

    # Neither the name nor the number is ever in a repr, hence never in a log line.
    name: str = field(repr=False)
    number: str = field(repr=False)
    case_key: str = ""


def parse_status_query(name: str, number: str, case_key: str) -> StatusQuery:
    """Validate what was typed, by the registers' rules for a name and a number (required
    here) and a case to choose. InvalidQuery maps each field to a code of FORM_ERRORS."""
    errors: dict[str, str] = {}
    try:
        parse_query(name, number, require_number=True)
    except InvalidQuery as error:
        errors |= error.errors
    if not case_key.strip():
        errors["case"] = "case_required"
    if errors:
        raise InvalidQuery(errors)
    return StatusQuery(name=name, number=number, case_key=case_key.strip())


@dataclass(frozen=True)
class StatusAnswer:
    """A status check's answer: the victim's status (None for anything that does not match
    exactly) and the published language versions of the case's notice."""

    status: VictimStatus | None
    notices: dict[str, VictimNotice]


def run_status_check(query: StatusQuery) -> StatusAnswer:
    """Check a status; a case whose notice is not published is no case at all."""
    session = db_session()
    notices = victim_notice_versions(session, query.case_key)
    if not notices:
        return StatusAnswer(None, {})
    status = check_status(session, query.name, query.number, query.case_key, debtor_keys())
    return StatusAnswer(status, notices)


def published_cases(lang: str) -> list[VictimNotice]:
    """The cases a victim may choose from: the published notices, in the page's language."""
    return victim_notices(db_session(), lang)


@bp.route("/", methods=["GET", "POST"])
def index(lang: str) -> ResponseReturnValue:
    # No CSRF token, as for the debtor lookup: it changes nothing and sets no cookie; a POST
    # another site sends is refused before it spends the budget (`refuse_cross_site_lookup`).
    context: dict[str, object] = {
        "notices": published_cases(lang),
        "errors": {},
        "answered": False,
        "status": None,
        "notice": None,
        "name": "",
        "number": "",
        "case_key": "",
        "number_error": str(FORM_ERRORS["number_invalid"]),
        "status_names": STATUS_NAMES,
        "status_meanings": STATUS_MEANINGS,
        "next_steps": NEXT_STEPS,
        "failure_reasons": FAILURE_REASONS,
        "no_match_text": NO_MATCH_TEXT,
        "freezing": current_app.config["STATIC_SITE"],
        "live_url": current_app.config.get("LIVE_URL") or "",
    }
    code = 200
    # A GET, with whatever query, only shows the form: an answer is given to a POST alone.
    if request.method == "POST" and not current_app.config["STATIC_SITE"]:
        name = request.form.get("name", "")
        number = request.form.get("number", "")
        case_key = request.form.get("case", "")
        # The name and the case are echoed into the form (the page is never cached); a number
        # only when it is invalid, so that it can be corrected.
        context |= {"name": name, "case_key": case_key}
        try:
            query = parse_status_query(name, number, case_key)
        except InvalidQuery as error:
            context["errors"] = {key: FORM_ERRORS[value] for key, value in error.errors.items()}
            context["number"] = number if error.errors.get("number") == "number_invalid" else ""
            code = 422
        else:
            answer = run_status_check(query)
            context |= {"answered": True, "status": answer.status}
            if answer.status is not None:
                notices = answer.notices
                context["notice"] = notices.get(lang) or next(iter(notices.values()))
    return render_page("victims/status.html", **context), code


def _in_languages(text: LazyString) -> dict[str, str]:
    """A lazy text in every language (for the API)."""
    texts = {}
    for lang in LANGUAGE_CODES:
        with force_locale(lang):
            texts[lang] = str(text)
    return texts


NO_MATCH_TEXT = _l(
    "No registration matches these details. Check that the name is exactly as on your identity "
    "document, the ID number is the one you registered with, and the case is the one you "
    "registered in. If you did register and still see this, contact the court's channel named "
    "in the case's notice."
)


def status_record(answer: StatusAnswer, page_url: Callable[..., str]) -> dict[str, Any]:
    """The API's answer: the same shape whether or not the details match, and exactly one body
    for every details that do not."""
    status, versions = answer.status, answer.notices
    if status is None:
        return {"found": False, "registration": None, "message": _in_languages(NO_MATCH_TEXT)}
    payments = [
        {
            "batch": payment.batch,
            "supplementary": payment.supplementary,
            "paid_on": payment.paid_on.isoformat(),
            "amount": yuan_text(payment.amount_fen),
            "paid": payment.failure is None,
            "failure": payment.failure and str(payment.failure),
            "failure_text": payment.failure and _in_languages(FAILURE_REASONS[payment.failure]),
        }
        for payment in status.payments
    ]
    registration = {
        "case_key": status.case_key,
        "case_url": {
            lang: page_url("victims.notice", lang=lang, key=status.case_key) for lang in versions
        },
        "channel": {lang: notice.channel for lang, notice in versions.items()},
        "status": str(status.status),
        "status_text": _in_languages(STATUS_NAMES[status.status]),
        "meaning": _in_languages(STATUS_MEANINGS[status.status]),
        "next_step": str(status.next_step),
        "next_step_text": _in_languages(NEXT_STEPS[status.next_step]),
        "identifier": {"value": status.id_display, "masked": status.kind == "person"},
        "claimed_amount": yuan_text(status.claimed_fen),
        "confirmed_amount": yuan_text(status.confirmed_fen),
        "payments": payments,
        "demonstration": status.demo,
    }
    return {"found": True, "registration": registration, "message": None}
