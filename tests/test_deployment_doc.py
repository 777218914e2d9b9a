"""docs/deployment.md shows the nginx configuration that bench/load.sh runs, not a copy that
could drift from it."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_the_deployment_doc_shows_the_configuration_the_benchmark_runs() -> None:
    doc = (DOCS / "deployment.md").read_text("utf-8")
    shown = doc.split("<!-- nginx-portal.conf -->\n```nginx\n", 1)[1].split("```\n", 1)[0]
    assert shown == (DOCS / "nginx-portal.conf").read_text("utf-8")


def test_the_configuration_never_caches_posts_and_logs_no_query_strings() -> None:
    lines = (DOCS / "nginx-portal.conf").read_text("utf-8").splitlines()
    conf = "\n".join(line.split("#", 1)[0] for line in lines)  # the directives, not comments
    assert "proxy_cache_methods GET HEAD;" in conf
    assert "proxy_cache_valid" not in conf  # only what the app marks public is stored
    log_format = conf.split("log_format portal", 1)[1].split(";", 1)[0]
    assert "$uri" in log_format
    assert "$request " not in log_format
    assert "$args" not in log_format


def test_the_documented_gunicorn_access_log_leaves_query_strings_out() -> None:
    """The documented --access-logformat, applied by gunicorn's own logger to a search."""
    import datetime as dt
    import re
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    doc = (DOCS / "deployment.md").read_text("utf-8")
    (log_format,) = re.findall(r"--access-logformat '([^']*)'", doc)
    assert "%(U)s" in log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({"):  # request line, query, referer, any header
        assert atom not in log_format
    assert re.search(r"gunicorn [^`]*--bind (127\.0\.0\.1:|unix:)", doc)
    assert "--bind 0.0.0.0" not in doc
    config = Config()
    config.set("access_log_format", log_format)
    search = "/en/search/?q=110101199003071234"
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/en/search/",
               "QUERY_STRING": "q=110101199003071234", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "127.0.0.1", "RAW_URI": search,
               "HTTP_REFERER": "https://enforcement.court.example" + search}  # fmt: skip
    response = SimpleNamespace(status="200 OK", sent=512, headers=[], response_length=512)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = Logger(config).atoms(response, request, environ, dt.timedelta(milliseconds=12))
    line = log_format % atoms
    assert '"GET /en/search/ HTTP/1.1" 200 512 12' in line
    assert "110101199003071234" not in line
