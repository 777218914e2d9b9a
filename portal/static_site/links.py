"""The link check: every link and asset of every HTML file in the output must be a file in it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from portal.static_site.urls import output_path

# Matched in the page lowercased (bytes.lower keeps every offset), which is twice as quick as
# re.IGNORECASE; the link itself is read from the page as written.
_LINK = re.compile(rb"""(?:href|src)\s*=\s*["']([^"']+)["']""")
SHOWN = 50


class BrokenLinks(RuntimeError):
    """Links in the output to files not in it (each as "page -> link")."""

    def __init__(self, broken: list[str]) -> None:
        shown = "\n  ".join(broken[:SHOWN])
        more = f"\n  ... and {len(broken) - SHOWN} more" if len(broken) > SHOWN else ""
        super().__init__(f"{len(broken)} link(s) to files not in the output:\n  {shown}{more}")
        self.broken = broken


class LinkChecker:
    """Checks the links of HTML files against the files the output will hold (paths relative
    to it), one page at a time: a render process checks each page it has just written."""

    def __init__(self, out: Path, files: Iterable[str], base_path: str, site_url: str) -> None:
        self.out = out
        self.present = set(files)
        self.base_path = base_path
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
        # Pages link the same navigation and assets: resolve each link once (once per folder
        # if it is relative).
        self._resolved: dict[tuple[str, bytes], str | None] = {}

    def broken_links(self, name: str) -> list[str]:
        """The links of the file `name` of the output to files not in it, each as "page ->
        link"; none if it is not an HTML file."""
        if not name.endswith(".html"):
            return []
        folder = posixpath.dirname(f"{self.base_path}/{name}") + "/"
        broken = []
        html = (self.out / name).read_bytes()
        resolved = self._resolved
        for match in _LINK.finditer(html.lower()):
            raw = html[match.start(1) : match.end(1)]
            relative = raw[:1] != b"/" and b":" not in raw
            key = (folder if relative else "", raw)
            if key not in resolved:
                resolved[key] = self._problem(folder, raw)
            if (problem := resolved[key]) is not None:
                broken.append(f"{name} -> {problem}")
        return broken

    def _problem(self, folder: str, raw: bytes) -> str | None:
        link = raw.decode("utf-8", "replace").replace("&amp;", "&")
        if link.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
            return None
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE) or link.startswith("//"):
            if not link.startswith(self.origin + "/") and link != self.origin:
                return None  # another site
            link = link[len(self.origin) :] or "/"
        path = urlsplit(urljoin(folder, link)).path
        base_path = self.base_path
        if not path.startswith(base_path + "/") and path != base_path:
            return f"{link} (outside {base_path or '/'})"
        return None if output_path(path[len(base_path) :]) in self.present else link


def raise_broken(broken: Iterable[str]) -> None:
    """Raise BrokenLinks naming every broken link (in the order of their pages), if any."""
    # Each entry starts with its page's name: a stable sort keeps each page's links in order.
    ordered = sorted(broken, key=lambda entry: entry.split(" -> ", 1)[0])
    if ordered:
        raise BrokenLinks(ordered)


def check_links(out: Path, files: Iterable[str], base_path: str, site_url: str) -> None:
    """Raise BrokenLinks unless every link of every HTML file among `files` (paths relative to
    `out`) points to one of `files`."""
    checker = LinkChecker(out, files, base_path, site_url)
    raise_broken(link for name in checker.present for link in checker.broken_links(name))
