"""WCAG 2.2 AA contrast in the stylesheet: every pair of colours the portal puts text on, at
least 4.5:1 (1.4.3); what shows focus, at least 3:1 against what is around it (1.4.11). The
ratios the stylesheet notes in its comments must be the true ones, so they can be trusted.
(axe-core checks the contrast of the rendered pages too, in tests/test_browser.py.)"""

from __future__ import annotations

import re

import pytest

from tests.support.site import REPO_ROOT

STYLESHEET = (REPO_ROOT / "portal/static/css/portal.css").read_text("utf-8")
TEXT, NON_TEXT = 4.5, 3.0

# (foreground, background, minimum): custom properties by name, or literal colours.
PAIRS = [
    ("ink", "paper", TEXT),
    ("ink-muted", "paper", TEXT),
    ("ink", "paper-alt", TEXT),
    ("ink-muted", "paper-alt", TEXT),
    ("#ffffff", "brand", TEXT),  # header, current page in pagination, buttons
    ("brand", "brand-light", TEXT),  # main navigation
    ("link", "paper", TEXT),
    ("link", "paper-alt", TEXT),
    ("link-visited", "paper", TEXT),
    ("link-visited", "paper-alt", TEXT),
    ("accent", "paper", TEXT),
    ("accent", "paper-alt", TEXT),
    ("ink", "focus", TEXT),  # a focused link
    ("#d6dde6", "brand", TEXT),  # a language the page is not in
    ("ink", "#fff3b0", TEXT),  # highlighted search words
    ("#ffffff", "#0b2440", TEXT),  # a button under the pointer
    ("ink", "paper", NON_TEXT),  # the focus ring on the page
    ("focus", "brand", NON_TEXT),  # the focus halo in the header
    ("ink", "paper-alt", NON_TEXT),  # the focus ring in the footer
]


def colours() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", STYLESHEET, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", root))


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def resolve(name: str) -> str:
    return name if name.startswith("#") else colours()[name]


@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS)
def test_colour_pairs_meet_wcag_aa(foreground: str, background: str, minimum: float) -> None:
    ratio = contrast(resolve(foreground), resolve(background))
    assert ratio >= minimum, f"{foreground} on {background}: {ratio:.2f}:1 < {minimum}:1"


def test_the_ratios_noted_in_the_stylesheet_are_true() -> None:
    true_ratios = {f"{contrast(resolve(f), resolve(b)):.1f}" for f, b, _minimum in PAIRS}
    noted = re.findall(r"(?<!least )(\d+\.\d):1", STYLESHEET)
    assert noted
    wrong = sorted(set(noted) - true_ratios)
    assert not wrong, f"ratios noted in portal.css that no colour pair has: {wrong}"


def test_every_colour_in_the_stylesheet_is_a_known_one() -> None:
    """A colour added to the stylesheet must be added to the pairs checked above."""
    used = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", STYLESHEET)}
    known = {resolve(f).lower() for f, _b, _m in PAIRS} | {
        resolve(b).lower() for _f, b, _m in PAIRS
    }
    known |= {"#fff", "#c9d1da"}  # white; the rule colour, used for borders only
    assert used <= known, f"colours not covered by the contrast checks: {used - known}"
