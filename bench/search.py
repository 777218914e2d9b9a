"""Search benchmark: build the index of a large fictional site, then time 200 fixed queries
with Whoosh's own searcher and with the array evaluator, in the domain and over HTTP, in the
same run (and, with --fts5, the same queries on SQLite FTS5 for comparison).

    python bench/search.py --cases 10000 --press 10000 [--processes 2] [--site DIR] [--fts5]

Each case and press release is written in both languages, so the defaults give 20,000
documents per language. Prints index build documents/s and p50/p95 latencies, each also in CPU
time (this process and its writer processes), which other work on the machine disturbs less
than the clock, the machine's load average before and after, and whether both evaluators gave
the same totals. The 200 queries are distinct; each is timed twice, in a first pass (where a
query is the first to use a word, the array evaluator reads the word's postings) and again
(those postings are in its cache, as on a server that has been answering for a while).
Figures, not tests: nothing here fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import jieba

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_site import make_site  # noqa: E402
from portal.db.engine import upgrade_schema  # noqa: E402
from portal.db.load import load_content  # noqa: E402
from portal.search.documents import all_documents  # noqa: E402
from portal.search.query import SearchRequest, parse_query  # noqa: E402
from portal.search.searcher import SearchIndex  # noqa: E402
from portal.search.service import rebuild_search_index  # noqa: E402
from portal.web import create_app  # noqa: E402
from portal.web.db import database_engine, session_factory  # noqa: E402

ENGLISH = [
    "lending",
    "detention",
    "auction",
    "wages",
    "vehicle",
    "fine",
    "consumption",
    "dishonest",
    "deposits",
    "migrant",
    "obstructing",
    "concluded",
    "property",
    "enforcement",
    "applicant",
    "respondent",
    "judgment",
    "declare",
    "seized",
    "court",
]
CHINESE = [
    "民间借贷",
    "司法拘留",
    "失信被执行人",
    "限制出境",
    "拍卖",
    "欠薪",
    "罚款",
    "网络查控",
    "高消费",
    "强制执行",
    "人民法院",
    "农民工",
    "存款",
    "车辆",
    "执行局",
    "判决",
    "被执行人",
    "申请执行人",
    "案件",
    "浦东新区",
]
PHRASES = [
    '"judicial auction"',
    '"unpaid wages"',
    '"online property investigation"',
    '"dishonest persons subject to enforcement"',
    '"失信被执行人名单"',
    '"司法拍卖"',
    '"限制其高消费"',
    '"网络查控"',
    '"enforcement officers"',
    '"restricted from leaving"',
]
FILTERS = [
    {"kind": "case"},
    {"kind": "press"},
    {"court": "pudong-new-area"},
    {"cause": "private-lending"},
    {"year": "2019"},
    {"measure": "fine"},
    {"category": "difficult-enforcement"},
    {"court": "minhang-district", "year": "2018"},
]


def fixed_queries() -> list[tuple[str, str, dict[str, str]]]:
    """200 queries: (text, page language, filters), the same on every run."""
    queries: list[tuple[str, str, dict[str, str]]] = []
    queries += [(word, "en", {}) for word in ENGLISH]
    queries += [
        (f"{a} {b}", "en", {}) for a, b in zip(ENGLISH, ENGLISH[5:] + ENGLISH[:5], strict=False)
    ]
    queries += [(word, "zh", {}) for word in CHINESE]
    queries += [
        (f"{a} {b}", "zh", {}) for a, b in zip(CHINESE, CHINESE[3:] + CHINESE[:3], strict=False)
    ]
    queries += [(phrase, "zh" if phrase[1] >= "\u4e00" else "en", {}) for phrase in PHRASES]
    queries += [(word, "en", filters) for word in ENGLISH[:10] for filters in FILTERS[:4]]
    queries += [(word, "zh", filters) for word in CHINESE[:10] for filters in FILTERS[4:]]
    queries += [("", "en", filters) for filters in FILTERS]
    queries += [(f"{word} -fine", "en", {}) for word in ENGLISH[:12]]
    queries += [(phrase, "zh" if phrase[1] >= "\u4e00" else "en", {"kind": "case"})
                for phrase in PHRASES]  # fmt: skip
    return queries[:200]


def percentiles(samples: list[float], cpu: list[float] | None = None) -> str:
    """p50 and p95 in milliseconds, of the clock and, when given, of CPU time."""
    figures = []
    for name, values in (("", samples), ("CPU ", cpu)):
        if values:
            ordered = sorted(values)
            p50 = statistics.median(ordered) * 1000
            p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
            figures.append(f"{name}p50 {p50:6.1f} ms   {name}p95 {p95:6.1f} ms")
    return "   ".join(figures)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (the index writers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# Searches for words outside the 200, to load what any search needs (jieba's dictionary, the
# page's templates) without reading the postings of the words timed.
WARM_UP = [("xylophone", "en", {}), ("音乐", "zh", {})]


def time_each(run, queries) -> tuple[list[float], list[float]]:
    """Each query's clock and CPU time, after searches that warm what every search needs, as
    a running server has it."""
    for query in WARM_UP:
        run(*query)
    samples, cpu = [], []
    for query in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        run(*query)
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return samples, cpu


def build_fts5(database: Path, app) -> sqlite3.Connection:
    """The same documents in SQLite FTS5: English as written (porter stemming), Chinese
    segmented by jieba into space-separated words."""
    connection = sqlite3.connect(database)
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, kind UNINDEXED, lang UNINDEXED, "
        "court UNINDEXED, cause UNINDEXED, category UNINDEXED, year UNINDEXED, measure UNINDEXED, "
        "tokenize='porter unicode61')"
    )
    with session_factory(app)() as session:
        rows = []
        for doc in all_documents(session):
            text = f"{doc.summary}\n{doc.body}"
            if doc.lang == "zh":
                title, text = " ".join(jieba.cut(doc.title)), " ".join(jieba.cut(text))
            else:
                title = doc.title
            rows.append((title, text, doc.kind, doc.lang, doc.court, doc.cause, doc.category,
                         doc.year, ",".join(doc.measures)))  # fmt: skip
    connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    return connection


def fts5_match(text: str) -> str | None:
    parsed = parse_query(text)
    parts = []
    for words in parsed.include:
        tokens = (
            [t for t in jieba.cut(words) if t.strip()] if words[0] >= "\u4e00" else words.split()
        )
        parts.append('"' + " ".join(token.replace('"', "") for token in tokens) + '"')
    match = " AND ".join(parts)
    for words in parsed.exclude:
        match += f' NOT "{words}"'
    return match or None


def fts5_search(connection: sqlite3.Connection, text: str, lang: str, filters: dict[str, str]):
    match = fts5_match(text)
    where = ["lang = ?"]
    params: list[object] = [lang]
    for name, value in filters.items():
        where.append(f"{name} = ?" if name != "measure" else "instr(measure, ?) > 0")
        params.append(value)
    condition = " AND ".join(where)
    if match:
        condition = f"docs MATCH ? AND {condition}"
        params = [match, *params]
    hits = connection.execute(
        f"SELECT title, snippet(docs, 1, '<mark>', '</mark>', '…', 20) FROM docs WHERE {condition} "
        f"ORDER BY {'bm25(docs)' if match else 'rowid'} LIMIT 10", params
    ).fetchall()  # fmt: skip
    for facet in ("kind", "lang", "court", "cause", "category", "year", "measure"):
        connection.execute(
            f"SELECT {facet}, count(*) FROM docs WHERE {condition} GROUP BY {facet}", params
        ).fetchall()
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--press", type=int, default=10000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--site", type=Path, help="reuse (or create) the site in this folder")
    parser.add_argument("--fts5", action="store_true", help="also time SQLite FTS5")
    args = parser.parse_args()
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    site = args.site or work / "site"
    if not (site / "content").is_dir():
        started = time.perf_counter()
        make_site(site, args.cases, args.press, seed=1)
        print(f"site generated in {time.perf_counter() - started:.1f} s: {site}")
    config = {"DATABASE_URL": f"sqlite:///{work / 'portal.sqlite3'}",
              "CONTENT_DIR": str(site / "content"), "CASES_DIR": str(site / "cases"),
              "INDEX_DIR": str(work / "index")}  # fmt: skip
    app = create_app(config)
    factory = session_factory(app)
    upgrade_schema(database_engine(app))
    started = time.perf_counter()
    load_content(factory, site / "content", site / "cases")
    print(f"portal load: {time.perf_counter() - started:.1f} s")

    started, started_cpu = time.perf_counter(), cpu_seconds()
    size = rebuild_search_index(factory, work / "index", processes=args.processes)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - started_cpu
    print(f"index build: {size} documents in {elapsed:.1f} s = {size / elapsed:.0f} documents/s "
          f"({args.processes} process(es)); CPU {cpu:.1f} s = {size / cpu:.0f} documents "
          "per CPU second")  # fmt: skip

    queries = fixed_queries()
    totals: dict[str, list[int]] = {}
    medians: dict[str, float] = {}
    for evaluator in ("whoosh", "arrays"):
        index = SearchIndex(work / "index", evaluator=evaluator)
        found = totals.setdefault(evaluator, [])

        def domain(text: str, lang: str, filters: dict[str, str], index=index, found=found):
            found.append(index.search(SearchRequest(text=text, lang=lang, filters=filters)).total)

        client = create_app({**config, "SEARCH_EVALUATOR": evaluator}).test_client()

        def http(text: str, lang: str, filters: dict[str, str], client=client) -> None:
            response = client.get(f"/{lang}/search/?" + urlencode({"q": text, **filters}))
            assert response.status_code == 200, response.status_code

        started, started_cpu = time.perf_counter(), time.process_time()
        index.search(SearchRequest(text=WARM_UP[0][0]))
        print(f"{evaluator}: first search (opens the index) {time.perf_counter() - started:.2f} s, "
              f"CPU {time.process_time() - started_cpu:.2f} s")  # fmt: skip
        for run, name in ((domain, "domain"), (http, "HTTP")):
            # The first pass reads each word's postings at its first query; the second finds
            # them in the postings cache (the array evaluator's), as a running server does.
            for attempt in ("first pass", "again"):
                timed = time_each(run, queries)
                print(f"{evaluator}, {name:6} {attempt:10}: {percentiles(*timed)}")
                if name == "domain" and attempt == "first pass":
                    medians[evaluator] = statistics.median(timed[0])
    same = totals["whoosh"] == totals["arrays"]
    print(f"same totals from both evaluators for all {len(queries)} queries: {same}")
    print(f"whoosh / arrays median ratio: {medians['whoosh'] / medians['arrays']:.1f}x")

    if args.fts5:
        connection = build_fts5(work / "fts5.sqlite3", app)
        fts = time_each(
            lambda text, lang, filters: fts5_search(connection, text, lang, filters), queries
        )
        print(f"SQLite FTS5:    {percentiles(*fts)}  (top 10, bm25 and snippet, 7 facet counts)")
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
