"""Enforcement statistics: the figures of the annual report as tables and server-drawn charts,
each figure linked to the sentence of the release it is quoted from, and the live aggregates of
the debtor register and of the victims' register once they exist."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Blueprint, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.db.queries import statistic_figures, statistic_groups, victim_notices
from portal.debtors.lookup import list_state
from portal.debtors.statistics import DIMENSIONS, register_aggregates
from portal.victims.figures import all_case_figures
from portal.web.blueprints.debtors import register_counts_text
from portal.web.blueprints.victim_status import STATUS_NAMES
from portal.web.blueprints.victims import victim_register_about
from portal.web.charts import Bar, bar_chart
from portal.web.db import db_session
from portal.web.filters import PageFormats
from portal.web.i18n import render_page

bp = Blueprint("statistics", __name__)

DIMENSION_TITLES = {
    "court": _l("Listed records by court"),
    "kind": _l("Listed records by kind of debtor"),
    "circumstance": _l("Listed records by circumstance"),
    "month": _l("Listed records by month of publication"),
}


def _figure_label(figure: Any, lang: str, with_year: bool, formats: PageFormats) -> str:
    label = getattr(figure, f"label_{lang}")
    if with_year:
        label = formats.gettext("%(label)s, %(year)s", label=label, year=figure.year)
    if figure.derived:
        label = formats.gettext("%(label)s (derived)", label=label)
    return label


def _chart(chart_id: str, title: str, bars: list[Bar], formats: PageFormats) -> Markup:
    listing = "; ".join(f"{bar.label}: {bar.value_text}" for bar in bars)
    description = formats.gettext(
        "Bar chart. %(values)s. The same figures are in the table.", values=listing
    )
    return Markup(bar_chart(chart_id, title, description, bars))  # noqa: S704 - escaped inside


def _figure_groups(lang: str, formats: PageFormats) -> list[dict[str, Any]]:
    session = db_session()
    figures = statistic_figures(session)
    by_group = {key: list(items) for key, items in groupby(
        sorted(figures, key=lambda f: f.position), key=lambda f: f.group)}  # fmt: skip
    groups = []
    for group in statistic_groups(session):
        items = by_group.get(group.key, [])
        if not items:
            continue
        several_years = len({figure.year for figure in items}) > 1
        rows = [
            {
                "figure": figure,
                "name": getattr(figure, f"label_{lang}"),
                "label": _figure_label(figure, lang, several_years, formats),
                "value": formats.figure(figure.value, figure.unit, figure.qualifier),
            }
            for figure in items
        ]
        title = getattr(group, f"title_{lang}")
        chart = None
        if group.chart:
            bars = [
                Bar(r["label"], r["figure"].value, r["value"], r["figure"].derived) for r in rows
            ]
            chart = _chart(f"chart-{group.key}", title, bars, formats)
        groups.append({"key": group.key, "title": title, "rows": rows, "chart": chart})
    return groups


def _register_tables(lang: str, formats: PageFormats) -> list[dict[str, Any]]:
    rows = register_aggregates(db_session())
    tables = []
    for dimension in DIMENSIONS:
        mine = [row for row in rows if row.dimension == dimension]
        if not mine:
            continue
        title = str(DIMENSION_TITLES[dimension])
        labelled = [
            (
                formats.month(row.key) if dimension == "month" else getattr(row, f"label_{lang}"),
                formats.figure(row.listed_records, "records"),
                row,
            )
            for row in mine
        ]
        bars = [Bar(label, row.listed_records, text) for label, text, row in labelled]
        tables.append({
            "key": dimension, "title": title, "rows": labelled,
            "chart": _chart(f"chart-register-{dimension}", title, bars, formats),
        })  # fmt: skip
    return tables


@bp.route("/<lang:lang>/statistics/")
def index(lang: str) -> ResponseReturnValue:
    formats = PageFormats.current()
    groups = _figure_groups(lang, formats)
    # Each figure's sentence in the page's language, linked to its paragraph of that version;
    # a paragraph may hold several quoted sentences, each quoted once. Figures share a few
    # paragraphs, so each paragraph's URL is built once.
    urls: dict[tuple[str, int, str, str], str] = {}
    sources: dict[tuple[str, str, str], None] = {}
    for group in groups:
        for row in group["rows"]:
            figure = row["figure"]
            sentence, paragraph, source_lang = figure.source_in(lang)
            place = (source_lang, figure.release_year, figure.release_slug, paragraph)
            if place not in urls:
                urls[place] = url_for(
                    "press.release", lang=source_lang, year=figure.release_year,
                    slug=figure.release_slug, _anchor=paragraph,
                )  # fmt: skip
            row["source"] = (source_lang, urls[place])
            sources[(urls[place], source_lang, sentence)] = None
    return render_page(
        "statistics/index.html",
        groups=groups,
        sources=list(sources),
        register=_register_tables(lang, formats),
        register_about=register_about(),
        victim_cases=_victim_cases(lang),
        victim_about=victim_register_about(),
        status_names=STATUS_NAMES,
    )


def _victim_cases(lang: str) -> list[tuple[Any, Any]]:
    """Each published case with figures from the victims' register: (notice, figures)."""
    session = db_session()
    figures = all_case_figures(session)
    return [(n, figures[n.key]) for n in victim_notices(session, lang) if n.key in figures]


def register_about() -> str | None:
    """Where the register's counts come from and when (None before the first import)."""
    state = list_state(db_session())
    return register_counts_text(state) if state else None
