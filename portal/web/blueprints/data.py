"""Open data: the catalogue page, the CSV and JSON downloads, and the DCAT catalogue."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flask import Blueprint, abort, current_app, request, url_for
from flask.typing import ResponseReturnValue

from portal.opendata import datasets as opendata
from portal.opendata import schema_org
from portal.opendata.api_reference import operations
from portal.opendata.datapackage import data_package
from portal.web.blueprints.api import api_document
from portal.web.blueprints.statistics import register_about
from portal.web.blueprints.victims import victim_register_about
from portal.web.db import db_session
from portal.web.i18n import absolute_url, render_page
from portal.web.responses import data_response

bp = Blueprint("data", __name__)

MEDIA_TYPES = opendata.DOWNLOAD_FORMATS


def _catalogued() -> list[tuple[opendata.Dataset, dt.datetime | None]]:
    """The published datasets, each with when it last changed."""
    session = db_session()
    return [
        (d, opendata.dataset_modified(session, d.key)) for d in opendata.published_datasets(session)
    ]


@bp.route("/<lang:lang>/data/")
def index(lang: str) -> ResponseReturnValue:
    datasets = _catalogued()
    return render_page(
        "data/index.html",
        datasets=datasets,
        structured_data=schema_org.datasets(datasets, absolute_url, lang),
        licence_url=opendata.LICENCE_URL,
        licence_name=opendata.LICENCE_NAME,
        row_limit=opendata.CSV_ROW_LIMIT,
        # Where each register's aggregates come from and when.
        registers_about={
            opendata.REGISTER_STATISTICS.key: register_about(),
            opendata.VICTIM_STATISTICS.key: victim_register_about(),
        },
    )


@bp.route("/<lang:lang>/data/api/")
def api_reference(lang: str) -> ResponseReturnValue:
    """The API's reference, read from its OpenAPI document. The static copy serves no API: its
    reference points to the live portal's (PORTAL_LIVE_URL), or shows the paths alone."""
    document = api_document()
    server, openapi_url = document["servers"][0]["url"], url_for("api.openapi")
    if current_app.config["STATIC_SITE"]:
        live = current_app.config["LIVE_URL"].rstrip("/")
        server = f"{live}/api/v1" if live else "/api/v1"
        openapi_url = f"{server}/openapi.json" if live else None
    return render_page(
        "data/api.html",
        info=document["info"],
        server=server,
        openapi_url=openapi_url,
        operations=operations(document),
    )


def _published_dataset(key: str) -> opendata.Dataset:
    """The published dataset `key`, or a 404."""
    dataset = next((d for d in opendata.published_datasets(db_session()) if d.key == key), None)
    if dataset is None:
        abort(404)
    return dataset


@bp.route("/data/<key>.<any(csv, json):format>")
def download(key: str, format: str) -> ResponseReturnValue:
    """A whole dataset as CSV (UTF-8 with a byte-order mark) or JSON."""
    dataset = _published_dataset(key)
    body = _download_body(dataset, format)
    if format == "csv":
        return data_response(
            body,
            MEDIA_TYPES["csv"],
            **{"Content-Disposition": f'attachment; filename="{key}.csv"'},
        )
    return data_response(body, MEDIA_TYPES["json"])


def _download_body(dataset: opendata.Dataset, format: str) -> str:
    records = opendata.dataset_records(db_session(), dataset.key, absolute_url)
    if format == "csv":
        return opendata.to_csv(dataset, records)
    return opendata.json_download(dataset, records)


def _frozen_byte_sizes(datasets: list[opendata.Dataset]) -> dict[tuple[str, str], int]:
    """The size of each download of the static copy, read from the file the freeze wrote: the
    freeze renders the catalogue once every download is written (RENDERED_LAST in
    portal/static_site/app.py). The live portal makes its downloads from the database when
    asked, so their size changes with every load, import and removal, and the live catalogue
    leaves byteSize out."""
    if not current_app.config["STATIC_SITE"]:
        return {}
    output = Path(current_app.config["FREEZER_DESTINATION"])
    below_base = len(request.script_root)

    def written_size(key: str, format: str) -> int:
        # Frozen-Flask writes a URL's file at its path below the base path (PORTAL_SITE_URL's).
        path = url_for("data.download", key=key, format=format)[below_base:].lstrip("/")
        return (output / path).stat().st_size

    return {(d.key, f): written_size(d.key, f) for d in datasets for f in MEDIA_TYPES}


@bp.route("/data/catalog.jsonld")
def catalogue() -> ResponseReturnValue:
    datasets = _catalogued()
    body = json.dumps(
        opendata.dcat_catalogue(
            datasets,
            absolute_url,
            contact=opendata.publisher_contact(db_session()),
            byte_sizes=_frozen_byte_sizes([dataset for dataset, _ in datasets]),
            periods={d.key: opendata.dataset_period(db_session(), d.key) for d, _ in datasets},
        ),
        ensure_ascii=False,
    )
    return data_response(body, "application/ld+json")


@bp.route("/data/schemas/<key>.json")
def json_schema(key: str) -> ResponseReturnValue:
    """The JSON Schema of a published dataset's JSON download."""
    dataset = _published_dataset(key)
    body = json.dumps(opendata.json_download_schema(dataset, absolute_url), ensure_ascii=False)
    return data_response(body, "application/schema+json")


@bp.route("/data/datapackage.json")
def datapackage() -> ResponseReturnValue:
    """The CSV downloads described as a Frictionless Data Package."""
    body = json.dumps(data_package(_catalogued(), absolute_url), ensure_ascii=False, indent=1)
    return data_response(body, "application/json")
