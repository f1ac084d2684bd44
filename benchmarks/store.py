"""The corpus stores side by side: SQLite (the baseline) and PostgreSQL, on the same articles.

    scripts/pg-throwaway python benchmarks/store.py [--data ../shared/data] [--limit 150] [--copies 8]

The first ``--limit`` texts of ``polnear-dev.jsonl`` are extracted once (not
timed), and their results stored ``--copies`` times under other URLs, outlets
and dates, as a quote retold by many outlets is. Then, for each store, in its
own process and in a fresh database, it times:

- ``write``: every article with its results, in ingest's batches (``Store.write``);
- ``read``, ``cluster``, ``replace``: what ``Corpus.recluster`` does, in its three
  parts: reading the occurrences and people back, clustering them (the same
  code and data for every store), and writing the clusters;
- ``search``: 100 searches of two words taken from stored quotes, and 20
  ``find_quote`` of a whole quote as pasted (milliseconds each, mean);
- ``quote``, ``people``, ``stats``: one quote whole (20 of them), the top 20
  people, the totals;
- ``2 writers``: two processes writing half the articles each, at once, into a
  fresh database (SQLite lets one write at a time; PostgreSQL both), from the
  moment both are ready to the moment the last is done.

PostgreSQL is the server ``--postgres URL`` names, by default
``QUOTEGRAPH_TEST_POSTGRES``, which ``scripts/pg-throwaway`` sets to a
throwaway local server (``fsync=off``, which the report states: that server
keeps nothing through a crash, where SQLite's WAL keeps every commit). Each
run makes its own databases there and drops them. Without a server the
PostgreSQL rows are left out, with a note. The report is printed and written
to ``benchmarks/results/store.md``.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pickle
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from publish import publish
from speed import DATA, peak_rss_mb

from quotegraph.evaluation.versions import dist_version, environment
from quotegraph.options import Options

HERE = Path(__file__).resolve().parent
DEV_FILE = "polnear-dev.jsonl"
SEARCHES, PASTED, QUOTES = 100, 20, 20
SEED = 20261130


def extracted(source: Path, limit: int, target: Path) -> None:
    """Extract the first ``limit`` articles of ``source`` and pickle ``(text, result)`` pairs to ``target``."""
    import quotegraph

    texts = []
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            if len(texts) == limit:
                break
            texts.append(json.loads(line)["text"])
    results = list(quotegraph.extract_many([{"text": t} for t in texts]))
    target.write_bytes(pickle.dumps(list(zip(texts, results, strict=True))))


def corpus_items(pairs: list[tuple[str, Any]], copies: int) -> list[tuple[Any, Any]]:
    """Every article ``copies`` times, each copy under its own URL, outlet and date."""
    from quotegraph.ingest.identity import text_hash
    from quotegraph.store import Article, Extraction

    version = Extraction.of(Options()).version
    return [(Article(key=f"https://outlet{copy}.example/{n}", text=text, text_hash=text_hash(text),
                     extraction=version, url=f"https://outlet{copy}.example/{n}", title=f"Article {n}",
                     outlet=f"Outlet {copy}", date=f"2026-03-{1 + (n + copy) % 28:02d}"), result)
            for copy in range(copies) for n, (text, result) in enumerate(pairs)]


def write_all(where: str, items: list[tuple[Any, Any]], start: Any = None, took: Any = None) -> None:
    """Write ``items`` in ingest's batches; with ``start`` (a barrier) and ``took`` (a queue), as one
    of several writers: wait for the others, then report when the writing began and ended."""
    from quotegraph.ingest.run import BATCH
    from quotegraph.store import Extraction, open_store

    store = open_store(where)
    extraction = Extraction.of(Options())
    if start is not None:
        start.wait()
    began = time.time()
    for i in range(0, len(items), BATCH):
        store.write(items[i:i + BATCH], extraction)
    if took is not None:
        took.put((began, time.time()))
    store.close()


def timed(work: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = work()
    return value, time.perf_counter() - start


def measure(where: str, items: list[tuple[Any, Any]]) -> dict[str, Any]:
    """Every timing of one store, in a fresh database at ``where``."""
    from quotegraph import Corpus
    from quotegraph.cluster import Occurrence, PersonRecord, cluster_quotes, merge_people
    from quotegraph.store import open_store

    r: dict[str, Any] = {}
    open_store(where).close()  # the schema, made before the clock starts
    _, r["write"] = timed(lambda: write_all(where, items))
    with Corpus(where) as corpus:
        store = corpus.store
        (occurrences, records), r["read"] = timed(lambda: (list(store.occurrences()), list(store.person_records())))
        (clusters, people), r["cluster"] = timed(lambda: (
            cluster_quotes(Occurrence(**o) for o in occurrences), merge_people(PersonRecord(**p) for p in records)))
        _, r["replace"] = timed(lambda: store.replace_clusters(clusters, people))
        assert not store.clusters_stale()
        rng = random.Random(SEED)
        quoted = [o["text"] for o in occurrences if o["type"] == "direct" and len(o["text"].split()) >= 6]
        queries = []
        for text in rng.sample(quoted, SEARCHES):
            words = [w.strip(".,;:!?\"'") for w in text.split()]
            start = rng.randrange(len(words) - 1)
            queries.append(" ".join(words[start:start + 2]))
        hits, seconds = timed(lambda: [len(corpus.search(q)) for q in queries])
        r["search_ms"], r["search_hits"] = 1000 * seconds / SEARCHES, sum(h > 0 for h in hits)
        pasted = rng.sample(quoted, PASTED)
        _, seconds = timed(lambda: [corpus.find_quote(q) for q in pasted])
        r["find_ms"] = 1000 * seconds / PASTED
        ids = [c.members[0] for c in rng.sample(clusters, QUOTES)]
        _, seconds = timed(lambda: [corpus.quote(i) for i in ids])
        r["quote_ms"] = 1000 * seconds / QUOTES
        _, seconds = timed(lambda: corpus.people(top=20))
        r["people_ms"] = 1000 * seconds
        stats, seconds = timed(corpus.stats)
        r["stats_ms"] = 1000 * seconds
        r.update(articles=stats["articles"], occurrences=stats["occurrences"], clusters=stats["quotes"])
        r["db_mb"] = database_mb(store)
    return r


def measure_writers(where: str, items: list[tuple[Any, Any]]) -> dict[str, Any]:
    """Two processes writing half the articles each, at once, into a fresh database."""
    from quotegraph.store import open_store

    open_store(where).close()  # the schema, made before the clock starts
    spawn = multiprocessing.get_context("spawn")
    start, took = spawn.Barrier(2), spawn.Queue()
    writers = [spawn.Process(target=write_all, args=(where, items[half::2], start, took)) for half in (0, 1)]
    for writer in writers:
        writer.start()
    spans = [took.get() for _ in writers]
    for writer in writers:
        writer.join()
    assert [w.exitcode for w in writers] == [0, 0]
    seconds = max(end for _, end in spans) - min(began for began, _ in spans)
    store = open_store(where, create=False)
    assert store.counts()["articles"] == len(items)
    store.close()
    return {"write": seconds}


def database_mb(store: Any) -> float:
    if isinstance(store.db, sqlite3.Connection):
        path = Path(store.where)
        return sum(p.stat().st_size for p in path.parent.glob(f"{path.name}*")) / 2**20
    return store.db.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20


class Databases:
    """Fresh PostgreSQL databases on the server at ``url``, dropped by ``drop_all``."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.url, self.made = url, []
        with psycopg.connect(url) as db:
            self.version = db.execute("SHOW server_version").fetchone()[0]
            self.fsync = db.execute("SHOW fsync").fetchone()[0]

    def new(self) -> str:
        import psycopg

        name = f"quotegraph_bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        self.made.append(urlunsplit(urlsplit(self.url)._replace(path=f"/{name}")))
        return self.made[-1]

    def drop_all(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            for url in self.made:
                db.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)')


def child(kind: str, where: str, items_file: Path, copies: int) -> dict[str, Any]:
    """One measurement in a fresh interpreter; its stdout is the result as JSON."""
    cmd = [sys.executable, __file__, "--child", kind, "--where", where, "--items", str(items_file),
           "--copies", str(copies)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode:
        raise SystemExit(f"{kind} on {where} failed:\n{run.stderr}")
    return json.loads(run.stdout)


def report(rows: list[tuple[str, dict[str, Any], dict[str, Any]]], notes: list[str], n: int, copies: int,
           load: tuple[float, float]) -> str:
    env = environment(Options().model)
    first = rows[0][1]
    lines = [f"# Corpus stores: SQLite and PostgreSQL, {env['date']}", "",
             "Python {python}, quotegraph {quotegraph}; ".format(**env)
             + f"SQLite {sqlite3.sqlite_version}, psycopg {dist_version('psycopg')}; "
             + f"{platform.machine()}, {os.cpu_count()} CPUs shared with other work.",
             (f"{n} articles of {DEV_FILE}, extracted once (not timed), stored {copies} times: {first['articles']:,} "
              f"articles, {first['occurrences']:,} quote occurrences, {first['clusters']:,} quotes after "
              "clustering; each store in its own process and a fresh database."), *notes, "",
             ("| store | write (s) | articles/s | 2 writers (s) | read (s) | cluster (s) | replace (s) "
              "| search (ms) | find_quote (ms) | quote (ms) | people (ms) | stats (ms) | database (MB) |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r, two in rows:
        lines.append(f"| {name} | {r['write']:.1f} | {r['articles'] / r['write']:,.0f} | {two['write']:.1f} "
                     f"| {r['read']:.2f} | {r['cluster']:.1f} | {r['replace']:.2f} | {r['search_ms']:.1f} "
                     f"| {r['find_ms']:.1f} | {r['quote_ms']:.1f} | {r['people_ms']:.0f} | {r['stats_ms']:.0f} "
                     f"| {r['db_mb']:.0f} |")
    lines += ["", f"search: mean of {SEARCHES} searches of two words from stored quotes "
              f"({first['search_hits']} of them found quotes); find_quote: mean of {PASTED} whole quotes; "
              f"quote: mean of {QUOTES}. cluster is the same code on the same data in every row.",
              "Load average (1 min) when the run began and ended: {:.1f}, {:.1f}.".format(*load)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the dev files (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=150, help="articles to extract (default: %(default)s)")
    ap.add_argument("--copies", type=int, default=8, help="times each is stored (default: %(default)s)")
    ap.add_argument("--postgres", default=os.environ.get("QUOTEGRAPH_TEST_POSTGRES"),
                    help="a PostgreSQL URL whose user may create databases (default: $QUOTEGRAPH_TEST_POSTGRES)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "store.md")
    ap.add_argument("--child", choices=["measure", "writers"], help=argparse.SUPPRESS)
    ap.add_argument("--where", help=argparse.SUPPRESS)
    ap.add_argument("--items", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        items = corpus_items(pickle.loads(args.items.read_bytes()), args.copies)
        result = (measure if args.child == "measure" else measure_writers)(args.where, items)
        print(json.dumps({**result, "peak_rss_mb": peak_rss_mb()}))
        return 0
    source = args.data / DEV_FILE
    if not source.is_file():
        print(f"skipped: {source} is absent; this benchmark needs the shared dev data (--data DIR)")
        return 0
    load_before = os.getloadavg()[0]
    servers = Databases(args.postgres) if args.postgres else None
    notes = ([f"PostgreSQL {servers.version}, fsync={servers.fsync}, on this machine over loopback TCP."]
             if servers else ["PostgreSQL: no server (give --postgres URL, or run under scripts/pg-throwaway)."])
    try:
        with tempfile.TemporaryDirectory(prefix="quotegraph-store-") as scratch:
            work = Path(scratch)
            items_file = work / "items.pickle"
            extracted(source, args.limit, items_file)
            rows = [("SQLite", child("measure", str(work / "one.db"), items_file, args.copies),
                     child("writers", str(work / "two.db"), items_file, args.copies))]
            if servers:
                rows.append(("PostgreSQL", child("measure", servers.new(), items_file, args.copies),
                             child("writers", servers.new(), items_file, args.copies)))
    finally:
        if servers:
            servers.drop_all()
    text = report(rows, notes, args.limit, args.copies, (load_before, os.getloadavg()[0]))
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
