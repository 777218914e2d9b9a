"""The CPU one request costs in the WSGI app as gunicorn calls it (no test client): a 404, the
home page and a case page, on a loaded site, with the app built from the environment as
`gunicorn 'portal.web:create_app()'` builds it.

    PORTAL_DATABASE_URL=... PORTAL_SECRET_KEY=... python bench/request_path.py [--requests 300]
    python bench/request_path.py --profile case           # cProfile of the case page
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python bench/request_path.py --only case --requests N   # instructions, by difference

Prints the median and the 10th percentile of this process's CPU time per request, and the load
average. With --only, every kind is warmed up, then only KIND is requested N times and nothing
is printed: run it under valgrind with N and with 0, and divide the difference by N.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug.test import EnvironBuilder

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.web import create_app

WARM_UP = 20


def caller(app: Any) -> Callable[[str], tuple[str, bytes]]:
    """A function that sends a GET of a path through the WSGI interface, reading the whole body."""

    def call(path: str) -> tuple[str, bytes]:
        environ = EnvironBuilder(path=path, base_url=app.config["SITE_URL"]).get_environ()
        answer: list[str] = []
        body = app(environ, lambda status, _headers, _exc=None: answer.append(status))
        try:
            data = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        return answer[0], data

    return call


def kinds(call: Callable[[str], tuple[str, bytes]]) -> dict[str, str]:
    """The URL of each kind measured: a 404, the home page, the newest case's page."""
    _status, data = call("/api/v1/cases?language=en&per_page=1")
    case = urlsplit(json.loads(data)["items"][0]["url_en"]).path
    return {"404": "/en/no-such-page/", "home": "/en/", "case": case}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", metavar="KIND", help="print a cProfile of KIND instead")
    parser.add_argument("--only", metavar="KIND", help="request only KIND, print nothing")
    args = parser.parse_args()
    call = caller(create_app())
    paths = kinds(call)
    for path in paths.values():
        for _ in range(WARM_UP):
            call(path)
    if args.only:
        for _ in range(args.requests):
            call(paths[args.only])
        return
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [call(paths[args.profile]) for _ in range(args.requests)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return
    for kind, path in paths.items():
        samples = []
        for _ in range(args.requests):
            start = time.process_time()
            call(path)
            samples.append(time.process_time() - start)
        samples.sort()
        median, low = samples[len(samples) // 2], samples[len(samples) // 10]
        print(f"{kind:5} {path:45} CPU median {median * 1000:.2f} ms, p10 {low * 1000:.2f} ms")
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
