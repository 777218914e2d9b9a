"""Driving Debian's Chromium with Playwright: opening each page kind on a site server, walking a
page with the Tab key, and running axe-core.

A `SiteServer` is where the pages come from: the live app now; the frozen site (issue 6) plugs in
as a second kind, which serves only the page kinds marked `frozen` in tests/pagekinds.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.support.pagekinds import PageKind

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core impacts that fail a page.
FAILING_IMPACTS = {"serious", "critical"}


@dataclass(frozen=True)
class SiteServer:
    """A running site: `kind` is "live" (the Flask app) or "frozen" (static files)."""

    kind: str
    base_url: str

    def serves(self, page_kind: PageKind) -> bool:
        return self.kind == "live" or page_kind.frozen


def open_page(page: Any, server: SiteServer, kind: PageKind, lang: str) -> int:
    """Open a page kind in a tab, posting its form through the page as a visitor would;
    returns the HTTP status of the page shown."""
    response = page.goto(server.base_url + kind.url(lang))
    if kind.form is not None:
        for name, value in kind.form.items():
            field = f"form [name={name}]"
            if page.eval_on_selector(field, "element => element.tagName") == "SELECT":
                page.select_option(field, value)
            else:
                page.fill(field, value)
        with page.expect_navigation() as navigation:
            # Sent as a browser without JavaScript sends it (form.submit() skips the submit
            # handlers), so that the server's own answer to an invalid form is shown; the
            # lookup's number check in the browser is tested on its own.
            page.eval_on_selector("form button[type=submit]", "button => button.form.submit()")
        response = navigation.value
    assert response is not None, f"{kind.url(lang)}: no response"
    return response.status


# Computed properties that can show focus; an element shows focus when one of them differs
# between its focused and unfocused state.
_FOCUS_PROPERTIES = [
    "outline-style", "outline-width", "outline-color", "box-shadow", "background-color",
    "color", "border-top-color", "border-bottom-color", "text-decoration-line",
]  # fmt: skip

_SNAPSHOT = """(props) => {
  const selector = 'a[href], area[href], button, input, select, textarea, iframe, summary, '
    + '[tabindex], [contenteditable]';
  window.__portalIds = new Map();
  window.__portalUnfocused = new Map();
  if (document.activeElement) document.activeElement.blur();
  for (const element of document.querySelectorAll(selector)) {
    const style = getComputedStyle(element);
    window.__portalIds.set(element, window.__portalIds.size);
    window.__portalUnfocused.set(element, props.map((p) => style.getPropertyValue(p)).join('|'));
  }
  return window.__portalIds.size;
}"""

_FOCUSED = """(props) => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) return null;
  if (!window.__portalIds) { window.__portalIds = new Map(); window.__portalUnfocused = new Map(); }
  const style = getComputedStyle(element);
  const now = props.map((p) => style.getPropertyValue(p)).join('|');
  const box = element.getBoundingClientRect();
  let id = window.__portalIds.get(element);
  if (id === undefined) { id = window.__portalIds.size; window.__portalIds.set(element, id); }
  const text = (element.innerText || element.value || '').trim().slice(0, 40);
  const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
    + (element.className && typeof element.className === 'string'
       ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
  return {
    id, name: `${name} "${text}"`,
    shows_focus: window.__portalUnfocused.get(element) !== now,
    visible: box.width > 0 && box.height > 0,
  };
}"""


@dataclass
class TabStop:
    id: int
    name: str
    shows_focus: bool
    visible: bool


def focused(page: Any) -> TabStop | None:
    """The element that has the focus, or None when the document itself has it."""
    found = page.evaluate(_FOCUSED, _FOCUS_PROPERTIES)
    return TabStop(**found) if found else None


def focus_top(page: Any) -> None:
    """Put the keyboard's starting point back at the top of the page, as when it loads."""
    page.evaluate("""() => {
      const start = document.createElement('span');
      start.tabIndex = -1;
      document.body.prepend(start);
      start.focus();
      start.remove();
      window.scrollTo(0, 0);
    }""")


def walk_with_tab(page: Any) -> list[TabStop | None]:
    """Press Tab from the top of the page until the focus comes back to where it started;
    the stops in order (None where the focus left the document between two rounds)."""
    count = page.evaluate(_SNAPSHOT, _FOCUS_PROPERTIES)
    focus_top(page)
    stops: list[TabStop | None] = []
    for _ in range(count + 5):
        page.keyboard.press("Tab")
        stop = focused(page)
        stops.append(stop)
        if stop is not None and stops[0] is not None and len(stops) > 1 and stop.id == stops[0].id:
            break
    return stops


def tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Press Tab until an element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector!r} in {limit} presses")


def serious_violations(results: dict[str, Any]) -> list[str]:
    """The axe violations of impact serious or critical, one readable line each."""
    lines = []
    for violation in results["violations"]:
        if violation.get("impact") not in FAILING_IMPACTS:
            continue
        targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return lines


def check_static_lookup(page, name: str, number: str) -> str:
    """Type a name and number, submit, and return the announced answer."""
    page.fill("#debtor-name", name)
    page.fill("#debtor-number", number)
    page.click("button[type=submit]")
    answer = page.wait_for_selector("[data-static-status] .debtor-answer")
    return " ".join(answer.text_content().split())


# A phone's viewport, as the lookups' browser tests use it.
PHONE = {"width": 390, "height": 844}


def in_viewport(page, selector: str) -> bool:
    """Whether the element is wholly on screen, top to bottom."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]
