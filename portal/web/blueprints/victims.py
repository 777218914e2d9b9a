"""Victims of fund-raising crimes: each case's registration notice and payout figures, and the
court's reported figures of its online registration platform, each linked to its sentence."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from portal.db.queries import statistic_figures, victim_notice_versions, victim_notices
from portal.web.db import db_session
from portal.web.i18n import render_page

bp = Blueprint("victims", __name__, url_prefix="/<lang:lang>/victims")

# The statistics group whose figures the seed release reports on the registration platform.
PLATFORM_FIGURES = "victims"


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
        "victims/notice.html", available=tuple(versions), notice=item, payout=item.payout_figures
    )
