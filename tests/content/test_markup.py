"""Markdown rendering: the features editors use, and nothing unsafe getting through."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content.markup import paragraph_texts, render_markdown

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
        '[^1]: Source: [the court](https://court.example/ "Its site").\n'
    )
    page = BeautifulSoup(html, "html.parser")
    heading = page.find("h3")
    assert heading.get_text() == "Basic facts"
    assert heading["id"] == "section-basic-facts"
    assert [th.get_text() for th in page.select("table thead th")] == ["Year", "Cases"]
    assert [td.get_text() for td in page.select("table tbody td")] == ["2020", "161,600"]
    reference = page.select_one("p sup a")
    assert reference.get_text() == "[1]"
    note = page.find(id=reference["href"][1:])
    assert " ".join(note.get_text().split()).startswith("Source: the court.")
    assert note.find_parent("section")["class"] == ["footnotes"]
    back = note.select_one("a[href^='#']")
    assert page.find(id=back["href"][1:]) is reference.parent
    assert not back.has_attr("title")  # no English tooltip on Chinese pages
    assert note.find("a", href="https://court.example/")["title"] == "Its site"


def test_body_headings_sit_below_the_page_title() -> None:
    page = BeautifulSoup(
        render_markdown("# Not a second h1\n\n## Sub\n\n##### Five\n\n###### Six"), "html.parser"
    )
    assert page.find("h1") is None
    assert [h.name for h in page.find_all(True) if h.name[0] == "h"] == ["h2", "h3", "h6", "h6"]


def test_chinese_headings_keep_readable_anchors() -> None:
    page = BeautifulSoup(render_markdown("## 基本案情\n\n## 典型意义"), "html.parser")
    assert [h["id"] for h in page.find_all("h3")] == ["section-基本案情", "section-典型意义"]


def test_anchors_drop_punctuation_and_repeated_headings_get_their_own() -> None:
    html = render_markdown("## The *court's* `view`, 2020!\n\n## 典型意义\n\n## 典型意义")
    page = BeautifulSoup(html, "html.parser")
    ids = [h["id"] for h in page.find_all("h3")]
    assert ids[0] == "section-the-courts-view-2020"
    assert ids[1] == "section-典型意义"
    assert len(set(ids)) == 3


def test_top_level_paragraphs_are_numbered_for_quoting() -> None:
    html = render_markdown(
        "First, 161,600 cases[^n].\n\n<div>raw block</div>\n\n> quoted\n\nSecond *one*.\n\n"
        "[^n]: A note.\n",
        paragraph_ids=True,
    )
    assert paragraph_texts(html) == {"p-1": "First, 161,600 cases[1].", "p-2": "Second one."}
    assert paragraph_texts(render_markdown("No ids here.")) == {}


def test_code_lists_strikethrough_and_a_toc_marker_render_as_written() -> None:
    page = BeautifulSoup(
        render_markdown("```\n<b>code</b>\n```\n\n3. three\n4. four\n\n~~old~~ new\n\n[TOC]"),
        "html.parser",
    )
    assert page.select_one("pre code").get_text() == "<b>code</b>\n"
    assert page.find("ol")["start"] == "3"
    assert [li.get_text() for li in page.select("ol li")] == ["three", "four"]
    assert page.find("del").get_text() == "old"
    assert page.find_all("p")[-1].get_text() == "[TOC]"


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
    assert_safe(render_markdown(text, paragraph_ids=True))


HOSTILE_FRAGMENTS = st.sampled_from([
    "<script>", "</script>", "<a href='javascript:x'>", "onclick=", "<img src=x onerror=y>",
    "[a](data:text/html,x)", "[b](  JaVaScRiPt:x)", "<svg onload=x>", "<style>", "&#106;avascript:",
    "<", ">", "\"", "'", "`", "|", "[^1]", "\n", "## ", "<!--", "-->", "<![CDATA[",
    # Python-Markdown's own syntax, and the placeholder it stashes raw HTML under.
    "[^1]: ", "```", "~~", "[TOC]", "    ", "<div>", "\x02wzxhzdk:0\x03", "\x02", "\x03",
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(HOSTILE_FRAGMENTS | st.text(max_size=5), max_size=30).map("".join))
def test_hostile_markup_fragments_never_get_through(text: str) -> None:
    assert_safe(render_markdown(text))
