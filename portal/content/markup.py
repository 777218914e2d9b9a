"""Markdown to safe HTML: Python-Markdown with tables, footnotes and heading anchors, cleaned by
nh3 with an explicit allow-list."""

from __future__ import annotations

import html as html_module
import re
import threading
import unicodedata
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

# Bump when rendering changes, so that `portal load` re-renders every file.
RENDERER_VERSION = "3"

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
    "a": {"footnote-ref", "footnote-backref"},
    "section": {"footnotes"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Elements whose text is dropped along with the tag, not kept as text.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def heading_slug(text: str, separator: str = "-") -> str:
    """A stable, readable id for a heading; keeps Chinese characters, drops punctuation."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text)
    slug = re.sub(r"[\s_]+", separator, text).strip(separator)
    return f"section{separator}{slug}" if slug else "section"


# Top-level paragraphs of a document rendered with `paragraph_ids` get ids p-1, p-2, ..., so that
# other pages (the statistics, for one) can link to the paragraph a figure is quoted from.
PARAGRAPH_ID_PREFIX = "p-"


def paragraph_id(number: int) -> str:
    """The id of the `number`th (from 1) top-level paragraph of a body rendered with ids."""
    return f"{PARAGRAPH_ID_PREFIX}{number}"


class _PortalTreeprocessor(Treeprocessor):
    """Numbers the top-level paragraphs, and gives the footnotes the markup the pages style."""

    def __init__(self, md: markdown.Markdown, paragraph_ids: bool) -> None:
        super().__init__(md)
        self.paragraph_ids = paragraph_ids

    def run(self, root: etree.Element) -> None:
        number = 0
        for element in root:
            if element.tag == "p" and self.paragraph_ids and not _is_raw_html(element):
                number += 1
                element.set("id", paragraph_id(number))
            elif element.tag == "div" and element.get("class") == "footnote":
                element.tag = "section"
                element.set("class", "footnotes")
                # The backlinks' default title is English on every page; the arrow is the link.
                for link in element.iter("a"):
                    if link.get("class") == "footnote-backref":
                        link.attrib.pop("title", None)


def _is_raw_html(paragraph: etree.Element) -> bool:
    """A paragraph that only holds the placeholder of a raw HTML block, which is not a paragraph."""
    return len(paragraph) == 0 and HTML_PLACEHOLDER_RE.fullmatch(paragraph.text or "") is not None


class _PortalExtension(Extension):
    """~~Strikethrough~~, and the tree changes of `_PortalTreeprocessor`."""

    def __init__(self, paragraph_ids: bool) -> None:
        super().__init__()
        self.paragraph_ids = paragraph_ids

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"(~~)(.+?)~~", "del"), "del", 55)
        # After the footnotes (50), the inline patterns (20) and the heading anchors (5).
        md.treeprocessors.register(_PortalTreeprocessor(md, self.paragraph_ids), "portal", 1)


def _build_parser(paragraph_ids: bool) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            *("tables", "footnotes", "toc", "fenced_code", "sane_lists"),
            _PortalExtension(paragraph_ids),
        ],
        extension_configs={
            # The page title is the only h1, so every heading of a body moves one level down,
            # and gets an id. No "[TOC]" marker: a paragraph reading [TOC] stays text.
            "toc": {"baselevel": 2, "slugify": heading_slug, "marker": ""},
            # Ids without a colon, so that they need no escaping in CSS selectors.
            "footnotes": {
                "SEPARATOR": "-",
                "SUPERSCRIPT_TEXT": "[{}]",
                "BACKLINK_TEXT": "&#8617;&#65038;",
            },
        },
        output_format="html",
    )


class _Parsers(threading.local):
    """A Markdown instance keeps state while it converts, so each thread has its own."""

    def __init__(self) -> None:
        self.by_paragraph_ids = {flag: _build_parser(flag) for flag in (False, True)}


_PARSERS = _Parsers()


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
    parser = _PARSERS.by_paragraph_ids[paragraph_ids]
    try:
        return sanitize_html(parser.convert(text))
    finally:
        parser.reset()


def paragraph_texts(html: str) -> dict[str, str]:
    """The plain text of each paragraph with an id in `html` rendered with `paragraph_ids`."""
    texts: dict[str, str] = {}
    for match in _PARAGRAPH.finditer(html):
        texts[match["id"]] = " ".join(html_module.unescape(_TAG.sub("", match["body"])).split())
    return texts


_PARAGRAPH = re.compile(r'<p id="(?P<id>p-\d+)">(?P<body>.*?)</p>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
