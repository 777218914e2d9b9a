"""Victims of fund-raising crimes: each case's registration notice and payout figures (the
court's, and those counted from the victims' register), and the court's reported figures of its
online registration platform, each linked to its sentence."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.db.queries import statistic_figures, victim_notice_versions, victim_notices
from portal.victims.figures import case_figures
from portal.victims.status import register_state
from portal.web.blueprints.debtors import as_of_text
from portal.web.blueprints.victim_status import STATUS_NAMES
from portal.web.db import db_session
from portal.web.i18n import render_page

bp = Blueprint("victims", __name__, url_prefix="/<lang:lang>/victims")

# The statistics group whose figures the seed release reports on the registration platform.
PLATFORM_FIGURES = "victims"


def victim_register_about() -> str | None:
    """Where a case's register figures come from and when, and whether they are fictional (None
    before the register's first import)."""
    state = register_state(db_session())
    if state is None:
        return None
    if state.demo:
        return _(
            "Demonstration data: counted from the fictional demonstration register loaded into "
            "this portal, not from any real register. As of %(as_of)s.",
            as_of=as_of_text(state),
        )
    return _(
        "Counted from the register the court's channel sends to this portal, as of %(as_of)s.",
        as_of=as_of_text(state),
    )


@bp.route("/")
def index(lang: str) -> ResponseReturnValue:
    session = db_session()
    figures = [figure for figure in statistic_figures(session) if figure.group == PLATFORM_FIGURES]
    return render_page(
        "victims/index.html",
        notices=victim_notices(session, lang),
        figures=sorted(figures, key=lambda figure: figure.position),
    )


@bp.route("/<key>/")
def notice(lang: str, key: str) -> ResponseReturnValue:
    versions = victim_notice_versions(db_session(), key)
    item = versions.get(lang)
    if item is None:
        abort(404)
    return render_page(
        "victims/notice.html",
        available=tuple(versions),
        notice=item,
        payout=item.payout_figures,
        register=case_figures(db_session(), key),
        register_about=victim_register_about(),
        status_names=STATUS_NAMES,
    )
