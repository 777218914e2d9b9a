"""Markdown rendering: the features editors use, and nothing unsafe getting through."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content.markup import render_markdown

DANGEROUS_URL_PREFIXES = ("javascript:", "data:", "vbscript:")


def assert_safe(html: str) -> None:
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(["script", "style", "iframe", "object", "embed", "img", "form"])
    for element in page.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), element
            assert attribute != "style", element
            if attribute in ("href", "src"):
                assert not value.strip().lower().startswith(DANGEROUS_URL_PREFIXES), element


def test_tables_footnotes_and_heading_anchors() -> None:
    html = render_markdown(
        "## Basic facts\n\nFigures[^1].\n\n| Year | Cases |\n|---|--:|\n| 2020 | 161,600 |\n\n"
        "[^1]: Source: the court.\n"
    )
    page = BeautifulSoup(html, "html.parser")
    heading = page.find("h3")
    assert heading.get_text() == "Basic facts"
    assert heading["id"] == "section-basic-facts"
    assert [td.get_text() for td in page.select("table td")] == ["2020", "161,600"]
    reference = page.select_one("sup.footnote-ref a")
    assert page.find(id=reference["href"][1:]).get_text(strip=True).startswith("Source: the court")


def test_body_headings_sit_below_the_page_title() -> None:
    page = BeautifulSoup(render_markdown("# Not a second h1\n\n## Sub"), "html.parser")
    assert page.find("h1") is None
    assert [h.name for h in page.find_all(["h2", "h3"])] == ["h2", "h3"]


def test_chinese_headings_keep_readable_anchors() -> None:
    page = BeautifulSoup(render_markdown("## 基本案情\n\n## 典型意义"), "html.parser")
    assert [h["id"] for h in page.find_all("h3")] == ["section-基本案情", "section-典型意义"]


def test_scripts_event_handlers_and_dangerous_urls_are_removed() -> None:
    html = render_markdown(
        "<script>alert(1)</script>\n\n"
        'Text <a href="javascript:alert(1)" onclick="steal()">link</a>\n\n'
        "[data](data:text/html;base64,PHNjcmlwdD4=) [js](javascript:alert(2)) "
        "[ok](https://court.example/report)\n\n"
        '<img src="x" onerror="alert(3)"> <p style="color:red" onmouseover="x()">styled</p>\n\n'
        "<iframe src='https://evil.example'></iframe><form action='/x'><input></form>\n"
    )
    assert_safe(html)
    assert "alert(1)" not in html
    assert '<a href="https://court.example/report" rel="noopener noreferrer">ok</a>' in html


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_rendering_any_text_never_raises_and_is_always_safe(text: str) -> None:
    assert_safe(render_markdown(text))


HOSTILE_FRAGMENTS = st.sampled_from([
    "<script>", "</script>", "<a href='javascript:x'>", "onclick=", "<img src=x onerror=y>",
    "[a](data:text/html,x)", "[b](  JaVaScRiPt:x)", "<svg onload=x>", "<style>", "&#106;avascript:",
    "<", ">", "\"", "'", "`", "|", "[^1]", "\n", "## ", "<!--", "-->", "<![CDATA[",
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(HOSTILE_FRAGMENTS | st.text(max_size=5), max_size=30).map("".join))
def test_hostile_markup_fragments_never_get_through(text: str) -> None:
    assert_safe(render_markdown(text))
