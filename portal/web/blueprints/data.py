"""Open data: the catalogue page, the CSV and JSON downloads, and the DCAT catalogue."""

from __future__ import annotations

import json

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from portal.opendata import datasets as opendata
from portal.web.db import db_session
from portal.web.i18n import absolute_url, render_page
from portal.web.responses import data_response

bp = Blueprint("data", __name__)

MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


@bp.route("/<lang:lang>/data/")
def index(lang: str) -> ResponseReturnValue:
    session = db_session()
    datasets = opendata.published_datasets(session)
    return render_page(
        "data/index.html",
        datasets=[(d, opendata.dataset_modified(session, d.key)) for d in datasets],
        licence_url=opendata.LICENCE_URL,
        licence_name=opendata.LICENCE_NAME,
        row_limit=opendata.CSV_ROW_LIMIT,
    )


@bp.route("/data/<key>.<any(csv, json):format>")
def download(key: str, format: str) -> ResponseReturnValue:
    """A whole dataset as CSV (UTF-8 with a byte-order mark) or JSON."""
    session = db_session()
    dataset = next((d for d in opendata.published_datasets(session) if d.key == key), None)
    if dataset is None:
        abort(404)
    records = opendata.dataset_records(session, key, absolute_url)
    if format == "csv":
        return data_response(
            opendata.to_csv(dataset, records),
            MEDIA_TYPES["csv"],
            **{"Content-Disposition": f'attachment; filename="{key}.csv"'},
        )
    body = opendata.to_json(
        records, dataset=key, licence=opendata.LICENCE_URL, fields=dataset.field_names()
    )
    return data_response(body, MEDIA_TYPES["json"])


@bp.route("/data/catalog.jsonld")
def catalogue() -> ResponseReturnValue:
    session = db_session()
    datasets = [
        (d, opendata.dataset_modified(session, d.key)) for d in opendata.published_datasets(session)
    ]
    body = json.dumps(opendata.dcat_catalogue(datasets, absolute_url), ensure_ascii=False)
    return data_response(body, "application/ld+json")
