"""Building portal sites in temporary folders, and what every test may need to know of the
machine it runs on (CI, PostgreSQL, the optional tools)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import textwrap
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml
from flask import Flask

from portal.db.engine import upgrade_schema
from portal.db.load import load_content
from portal.web import create_app
from portal.web.db import database_engine, session_factory

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
POSTGRES_URL = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI") == "true"
ARTIFACTS = REPO_ROOT / "test-artifacts"
# What the titles and keys of SiteBuilder.unpublished's drafts and scheduled items hold.
UNPUBLISHED_MARKERS = ("draftmarker", "schedmarker", "Draftmarker", "Schedmarker")


def victim_notice_fields(lang: str = "en") -> dict[str, Any]:
    """The bundled demonstration notice's front matter, to vary one field at a time."""
    text = (REPO_ROOT / f"content/victims/demo-2026-01.{lang}.md").read_text("utf-8")
    return yaml.safe_load(text.split("---")[1])


class SiteBuilder:
    """Writes content files into a temporary site folder, the way an editor would."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.cases = root / "cases"
        self.content.mkdir(parents=True, exist_ok=True)
        self.cases.mkdir(parents=True, exist_ok=True)

    def write(self, relative: str, front_matter: dict[str, Any] | str, body: str = "") -> Path:
        """Write a content file; `front_matter` is a dict (dumped as YAML) or raw YAML text."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(front_matter, dict):
            front_matter = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{front_matter.strip()}\n---\n{textwrap.dedent(body)}", "utf-8")
        return path

    def release(self, year: int, slug: str, lang: str = "en", body: str = "Text.", **fields: Any):
        """Write a valid press release, with `fields` added to or replacing the defaults."""
        front = {
            "title": f"Release {slug} ({lang})",
            "date": fields.pop("date", f"{year}-01-15"),
            "summary": f"Summary of {slug}.",
        }
        front.update(fields)
        text_front = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        # safe_dump quotes date strings; dates in real files are bare YAML dates.
        text_front = text_front.replace(f"'{front['date']}'", str(front["date"]))
        return self.write(f"press/{year}/{slug}.{lang}.md", text_front, body)

    def page(self, slug: str, lang: str = "en", body: str = "Page text.", **fields: Any) -> Path:
        """Write a valid plain page."""
        front = {"title": f"Page {slug} ({lang})", "summary": f"About {slug}."} | fields
        return self.write(f"pages/{slug}.{lang}.md", front, body)

    def victim_notice(
        self, key: str = "demo-case", lang: str = "en", body: str = "Notice.", **fields: Any
    ) -> Path:
        """Write a valid victim notice: the bundled demonstration with `fields` changed."""
        return self.write(f"victims/{key}.{lang}.md", victim_notice_fields(lang) | fields, body)

    def vocabulary(self, **extra: dict[str, dict[str, str]]) -> None:
        """Write a small vocabulary: two courts, two causes, two categories, three measures."""
        terms = {
            "courts": {
                "minhang-district": {"en": "Minhang District Court", "zh": "闵行区人民法院"},
                "shanghai-no1-intermediate": {
                    "en": "No.1 Intermediate Court",
                    "zh": "第一中级人民法院",
                },
            },
            "causes": {
                "private-lending": {"en": "Private lending", "zh": "民间借贷纠纷"},
                "service-contract": {"en": "Service contract", "zh": "服务合同纠纷"},
            },
            "categories": {
                "difficult-enforcement": {"en": "Difficult enforcement", "zh": "执行难"},
                "joint-disciplinary-actions": {"en": "Joint discipline", "zh": "联合惩戒"},
            },
            "measures": {
                "fine": {"en": "Fine", "zh": "罚款"},
                "detention": {"en": "Detention", "zh": "拘留"},
                "judicial-auction": {"en": "Judicial auction", "zh": "司法拍卖"},
            },
        } | extra
        text = yaml.safe_dump(terms, allow_unicode=True, sort_keys=False)
        (self.cases / "vocabulary.yaml").write_text(text, "utf-8")

    def collection(self, key: str, lang: str = "en", body: str = "Intro.", **fields: Any) -> Path:
        """Write a valid typical-case collection file (and a vocabulary if there is none)."""
        if not (self.cases / "vocabulary.yaml").exists():
            self.vocabulary()
        front = {
            "title": f"Collection {key} ({lang})",
            "summary": f"Cases of {key}.",
            "year": 2020,
            "category": "difficult-enforcement",
            "total_cases": 10,
        } | fields
        return self._write_file(self.cases / key / f"collection.{lang}.md", front, body)

    def case(self, key: str, stem: str, lang: str = "en", body: str = "", **fields: Any) -> Path:
        """Write a valid case `<nn>-<slug>` into collection `key`."""
        front = {
            "title": f"Case {stem} ({lang})",
            "parties": "A v. B",
            "number": int(stem[:2]),
            "court": "minhang-district",
            "cause": "private-lending",
            "category": "difficult-enforcement",
            "year": 2020,
        } | fields
        return self._write_file(self.cases / key / f"{stem}.{lang}.md", front, body)

    def standard_cases(self) -> SiteBuilder:
        """Two collections in both languages, three cases; the annual report releases both."""
        for lang in ("en", "zh"):
            self.collection("2020-difficult", lang, year=2020)
            self.collection(
                "2021-discipline", lang, year=2021, category="joint-disciplinary-actions"
            )
            self.case("2020-difficult", "01-zhang", lang, measures=["fine", "detention"])
            self.case("2020-difficult", "02-li", lang, court="shanghai-no1-intermediate",
                      body="## Basic facts\n\nFacts of the case.\n")  # fmt: skip
            self.case("2021-discipline", "01-wang", lang, year=2021, cause="service-contract",
                      category="joint-disciplinary-actions", measures=["fine"])  # fmt: skip
        return self

    STATISTICS_SENTENCES = (
        "In 2020, the courts accepted 1,250 cases and concluded 900, up 25% year on year.",
        "The courts detained more than 20 people and paid RMB 5 million to workers.",
    )
    STATISTICS_SENTENCES_ZH = (
        "2020年，法院受理案件1250件，执结900件，同比上升25%。",
        "法院司法拘留20余人，向工人兑付款项500万元。",
    )

    def statistics_data(self) -> dict[str, Any]:
        """A valid statistics dataset quoting the release `statistics()` writes."""
        first, second = self.STATISTICS_SENTENCES
        first_zh, second_zh = self.STATISTICS_SENTENCES_ZH
        return {
            "release": "2021/work-report",
            "groups": [
                {
                    "key": "caseload",
                    "title": {"en": "Cases", "zh": "案件"},
                    "chart": True,
                    "figures": [
                        {"key": "accepted", "year": 2020, "value": 1250, "unit": "cases",
                         "label": {"en": "Cases accepted", "zh": "受理案件"},
                         "change_percent": 25, "sentence": first,
                         "sentence_zh": first_zh},
                        {"key": "accepted", "year": 2019, "derived": True, "value": 1000},
                        {"key": "concluded", "year": 2020, "value": 900, "unit": "cases",
                         "label": {"en": "Cases concluded", "zh": "执结案件"},
                         "sentence": first,
                         "sentence_zh": first_zh},
                    ],
                },
                {
                    "key": "measures",
                    "title": {"en": "Measures", "zh": "措施"},
                    "figures": [
                        {"key": "detained", "year": 2020, "value": 20, "unit": "people",
                         "qualifier": "more-than", "label": {"en": "Detained", "zh": "拘留"},
                         "sentence": second,
                         "sentence_zh": second_zh},
                        {"key": "paid", "year": 2020, "value": 5000000, "unit": "yuan",
                         "label": {"en": "Paid to workers", "zh": "向工人兑付"},
                         "sentence": second,
                         "sentence_zh": second_zh},
                    ],
                },
            ],
        }  # fmt: skip

    def statistics(self, data: dict[str, Any] | str | None = None) -> SiteBuilder:
        """A release in both languages and a statistics file quoting it (`data` replaces it)."""
        body = "Opening paragraph.\n\n{}\n\n{}\n".format(*self.STATISTICS_SENTENCES)
        self.release(2021, "work-report", "en", body=body, date="2021-01-20")
        body_zh = "开头一段。\n\n{}\n\n{}\n".format(*self.STATISTICS_SENTENCES_ZH)
        self.release(2021, "work-report", "zh", body=body_zh, date="2021-01-20")
        data = self.statistics_data() if data is None else data
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        path = self.content / "statistics" / "figures.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        return self

    def _write_file(self, path: Path, front: dict[str, Any], body: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{text}---\n{textwrap.dedent(body)}", "utf-8")
        return path

    def standard(self) -> SiteBuilder:
        """A small bilingual site: one release in both languages, one in English only, pages."""
        self.release(
            2021, "annual-report", "en", date="2021-01-15", translation_note="For reference."
        )
        self.release(2021, "annual-report", "zh", date="2021-01-15", title="年度报告",
                     sample_translation=True)  # fmt: skip
        self.release(2020, "older-news", "en", date="2020-06-01")
        for lang in ("en", "zh"):
            self.page("about", lang)
            self.page("licence", lang)
        return self

    def search_texts(self) -> SiteBuilder:
        """Text to search in, over the standard site: the Chinese release with a body, an
        English one with figures and markup, and a title a spreadsheet would run as a formula."""
        self.release(2021, "annual-report", "zh", date="2021-01-15", title="年度报告",
                     body="最高人民法院发布失信被执行人名单。民间借贷纠纷案件增多。")  # fmt: skip
        body = "The courts detained 208 people. Code: `<b>bold</b>` and lending."
        self.release(2020, "older-news", "en", date="2020-06-01", title="Detention figures",
                     body=body)  # fmt: skip
        self.release(2019, "formula", "en", date="2019-06-01", title="=HYPERLINK(\"x\") sheet",
                     body="A title a spreadsheet would run.")  # fmt: skip
        return self

    def unpublished(self, later: dt.date) -> SiteBuilder:
        """The standard site and its cases, with a draft and an item scheduled for `later` of
        every kind; each one's title or key holds one of UNPUBLISHED_MARKERS."""
        self.standard()
        self.standard_cases()
        annex = self.content / "press" / "2021" / "draftmarker-annex.pdf"
        annex.parent.mkdir(parents=True, exist_ok=True)
        annex.write_bytes(b"%PDF-1.4 draft annex")
        self.release(2021, "draftmarker", "en", draft=True, title="Draftmarker release",
                     body="Zebracorn text.",
                     tags=["draftmarker"],
                     attachments=[{"file": "draftmarker-annex.pdf", "title": "Annex"}])  # fmt: skip
        for lang in ("en", "zh"):
            self.release(later.year, "schedmarker", lang, date=later.isoformat(),
                         body="Zebracorn.", title=f"Schedmarker release ({lang})")  # fmt: skip
        self.case("2020-difficult", "03-draftmarker", draft=True, title="Draftmarker case",
                  measures=["judicial-auction"])  # fmt: skip
        self.case("2020-difficult", "04-schedmarker", publish_on=later, title="Schedmarker case")
        self.collection("2022-draftmarker", draft=True, title="Draftmarker collection", year=2022)
        self.case("2022-draftmarker", "01-inherits", year=2022, title="Draftmarker inherited")
        self.collection("2023-schedmarker", publish_on=later, title="Schedmarker collection",
                        year=2023)  # fmt: skip
        self.case("2023-schedmarker", "01-inherits", year=2023, title="Schedmarker inherited")
        return self


def cannot_run(message: str) -> NoReturn:
    """A test that needs something missing: skipped locally, failed under CI=true, where
    nothing CI is meant to check may skip."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def require_tool(path: str | None, what: str) -> str:
    """`path` if the tool is there; otherwise skip locally, and fail under CI=true."""
    if path:
        return path
    cannot_run(f"{what} is not installed (.ci/run installs it)")


def require_module(name: str):
    """Import a test dependency; skip locally without it, and fail under CI=true."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as error:
        cannot_run(f"{name} is not installed (it is in the [test] extra): {error}")


def serve_folder(folder: Path, headers: dict[str, str] | None = None) -> tuple[str, Any]:
    """Serve a folder of static files on 127.0.0.1 (a free port) in a thread, as a static host
    would, adding `headers` to each answer; returns the base URL and the server (to shut down)."""
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def build_bundled_site(database_url: str) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "CONTENT_DIR": str(REPO_ROOT / "content"),
            "CASES_DIR": str(REPO_ROOT / "cases"),
        }
    )
    upgrade_schema(database_engine(app))
    load_content(session_factory(app), REPO_ROOT / "content", REPO_ROOT / "cases")
    return app
