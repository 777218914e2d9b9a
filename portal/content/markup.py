"""Markdown to safe HTML: CommonMark, tables, footnotes and heading anchors, cleaned by nh3."""

from __future__ import annotations

import html as html_module
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

# Bump when rendering changes, so that `portal load` re-renders every file.
RENDERER_VERSION = "2"

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "del", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "li", "ol", "p", "pre", "section", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_CLASSES = {
    "a": {"footnote-backref"},
    "hr": {"footnotes-sep"},
    "li": {"footnote-item"},
    "ol": {"footnotes-list"},
    "section": {"footnotes"},
    "sup": {"footnote-ref"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Elements whose text is dropped along with the tag, not kept as text.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def heading_slug(text: str) -> str:
    """A stable, readable id for a heading; keeps Chinese characters, drops punctuation."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text)
    slug = re.sub(r"[\s_]+", "-", text).strip("-")
    return f"section-{slug}" if slug else "section"


def _shift_headings(state: StateCore) -> None:
    """The page title is the only h1, so every heading of a body moves one level down."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag != "h6":
            token.tag = f"h{int(token.tag[1]) + 1}"


# Top-level paragraphs of a document rendered with `paragraph_ids` get ids p-1, p-2, ..., so that
# other pages (the statistics, for one) can link to the paragraph a figure is quoted from.
PARAGRAPH_ID_PREFIX = "p-"


def paragraph_id(number: int) -> str:
    """The id of the `number`th (from 1) top-level paragraph of a body rendered with ids."""
    return f"{PARAGRAPH_ID_PREFIX}{number}"


def _number_paragraphs(state: StateCore) -> None:
    if not state.env.get("paragraph_ids"):
        return
    number = 0
    for token in state.tokens:
        if token.type == "paragraph_open" and token.level == 0:
            number += 1
            token.attrSet("id", paragraph_id(number))


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.use(footnote_plugin)
    md.core.ruler.push("shift_headings", _shift_headings)
    md.core.ruler.push("number_paragraphs", _number_paragraphs)
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=heading_slug)
    return md


_PARSER = _build_parser()


def sanitize_html(html: str) -> str:
    """Keep only the elements, attributes and URL schemes a press release needs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str, paragraph_ids: bool = False) -> str:
    """Render Markdown to HTML that is safe to insert into a page as it is; with `paragraph_ids`,
    top-level paragraphs get the ids of `paragraph_id`."""
    return sanitize_html(_PARSER.render(text, {"paragraph_ids": paragraph_ids}))


def paragraph_texts(html: str) -> dict[str, str]:
    """The plain text of each paragraph with an id in `html` rendered with `paragraph_ids`."""
    texts: dict[str, str] = {}
    for match in _PARAGRAPH.finditer(html):
        texts[match["id"]] = " ".join(html_module.unescape(_TAG.sub("", match["body"])).split())
    return texts


_PARAGRAPH = re.compile(r'<p id="(?P<id>p-\d+)">(?P<body>.*?)</p>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
