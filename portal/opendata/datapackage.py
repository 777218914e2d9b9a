"""The catalogue as a Frictionless Data Package (`datapackage.json`): every CSV download with its
Table Schema, so data users' tools (frictionless, Open Knowledge's validators, CKAN) can read and
check the files without reading our documentation first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.db.queries import as_utc
from portal.opendata.datasets import LICENCE_NAME, LICENCE_URL, Dataset, Field, PageUrl

# Table Schema's name for each field type; lists are written to CSV joined by semicolons.
_TABLE_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
_TABLE_FORMATS = {"date": ("date", "default"), "date-time": ("datetime", "default")}


def _table_field(field: Field) -> dict[str, Any]:
    """One field of a download's Table Schema, from the field of the data dictionary."""
    described: dict[str, Any] = {"name": field.name, "description": field.en}
    if field.type == "array":
        described |= {"type": "string", "description": f"{field.en} (joined by semicolons)"}
    elif field.format in _TABLE_FORMATS:
        described["type"], described["format"] = _TABLE_FORMATS[field.format]
    else:
        described["type"] = _TABLE_TYPES[field.type]
        if field.format == "uri":
            described["format"] = "uri"
    if field.type == "boolean":
        described |= {"trueValues": ["true"], "falseValues": ["false"]}
    if not field.nullable and field.type != "array":  # an empty list is an empty cell
        described["constraints"] = {"required": True}
    return described


def data_package(
    datasets: Sequence[tuple[Dataset, dt.datetime | None]], page_url: PageUrl
) -> dict[str, Any]:
    """The Data Package descriptor of the catalogue's CSV downloads. Paths are relative to the
    descriptor (served beside the downloads), so the same file works live and in the static copy."""
    changes = [as_utc(changed) for _, changed in datasets if changed is not None]
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "enforcement-portal-open-data",
        "title": "Open data of the Enforcement Transparency Portal",
        "description": "Press releases, typical cases, vocabularies and enforcement statistics "
        "of the Shanghai courts, in English and Chinese. 执行公开平台开放数据。",
        "homepage": page_url("data.index", lang="en"),
        "licenses": [{"name": "CC-BY-4.0", "path": LICENCE_URL, "title": LICENCE_NAME}],
        "resources": [
            {
                "name": dataset.key,
                "title": dataset.title_en,
                "description": dataset.description_en,
                "path": f"{dataset.key}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                # The downloads start with a byte-order mark, so spreadsheets read them as UTF-8.
                "encoding": "utf-8-sig",
                "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\r\n"},
                "schema": {
                    "fields": [_table_field(field) for field in dataset.fields],
                    "missingValues": [""],
                },
            }
            for dataset, _ in datasets
        ],
    }
    if changes:
        descriptor["created"] = max(changes).isoformat().replace("+00:00", "Z")
    return descriptor
