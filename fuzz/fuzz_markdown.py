#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris) of the Markdown renderer: any Markdown renders, and what it
renders is safe to put into a page: no script, style, frame or form, no event handler, no
javascript: or data: URL, no image from elsewhere.

    .venv/bin/python fuzz/fuzz_markdown.py -runs=100000     # libFuzzer flags

tests/test_fuzzers.py runs it for a bounded number of runs, and feeds `check` from Hypothesis.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser

try:
    import atheris
except ImportError:  # `check` is still usable (from Hypothesis) without atheris
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["portal", "markdown"]):
        from portal.content.markup import render_markdown
else:
    from portal.content.markup import render_markdown

FORBIDDEN_TAGS = {
    *("script", "style", "iframe", "frame", "object", "embed", "form", "input", "button"),
    *("textarea", "select", "link", "meta", "base", "svg", "math"),
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}


class SafetyCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            if name in URL_ATTRIBUTES and value is not None:
                url = "".join(value.split()).lower()
                if url.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{tag}[{name}={value!r}]")
                if tag == "img" and name == "src" and (":" in url.split("/")[0] or
                                                        url.startswith("//")):  # fmt: skip
                    self.problems.append(f"remote image {value!r}")


def check(data: bytes) -> None:
    """The harness body: render arbitrary Markdown both ways and check the HTML is safe."""
    text = data.decode("utf-8", errors="replace")
    for paragraph_ids in (False, True):
        html = render_markdown(text, paragraph_ids=paragraph_ids)
        checker = SafetyCheck()
        checker.feed(html)
        checker.close()
        assert not checker.problems, (text, html, checker.problems)


def main() -> None:
    if atheris is None:
        sys.exit("atheris is not installed: pip install atheris")
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
