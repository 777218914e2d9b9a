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
