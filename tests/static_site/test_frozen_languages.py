"""The frozen copy speaks each page's language: `portal freeze` with two render processes, on the
proof site (every page kind) and on the bundled content, and after a translation is added."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flask import Flask

from portal.db.load import load_content
from portal.web.db import session_factory
from tests.support.freezing import freeze_through_the_cli
from tests.support.pagekinds import HTML_LANG
from tests.support.site import SiteBuilder, build_bundled_site

HAN = re.compile(r"[\u3400-\u9fff]")
# Words of the interface that are not English: the languages' own names, offered to switch.
LANGUAGE_NAMES = ("中文", "English")
CHINESE_NAVIGATION = ("首页", "新闻发布", "典型案例", "搜索", "开放数据", "主导航", "语言", "页脚")
ENGLISH_NAVIGATION = ("Home", "Press releases", "Typical cases", "Search", "Open data", "Main")
# English words of the interface (not of content, which a test site may leave untranslated).
ENGLISH_INTERFACE = (
    *ENGLISH_NAVIGATION, "Language", "Footer", "Statistics", "About", "Debtor lookup",
    "Next case", "Previous case", "Licence", "Type", "Year", "Court", "All", "results",
)  # fmt: skip


class Interface(HTMLParser):
    """A page's `<html lang>`, the text and labels of its header, navigation, footer and forms
    (outside elements in a language of their own), and its search filters."""

    # The site's header and footer, its navigation (the breadcrumbs name pages: content) and
    # forms; an article's own header holds its title, content too.
    REGIONS: ClassVar[dict[str, str]] = {
        "header": "site-header",
        "footer": "site-footer",
        "nav": "",
        "form": "",
    }
    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "source", "wbr"})
    LABELS = ("aria-label", "placeholder", "title", "data-all", "data-count", "data-none")

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.texts: list[str] = []
        self.filters: list[str] = []
        self._open: list[tuple[str, bool, bool]] = []  # tag, in a region, in another language
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = values.get("lang")
        if "data-pagefind-filter" in values:
            self.filters.append(values["data-pagefind-filter"])
        region, foreign = self._open[-1][1:] if self._open else (False, False)
        region = region or self._is_region(tag, values)
        foreign = foreign or (tag != "html" and "lang" in values)
        if region and not foreign:
            self.texts += [values[name] for name in self.LABELS if values.get(name)]
            # The static search's filter names, by the facet's key.
            self.texts += json.loads(values.get("data-filter-names") or "{}").values()
        if tag not in self.VOID:
            self._open.append((tag, region, foreign))

    def _is_region(self, tag: str, values: dict[str, str]) -> bool:
        classes = values.get("class", "").split()
        if tag not in self.REGIONS or "breadcrumbs" in classes:
            return False
        return not self.REGIONS[tag] or self.REGIONS[tag] in classes

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1][1] and not self._open[-1][2] and data.strip():
            self.texts.append(data.strip())

    def text(self) -> str:
        joined = re.sub(r"\{\w+\}", "", " ".join(self.texts))  # placeholders the script fills
        for name in LANGUAGE_NAMES:
            joined = joined.replace(name, "")
        return joined


def wrong_language(out: Path) -> list[str]:
    """Every HTML page under /en/ or /zh/ whose `<html lang>` or interface is not in that
    language, with what gives it away."""
    problems = []
    for path in sorted(out.glob("*/**/*.html")):
        name = path.relative_to(out).as_posix()
        lang = name.split("/", 1)[0]
        if lang not in HTML_LANG:
            continue
        page = Interface(path.read_text(encoding="utf-8"))
        text = page.text()
        if page.html_lang != HTML_LANG[lang]:
            problems.append(f"{name}: <html lang={page.html_lang}>")
        if lang == "en":
            chinese = [t for t in [text, *page.filters] if HAN.search(t)]
            if chinese or not any(label in text for label in ENGLISH_NAVIGATION):
                problems.append(f"{name}: {chinese[:1] or text[:60]}")
        else:
            english = [label for label in ENGLISH_INTERFACE if re.search(rf"\b{label}\b", text)]
            kinds = [f for f in page.filters if f.startswith("kind:") and not HAN.search(f)]
            missing = [label for label in CHINESE_NAVIGATION if label not in text]
            if english or kinds or missing:
                problems.append(f"{name}: {english[:3]} {kinds} missing {missing}")
    return problems


def portal_freeze(app: Flask, out: Path, processes: int = 2) -> None:
    """`portal freeze OUT` in a shell whose environment holds `app`'s settings."""
    result = freeze_through_the_cli(app, out, "--no-pagefind", processes=processes)
    assert result.exit_code == 0, result.output
    assert f"rendered in {processes} process(es)" in result.output


def html_pages(out: Path, lang: str) -> list[Path]:
    return list((out / lang).rglob("*.html"))


def test_every_page_of_the_proof_site_speaks_its_language(proof_app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "out"
    portal_freeze(proof_app, out)
    assert len(html_pages(out, "en")) > 20
    assert len(html_pages(out, "zh")) > 20
    assert wrong_language(out) == []


def test_every_page_of_the_bundled_content_speaks_its_language(
    sqlite_url: str, tmp_path: Path
) -> None:
    app = build_bundled_site(sqlite_url)
    app.config["INDEX_DIR"] = str(tmp_path / "index")
    out = tmp_path / "out"
    portal_freeze(app, out)
    assert wrong_language(out) == []
    search = out / "en/search/index.html"
    assert '"kind": "Type"' in search.read_text(encoding="utf-8")
    kinds = {
        value
        for path in out.glob("en/**/index.html")
        for value in Interface(path.read_text(encoding="utf-8")).filters
        if value.startswith("kind:")
    }
    # What Pagefind offers to filter.
    assert kinds == {"kind:Typical case", "kind:Press release", "kind:Victim notice"}


def alternates(page: Path) -> list[tuple[str, str]]:
    text = page.read_text(encoding="utf-8")
    return re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text)


@pytest.mark.parametrize("processes", [1, 2])
def test_after_a_translation_is_added_the_other_language_links_to_it(
    make_app: Any, site: SiteBuilder, sqlite_url: str, tmp_path: Path, processes: int
) -> None:
    site.standard()
    site.release(2022, "new-measures", "en", date="2022-03-01", title="New measures")
    app = make_app(sqlite_url)
    out = tmp_path / "out"
    english = out / "en/press/2022/new-measures/index.html"
    portal_freeze(app, out, processes)
    assert alternates(english) == []
    assert "/zh/press/2022/new-measures/" not in english.read_text(encoding="utf-8")
    site.release(2022, "new-measures", "zh", date="2022-03-01", title="新措施")
    load_content(session_factory(app), site.content, site.cases)
    portal_freeze(app, out, processes)
    page = english.read_text(encoding="utf-8")
    chinese_url = "https://portal.example.test/zh/press/2022/new-measures/"
    assert ("zh-Hans", chinese_url) in alternates(english)
    assert '<a href="/zh/press/2022/new-measures/" hreflang="zh-Hans" lang="zh-Hans">中文</a>' in (
        page
    )
    assert "新措施" in (out / "zh/press/2022/new-measures/index.html").read_text(encoding="utf-8")
