"""Every kind of page the portal serves, in both languages, on one small site that holds an
example of each: the catalogue that the page checks, the browser, axe, the Nu checker, the
security scoring and the fuzzers all walk.

A page kind names where a page is and, for the forms whose answer is a page of its own (the
debtor lookup), what to post. `frozen` says whether the frozen site (issue 6) has the page, so a
frozen-site server can run the same checks over the same catalogue when it arrives.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from portal.db.engine import upgrade_schema
from portal.db.load import load_content
from portal.debtors.importer import import_debtors
from portal.registers.identity import IdentityKeys
from portal.search.service import rebuild_search_index
from portal.web import create_app
from portal.web.db import database_engine, session_factory
from tests.support.debtorfiles import TEST_SECRET, organisation, person, resident_id, write_csv
from tests.support.victimfiles import add_victims, confirmed_victim

LANGUAGES = ("en", "zh")
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
SITE_URL = "https://portal.example.test"

# The debtor on the proof site's list, looked up by name and number.
DEBTOR_NAME = "张伟"
DEBTOR_NUMBER = resident_id()
# The proof site's victims' case, and the victim who checks their status: confirmed, paid in
# batch 1, their batch 2 payment failed; 11 others, so that the case's figures are shown.
VICTIM_CASE = "demo-case"
VICTIM_NAME = "王芳"
VICTIM_NUMBER = resident_id("310104", "19700315", "246")


@dataclass(frozen=True)
class PageKind:
    """One kind of page: `path` holds `{lang}`; `form` (if any) is posted to it."""

    name: str
    path: str
    status: int = 200
    form: dict[str, str] | None = None
    frozen: bool = True
    # Per-language values for `{query}` in `path`.
    query: dict[str, str] = field(default_factory=dict)

    def url(self, lang: str) -> str:
        return self.path.format(lang=lang, query=self.query.get(lang, ""))

    @property
    def method(self) -> str:
        return "POST" if self.form is not None else "GET"


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", "/{lang}/"),
    PageKind("page", "/{lang}/about/"),
    PageKind("press-list", "/{lang}/press/"),
    PageKind("press-year", "/{lang}/press/2021/"),
    PageKind("press-release", "/{lang}/press/2021/annual-report/"),
    PageKind("cases", "/{lang}/cases/"),
    PageKind("cases-facet", "/{lang}/cases/court/minhang-district/"),
    PageKind("collections", "/{lang}/cases/collections/"),
    PageKind("collection", "/{lang}/cases/2020-difficult/"),
    PageKind("case", "/{lang}/cases/2020-difficult/02-li/"),
    PageKind("search", "/{lang}/search/", frozen=False),
    PageKind(
        "search-results",
        "/{lang}/search/?q={query}&scope=all",
        query={"en": "case", "zh": "年度报告"},
        frozen=False,
    ),
    PageKind("search-facet", "/{lang}/search/?q=&kind=case&year=2020", frozen=False),
    PageKind("search-nothing", "/{lang}/search/?q=zzyzx", frozen=False),
    PageKind("lookup", "/{lang}/debtors/", frozen=False),
    PageKind(
        "lookup-found",
        "/{lang}/debtors/",
        form={"name": DEBTOR_NAME, "number": DEBTOR_NUMBER},
        frozen=False,
    ),
    PageKind(
        "lookup-absent", "/{lang}/debtors/", form={"name": "王五", "number": ""}, frozen=False
    ),
    PageKind(
        "lookup-invalid",
        "/{lang}/debtors/",
        status=422,
        form={"name": "", "number": "310101"},
        frozen=False,
    ),
    PageKind("contact", "/{lang}/contact/"),
    PageKind("statistics", "/{lang}/statistics/"),
    PageKind("victims", "/{lang}/victims/"),
    PageKind("victim-notice", "/{lang}/victims/demo-case/"),
    PageKind("victim-status", "/{lang}/victims/status/"),
    PageKind(
        "victim-status-found",
        "/{lang}/victims/status/",
        form={"name": VICTIM_NAME, "number": VICTIM_NUMBER, "case": VICTIM_CASE},
        frozen=False,
    ),
    PageKind(
        "victim-status-none",
        "/{lang}/victims/status/",
        form={"name": "王五", "number": VICTIM_NUMBER, "case": VICTIM_CASE},
        frozen=False,
    ),
    PageKind(
        "victim-status-invalid",
        "/{lang}/victims/status/",
        status=422,
        form={"name": "", "number": "310101", "case": ""},
        frozen=False,
    ),
    PageKind("data", "/{lang}/data/"),
    PageKind("api-reference", "/{lang}/data/api/"),
    PageKind("feeds", "/{lang}/feeds/"),
    PageKind("not-found", "/{lang}/no-such-page/", status=404, frozen=False),
)

# Responses that are not pages but must carry the security headers all the same.
OTHER_RESPONSES: tuple[str, ...] = (
    "/",
    "/api/v1/",
    "/api/v1/openapi.json",
    "/api/v1/cases",
    "/api/v1/search?q=case",
    "/feeds/en/press.atom",
    "/feeds/en/victims.atom",
    "/en/search/feed.atom?q=case",
    "/sitemap.xml",
    "/robots.txt",
    "/data/catalog.jsonld",
    "/static/css/portal.css",
    "/static/js/copy.js",
    "/api/v1/no-such-thing",
)


def every_page() -> Iterator[tuple[PageKind, str]]:
    """Each page kind in each language."""
    for kind in PAGE_KINDS:
        for lang in LANGUAGES:
            yield kind, lang


def page_ids() -> list[str]:
    return [f"{kind.name}-{lang}" for kind, lang in every_page()]


def build_proof_site(root: Path, **overrides) -> Flask:
    """The small site that holds an example of every page kind: releases, pages, cases in two
    collections, statistics, a victim notice, a search index and a debtor list; on SQLite unless
    overridden."""
    from tests.support.site import SiteBuilder

    site = SiteBuilder(root / "site")
    site.standard().standard_cases().statistics()
    for lang in ("en", "zh"):
        site.page("contact", lang)
        site.victim_notice(lang=lang)
    settings = {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{root / 'portal.sqlite3'}",
        "CONTENT_DIR": str(site.content),
        "CASES_DIR": str(site.cases),
        "INDEX_DIR": str(root / "search_index"),
        "SITE_URL": SITE_URL,
        "SECRET_KEY": TEST_SECRET,
        "RATELIMIT_ENABLED": False,
    } | overrides
    app = create_app(settings)
    factory = session_factory(app)
    upgrade_schema(database_engine(app))
    load_content(factory, site.content, site.cases)
    rebuild_search_index(factory, Path(settings["INDEX_DIR"]))
    rows = [
        person("R1", name=DEBTOR_NAME, id_number=DEBTOR_NUMBER),
        person("R2", name=DEBTOR_NAME, id_number=resident_id(sequence="456")),
        organisation("O1"),
    ]
    listing = write_csv(root / "debtors.csv", rows)
    import_debtors(factory, listing, IdentityKeys.from_secret(TEST_SECRET))
    victims = [confirmed_victim("V1", case_key=VICTIM_CASE, name=VICTIM_NAME,
                                id_number=VICTIM_NUMBER)]  # fmt: skip
    victims += [
        confirmed_victim(f"V{n}", case_key=VICTIM_CASE, name=f"测试{n}",
                         id_number=resident_id(sequence=f"{n:03d}"))
        for n in range(2, 13)
    ]  # fmt: skip
    with factory() as session:
        add_victims(session, IdentityKeys.from_secret(TEST_SECRET), victims)
    return app
