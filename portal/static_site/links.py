"""The link check: every link and asset of every HTML file in the output must be a file in it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from portal.static_site.urls import output_path

_LINK = re.compile(rb"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
SHOWN = 50


class BrokenLinks(RuntimeError):
    """Links in the output to files not in it (each as "page -> link")."""

    def __init__(self, broken: list[str]) -> None:
        shown = "\n  ".join(broken[:SHOWN])
        more = f"\n  ... and {len(broken) - SHOWN} more" if len(broken) > SHOWN else ""
        super().__init__(f"{len(broken)} link(s) to files not in the output:\n  {shown}{more}")
        self.broken = broken


def check_links(out: Path, files: Iterable[str], base_path: str, site_url: str) -> None:
    """Raise BrokenLinks unless every link of every HTML file among `files` (paths relative to
    `out`) points to one of `files`."""
    present = set(files)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    broken: list[str] = []
    # Pages link the same navigation and assets: resolve each link once (once per folder if
    # it is relative).
    resolved: dict[tuple[str, bytes], str | None] = {}

    def problem(folder: str, raw: bytes) -> str | None:
        link = raw.decode("utf-8", "replace").replace("&amp;", "&")
        if link.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
            return None
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE) or link.startswith("//"):
            if not link.startswith(origin + "/") and link != origin:
                return None  # another site
            link = link[len(origin) :] or "/"
        path = urlsplit(urljoin(folder, link)).path
        if not path.startswith(base_path + "/") and path != base_path:
            return f"{link} (outside {base_path or '/'})"
        return None if output_path(path[len(base_path) :]) in present else link

    for name in sorted(present):
        if not name.endswith(".html"):
            continue
        folder = posixpath.dirname(f"{base_path}/{name}") + "/"
        for raw in _LINK.findall((out / name).read_bytes()):
            relative = not raw.startswith(b"/") and b":" not in raw
            key = (folder if relative else "", raw)
            if key not in resolved:
                resolved[key] = problem(folder, raw)
            if resolved[key] is not None:
                broken.append(f"{name} -> {resolved[key]}")
    if broken:
        raise BrokenLinks(broken)
