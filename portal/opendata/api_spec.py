"""The JSON API's contract in one place: the query parameters of each listing, how they are
checked, and the OpenAPI 3.1 document built from them and from the datasets' fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.content.facets import CASE_FACETS
from portal.content.files import FIRST_YEAR, LAST_YEAR
from portal.opendata.datasets import (
    CASES,
    CHANGES,
    CSV_ROW_LIMIT,
    LICENCE_NAME,
    LICENCE_URL,
    PRESS_RELEASES,
    STATISTICS,
    VICTIM_STATISTICS,
    VOCABULARIES,
    VOCABULARY_KIND_NAMES,
    Dataset,
)
from portal.text.characters import USABLE_TEXT_PATTERN
from portal.text.languages import LANGUAGE_CODES
from portal.text.numbers import MAX_WHOLE_NUMBER, whole_number
from portal.victims.records import Failure, Status
from portal.victims.status import NextStep

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
VOCABULARY_PARAMETERS = {
    name: facet.vocabulary for name, facet in CASE_FACETS.items() if facet.vocabulary is not None
}


class InvalidParameter(ValueError):
    """A query parameter the API cannot use; the message says what was expected."""

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, what it means, and the values it takes."""

    name: str
    description: str
    type: str = "string"  # string | integer | datetime
    enum: tuple[str, ...] = ()
    vocabulary: str | None = None  # the vocabulary kind whose keys it takes
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None

    def schema(self, vocabularies: Mapping[str, list[str]]) -> dict[str, Any]:
        if self.type == "integer":
            schema: dict[str, Any] = {"type": "integer"}
            if self.minimum is not None:
                schema["minimum"] = self.minimum
            if self.maximum is not None:
                schema["maximum"] = self.maximum
        elif self.type == "datetime":
            schema = {
                "anyOf": [
                    {"type": "string", "format": "date"},
                    {"type": "string", "format": "date-time"},
                ]
            }
        elif self.vocabulary is not None:
            schema = {"type": "string", "enum": list(vocabularies.get(self.vocabulary, []))}
        elif self.enum:
            schema = {"type": "string", "enum": list(self.enum)}
        else:  # free text: the portal refuses the characters no text may hold (400)
            schema = {"type": "string", "pattern": USABLE_TEXT_PATTERN}
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def openapi(self, vocabularies: Mapping[str, list[str]]) -> dict[str, Any]:
        """The parameter as an OpenAPI query parameter object."""
        return {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": self.schema(vocabularies),
        }

    def parse(self, raw: str, vocabularies: Mapping[str, list[str]]) -> Any:
        if self.type == "integer":
            low = self.minimum if self.minimum is not None else 0
            high = self.maximum if self.maximum is not None else MAX_WHOLE_NUMBER
            value = whole_number(raw, low, high)
            if value is None:
                shown = raw if len(raw) <= 40 else f"{raw[:20]}… ({len(raw)} characters)"
                raise InvalidParameter(
                    self.name, f"expected a whole number from {low} to {high}, got {shown!r}"
                )
            return value
        if self.type == "datetime":
            return parse_since(self.name, raw)
        allowed = list(vocabularies.get(self.vocabulary, [])) if self.vocabulary else self.enum
        if allowed and raw not in allowed:
            raise InvalidParameter(
                self.name, f"{raw!r} is not one of the allowed values: {', '.join(allowed)}"
            )
        return raw


def parse_since(name: str, raw: str) -> dt.datetime:
    """A date (midnight UTC) or an RFC 3339 date-time, as the same instant in UTC; a date-time
    without an offset is taken as UTC."""
    text = raw.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        value = dt.datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    except (ValueError, OverflowError):  # OverflowError: 0001-01-01T00:00+01:00 is before year 1
        shown = raw if len(raw) <= 40 else f"{raw[:20]}… ({len(raw)} characters)"
        raise InvalidParameter(
            name,
            "expected a date (2021-01-15) or a date and time with its offset "
            f"(2021-01-15T08:00:00Z, 2021-01-15T16:00:00+08:00), got {shown!r}",
        ) from None


YEAR = Param(
    "year", "Only items of this year.", type="integer", minimum=FIRST_YEAR, maximum=LAST_YEAR
)
LANGUAGE = Param("language", "Only items published in this language.", enum=LANGUAGE_CODES)
# Bounded, so that no page number overflows a database integer when turned into an offset.
MAX_PAGE = 100_000
PAGE = Param("page", "Page number, from 1.", type="integer", minimum=1, maximum=MAX_PAGE, default=1)
PER_PAGE = Param(
    "per_page",
    "Items per page.",
    type="integer",
    minimum=1,
    maximum=MAX_PAGE_SIZE,
    default=DEFAULT_PAGE_SIZE,
)
FORMAT = Param(
    "format",
    f"json (default) or csv: the whole listing as CSV, UTF-8 with a byte-order mark, at most "
    f"{CSV_ROW_LIMIT} rows (page and per_page do not apply).",
    enum=("json", "csv"),
    default="json",
)
PAGING = (PAGE, PER_PAGE, FORMAT)


@dataclass(frozen=True)
class Listing:
    """A paginated listing of the API: its path, dataset and filters."""

    endpoint: str  # the view's name in the api blueprint
    path: str
    summary: str
    dataset: Dataset
    filters: tuple[Param, ...]

    @property
    def params(self) -> tuple[Param, ...]:
        return (*self.filters, *PAGING)

    def parse(self, args: Mapping[str, str], vocabularies: Mapping[str, list[str]]) -> dict:
        """The listing's parameters from a query string; unknown or bad ones raise."""
        return parse_params(self.params, args, vocabularies)


def parse_params(
    params: tuple[Param, ...], args: Mapping[str, str], vocabularies: Mapping[str, list[str]]
) -> dict[str, Any]:
    """Parameters from a query string, defaults for the missing; unknown or bad ones raise."""
    by_name = {param.name: param for param in params}
    for name in args:
        if name not in by_name:
            raise InvalidParameter(
                name, f"is not a parameter of this operation; allowed: {', '.join(by_name)}"
            )
    values = {param.name: param.default for param in params}
    for name, raw in args.items():
        values[name] = by_name[name].parse(raw, vocabularies)
    return values


LISTINGS = {
    listing.endpoint: listing
    for listing in (
        Listing(
            "press_releases",
            "/press-releases",
            "Press releases, newest first",
            PRESS_RELEASES,
            (YEAR, LANGUAGE),
        ),
        Listing(
            "cases",
            "/cases",
            "Typical cases, newest collection first",
            CASES,
            (
                *(
                    Param(
                        name,
                        f"Only cases with this {name} (a key of the vocabulary's {kind}).",
                        vocabulary=kind,
                    )
                    for name, kind in VOCABULARY_PARAMETERS.items()
                ),
                YEAR,
                LANGUAGE,
            ),
        ),
        Listing(
            "vocabularies",
            "/vocabularies",
            "The vocabularies cases refer to",
            VOCABULARIES,
            (Param("kind", "Only this kind of term.", enum=VOCABULARY_KIND_NAMES),),
        ),
        Listing("statistics", "/statistics", "Enforcement statistics", STATISTICS, (YEAR,)),
        Listing(
            "victim_statistics",
            "/victims/statistics",
            "Victims' registration and payout figures by case (aggregates only)",
            VICTIM_STATISTICS,
            (Param("case_key", "Only the figures of this case (its notice's key)."),),
        ),
        Listing(
            "changes",
            "/changes",
            "Items added, changed and removed since a time, oldest first",
            CHANGES,
            (
                Param(
                    "since",
                    "Changes at or after this date (midnight UTC) or date and time; default: all.",
                    type="datetime",
                ),
            ),
        ),
    )
}

SINGLE_ITEMS = {
    "press_release": (
        "/press-releases/{year}/{slug}",
        "One press release",
        PRESS_RELEASES,
        (
            ("year", {"type": "integer", "minimum": 1000, "maximum": 9999}),
            ("slug", {"type": "string"}),
        ),
    ),
    "case": (
        "/cases/{collection}/{slug}",
        "One typical case",
        CASES,
        (("collection", {"type": "string"}), ("slug", {"type": "string"})),
    ),
}


SEARCH_PARAMS: tuple[Param, ...] = (
    Param("q", "Words (all must match), \"quoted phrases\" and -exclusions; at most 200 characters "
          "are used."),
    Param("lang", "The language of the results (and of their labels).", enum=LANGUAGE_CODES,
          default="en"),
    Param("scope", "lang: only results in `lang`; all: both languages.", enum=("lang", "all"),
          default="lang"),
    Param("sort", "relevance or date (newest first).", enum=("relevance", "date"),
          default="relevance"),
    Param("page", "Page number, from 1.", type="integer", minimum=1, maximum=1000, default=1),
    Param(
        "kind",
        "Only press releases, only cases or only victim notices.",
        enum=("press", "case", "victims"),
    ),
    Param("language", "Only results in this language.", enum=LANGUAGE_CODES),
    *(
        Param(name, f"Only cases with this {name} (a key of the vocabulary's {kind}).",
              vocabulary=kind)
        for name, kind in VOCABULARY_PARAMETERS.items()
    ),
    YEAR,
)  # fmt: skip
SEARCH_RESULTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "suggestion": {"type": ["string", "null"]},
        "facets": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 1},
            },
        },
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "kind": {"type": "string", "enum": ["press", "case", "victims"]},
                    "lang": {"type": "string", "enum": list(LANGUAGE_CODES)},
                    "title": {"type": "string"},
                    "snippet_html": {"type": "string"},
                    "date": {"type": ["string", "null"], "format": "date"},
                    "year": {"type": "string"},
                    "court": {"type": ["string", "null"]},
                    "url": {"type": "string", "format": "uri"},
                },
                "required": ["id", "kind", "lang", "title", "snippet_html", "url"],
            },
        },
    },
    "required": ["query", "total", "page", "pages", "facets", "results"],
}


DEBTOR_LOOKUP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "as_of": {"type": ["string", "null"], "format": "date-time"},
        "demonstration_data": {"type": "boolean"},
        "list": {
            "type": "object",
            "description": "Which list the answer covers, in each language.",
            "additionalProperties": {"type": "string"},
        },
        "found": {"type": "boolean"},
        "match": {"type": "string", "enum": ["name_and_number", "name"]},
        "truncated": {"type": "boolean"},
        "records": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": ["person", "organisation"]},
                    "identifier": {
                        "type": "object",
                        "properties": {
                            "type": {
                                "type": "string",
                                "enum": ["resident_id", "unified_social_credit_code"],
                            },
                            "value": {"type": "string"},
                            "masked": {"type": "boolean"},
                        },
                        "required": ["type", "value", "masked"],
                    },
                    "court": {"type": "string"},
                    "case_number": {"type": "string"},
                    "published_on": {"type": "string", "format": "date"},
                    "listed_until": {
                        "type": ["string", "null"],
                        "format": "date",
                        "description": "The last day of the listing period; null: until removed.",
                    },
                    "court_contact": {
                        "type": ["object", "null"],
                        "description": "The enforcing court's published contact details, by "
                        "language; null when the court publishes none here.",
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                        },
                    },
                },
                "required": ["name", "kind", "identifier", "court", "published_on"],
            },
        },
    },
    "required": ["as_of", "found", "match", "records"],
}


_IN_LANGUAGES = {"type": "object", "additionalProperties": {"type": "string"}}
_YUAN = {"type": "string", "pattern": r"^\d+\.\d{2}$", "description": "Exact amount in yuan"}
VICTIM_STATUS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One answer: the registration when name, number and case match; otherwise "
    "found false, registration null and the same message whatever did not match.",
    "properties": {
        "found": {"type": "boolean"},
        "message": {**_IN_LANGUAGES, "type": ["object", "null"]},
        "registration": {
            "type": ["object", "null"],
            "properties": {
                "case_key": {"type": "string"},
                "case_url": {**_IN_LANGUAGES, "description": "The case's notice, by language"},
                "channel": {**_IN_LANGUAGES, "description": "The court's channel, by language"},
                "status": {"type": "string", "enum": [status.value for status in Status]},
                "status_text": _IN_LANGUAGES,
                "meaning": _IN_LANGUAGES,
                "next_step": {"type": "string", "enum": [step.value for step in NextStep]},
                "next_step_text": _IN_LANGUAGES,
                "identifier": {
                    "type": "object",
                    "properties": {"value": {"type": "string"}, "masked": {"type": "boolean"}},
                    "required": ["value", "masked"],
                },
                "claimed_amount": _YUAN,
                "confirmed_amount": {**_YUAN, "type": ["string", "null"]},
                "payments": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "batch": {"type": "integer", "minimum": 1},
                            "supplementary": {"type": "boolean"},
                            "paid_on": {"type": "string", "format": "date"},
                            "amount": _YUAN,
                            "paid": {"type": "boolean"},
                            "failure": {
                                "type": ["string", "null"],
                                "enum": [*(failure.value for failure in Failure), None],
                            },
                            "failure_text": {**_IN_LANGUAGES, "type": ["object", "null"]},
                        },
                    },
                },
                "demonstration": {"type": "boolean"},
            },
        },
    },
    "required": ["found", "registration", "message"],
}


def _guarded_lookup_responses(bad_body: str, unusable: str) -> dict[str, Any]:
    """The refusals a private lookup gives (debtors, victims): a bad body, another site's
    request, unusable fields, and the rate limit's."""
    return {
        "400": {**_problem_response(bad_body), "headers": RATELIMIT_HEADERS},
        "403": _problem_response(
            "The browser says another site sent the request (Sec-Fetch-Site or Origin)"
        ),
        "422": {**_problem_response(unusable), "headers": RATELIMIT_HEADERS},
        "429": {
            **_problem_response("Too many lookups from this client; see Retry-After"),
            "headers": {**RATELIMIT_HEADERS, "Retry-After": RETRY_AFTER},
        },
    }


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


_VALIDATORS = {
    "ETag": {"description": "Hash of the body", "schema": {"type": "string"}},
    "Last-Modified": {
        "description": "When the published data last changed",
        "schema": {"type": "string"},
    },
}


# draft-ietf-httpapi-ratelimit-headers-10: on every answer that spent the lookup budget.
RATELIMIT_HEADERS = {
    "RateLimit-Policy": {
        "description": "Every quota: name, quota q and window w in seconds, such as "
        '"minute";q=10;w=60, "day";q=100;w=86400',
        "schema": {"type": "string"},
    },
    "RateLimit": {
        "description": "What is left (r) of each quota this request was counted against, and "
        'the seconds until it frees up (t), such as "minute";r=7;t=58, "day";r=97;t=86398',
        "schema": {"type": "string"},
    },
}
RETRY_AFTER = {
    "description": "Seconds until a lookup is allowed again",
    "schema": {"type": "integer", "minimum": 1},
}


def _ok(description: str, schema_ref: str, csv: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": schema_ref}}}
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    return {"description": description, "headers": _VALIDATORS, "content": content}


def openapi_document(server_url: str, vocabularies: Mapping[str, list[str]]) -> dict[str, Any]:
    """The OpenAPI 3.1 description of the API; `vocabularies` gives the keys filters accept."""
    paths: dict[str, Any] = {
        "/": {
            "get": {
                "operationId": "index",
                "summary": "What the API offers",
                "responses": {
                    "200": {
                        "description": "Links to the listings",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "304": {"description": "Not modified"},
                },
            }
        },
    }
    errors = {
        "400": _problem_response("A query parameter is unknown or its value is not allowed"),
        "404": _problem_response("No such item or page"),
    }
    schemas: dict[str, Any] = {
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details",
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "parameter": {"type": "string"},
            },
            "required": ["type", "title", "status", "detail"],
        }
    }
    link = {"type": ["string", "null"], "format": "uri"}
    for listing in LISTINGS.values():
        name = _schema_name(listing.dataset)
        schemas[name] = listing.dataset.json_schema()
        schemas[f"{name}Page"] = {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1},
                "pages": {"type": "integer", "minimum": 1},
                "links": {
                    "type": "object",
                    "properties": dict.fromkeys(
                        ("self", "first", "last", "next", "previous"), link
                    ),
                    "required": ["self", "first", "last", "next", "previous"],
                },
            },
            "required": ["items", "total", "page", "per_page", "pages", "links"],
        }
        paths[listing.path] = {
            "get": {
                "operationId": listing.endpoint,
                "summary": listing.summary,
                "description": listing.dataset.description_en,
                "parameters": [p.openapi(vocabularies) for p in listing.params],
                "responses": {
                    "200": _ok(
                        "One page of the listing, or all of it as CSV",
                        f"#/components/schemas/{name}Page",
                        csv=True,
                    ),
                    "304": {"description": "Not modified since the ETag or date the client has"},
                    **errors,
                },
            }
        }
    schemas["SearchResults"] = SEARCH_RESULTS_SCHEMA
    paths["/search"] = {
        "get": {
            "operationId": "search",
            "summary": "Full-text search of press releases and cases, with facet counts",
            "parameters": [p.openapi(vocabularies) for p in SEARCH_PARAMS],
            "responses": {
                "200": _ok("One page of results", "#/components/schemas/SearchResults"),
                "304": {"description": "Not modified"},
                "400": errors["400"],
                "422": _problem_response(
                    "A parameter holds something shaped like an identity number, which is not "
                    "searched (the debtor lookup answers for those)"
                ),
                "503": _problem_response("The search index is missing or cannot be read"),
            },
        }
    }
    schemas["DebtorLookup"] = DEBTOR_LOOKUP_SCHEMA
    paths["/debtors/lookup"] = {
        "post": {
            "operationId": "debtor_lookup",
            "summary": "Is a person or organisation on the list of dishonest persons?",
            "description": "Send the name and, for an exact answer, the resident ID number or "
            "unified social credit code. Only records listed now are returned; a person's "
            "number is returned masked. Rate limited per client; never cached.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "name": {
                                    "type": "string",
                                    "maxLength": 200,
                                    "pattern": USABLE_TEXT_PATTERN,
                                },
                                "id_number": {
                                    "type": ["string", "null"],
                                    "pattern": USABLE_TEXT_PATTERN,
                                },
                            },
                            "required": ["name"],
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The listed records that match (possibly none)",
                    "headers": RATELIMIT_HEADERS,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/DebtorLookup"}
                        }
                    },
                },
                **_guarded_lookup_responses(
                    "The body is not a JSON object with a name",
                    "The name or the number cannot be used as sent",
                ),
            },
        }
    }
    schemas["VictimStatus"] = VICTIM_STATUS_SCHEMA
    text = {"type": "string", "maxLength": 200, "pattern": USABLE_TEXT_PATTERN}
    paths["/victims/status"] = {
        "post": {
            "operationId": "victim_status",
            "summary": "A registered victim's status, confirmed amount and payments",
            "description": "Send the name, the ID number and the case key of a registration. "
            "A match gives its status, what it means and what to do next, the confirmed amount "
            "and the payments, with the number masked; anything else gives one answer that "
            "does not say which detail did not match. The portal neither registers nor pays: "
            "the court's channel named in the case's notice does. Rate limited per client "
            "(the budget of the debtor lookup); never cached.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "name": text,
                                "id_number": {**text, "maxLength": 40},
                                "case_key": text,
                            },
                            "required": ["name", "id_number", "case_key"],
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The registration, or the one answer for no match",
                    "headers": RATELIMIT_HEADERS,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/VictimStatus"}
                        }
                    },
                },
                **_guarded_lookup_responses(
                    "The body is not a JSON object of three strings",
                    "A field is empty or the number is not valid",
                ),
            },
        }
    }
    for endpoint, (path, summary, dataset, parameters) in SINGLE_ITEMS.items():
        paths[path] = {
            "get": {
                "operationId": endpoint,
                "summary": summary,
                "parameters": [
                    {"name": n, "in": "path", "required": True, "schema": s} for n, s in parameters
                ],
                "responses": {
                    "200": _ok(summary, f"#/components/schemas/{_schema_name(dataset)}"),
                    "304": {"description": "Not modified"},
                    "404": errors["404"],
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Enforcement Transparency Portal API",
            "version": "1.0.0",
            "description": "Press releases, typical cases, vocabularies, enforcement statistics "
            "and the changes list of the portal, in English and Chinese. Every response carries "
            "an ETag and Last-Modified and answers 304 to a conditional request; CORS is open "
            "for GET. Listings are paginated (page, per_page) with links, a total, and "
            f"format=csv for the whole listing (at most {CSV_ROW_LIMIT} rows). Errors are RFC "
            "9457 problem details. The list of dishonest persons is never available in bulk.",
            "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _schema_name(dataset: Dataset) -> str:
    return "".join(part.capitalize() for part in dataset.key.split("-")) + "Record"
