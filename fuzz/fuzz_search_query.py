#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris) of the search query parser: any text a visitor can type
gives a parsed query and Whoosh queries (what to find, what to exclude), never an exception.

    .venv/bin/python fuzz/fuzz_search_query.py -runs=100000     # libFuzzer flags
    .venv/bin/python fuzz/fuzz_search_query.py corpus_dir/      # keep a corpus

tests/test_fuzzers.py runs it for a bounded number of runs, and feeds `check` from Hypothesis.
"""

from __future__ import annotations

import sys

try:
    import atheris
except ImportError:  # `check` is still usable (from Hypothesis) without atheris
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["portal", "whoosh.query"]):
        from portal.search.query import MAX_QUERY_CHARS, build_query, excluded_query, parse_query
else:
    from portal.search.query import MAX_QUERY_CHARS, build_query, excluded_query, parse_query

from whoosh.query import Query


def text_of(data: bytes) -> str:
    """The fuzzer's bytes as text, lone surrogates and control characters included."""
    return data.decode("utf-8", errors="surrogateescape")


def check(data: bytes) -> None:
    """The harness body: parse and build a query from arbitrary input; check the invariants."""
    raw = text_of(data)
    parsed = parse_query(raw)
    for words in (*parsed.include, *parsed.exclude):
        assert words, parsed
        assert any(ch.isalnum() for ch in words), parsed
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in words), parsed
        assert len(words) <= MAX_QUERY_CHARS, parsed
    excluded = excluded_query(parsed)
    for query in (build_query(parsed), *([excluded] if excluded is not None else [])):
        assert isinstance(query, Query)
        repr(query)
        query.normalize()


def main() -> None:
    if atheris is None:
        sys.exit("atheris is not installed: pip install atheris")
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
