"""schema.org descriptions of pages, embedded as JSON-LD: what search engines and dataset search
read to list the portal's releases and datasets and to offer its search box."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.db.models import PressRelease
from portal.db.queries import as_utc
from portal.opendata.datasets import LICENCE_URL, PUBLISHER, Dataset, PageUrl
from portal.text.languages import LANGUAGES

CONTEXT = "https://schema.org"
DOWNLOAD_TYPES = (("csv", "text/csv"), ("json", "application/json"))


def _publisher(lang: str) -> dict[str, str]:
    return {"@type": "GovernmentOrganization", "name": PUBLISHER[lang]}


def website(name: str, home_url: str, search_url: str, lang: str) -> dict[str, Any]:
    """The site, with a SearchAction: `search_url` ends in `q=`, where the words go."""
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": name,
        "url": home_url,
        "inLanguage": LANGUAGES[lang].html_lang,
        "publisher": _publisher(lang),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search_url + "{search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


def news_article(release: PressRelease, url: str) -> dict[str, Any]:
    """A press release as a NewsArticle."""
    return {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": release.title[:110],  # search engines cut headlines longer than this
        "description": release.summary,
        "datePublished": release.date.isoformat(),
        "dateModified": as_utc(release.updated_at).isoformat(),
        "inLanguage": LANGUAGES[release.lang].html_lang,
        "url": url,
        "mainEntityOfPage": url,
        "publisher": _publisher(release.lang),
        "author": _publisher(release.lang),
        "keywords": list(release.tags),
    }


def datasets(
    catalogued: Sequence[tuple[Dataset, dt.datetime | None]], page_url: PageUrl, lang: str
) -> list[dict[str, Any]]:
    """Every published dataset, with its downloads as distributions."""
    landing = page_url("data.index", lang=lang)
    return [
        {
            "@context": CONTEXT,
            "@type": "Dataset",
            "@id": f"{landing}#dataset-{dataset.key}",
            "name": getattr(dataset, f"title_{lang}"),
            "description": getattr(dataset, f"description_{lang}"),
            "url": f"{landing}#dataset-{dataset.key}",
            "identifier": dataset.key,
            "keywords": [pair[0 if lang == "en" else 1] for pair in dataset.keywords],
            "inLanguage": [language.html_lang for language in LANGUAGES.values()],
            "license": LICENCE_URL,
            "isAccessibleForFree": True,
            "creator": _publisher(lang),
            "publisher": _publisher(lang),
            **({"dateModified": as_utc(changed).isoformat()} if changed else {}),
            "variableMeasured": [field.name for field in dataset.fields],
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": media_type,
                    "contentUrl": page_url("data.download", key=dataset.key, format=format_),
                }
                for format_, media_type in DOWNLOAD_TYPES
            ],
        }
        for dataset, changed in catalogued
    ]
