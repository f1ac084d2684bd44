"""Search latency through the web API under concurrent clients, against the same queries run directly
on the store, in the same run.

    python benchmarks/serve.py [--quotes 100000] [--clients 16] [--requests 1600] [--db FILE] [--postgres URL]

1. A synthetic corpus of ``--quotes`` quote occurrences (100k by default; about a minute to
   build) is written straight through the store's own write API (``Store.write`` and
   ``replace_clusters``), so FTS5 indexes and clusters are exactly what ingest makes, without
   the hours of extraction: articles of eight quotes each (``"...," said NAME.``), 40 outlets,
   2,000 speakers, a year of dates; a quote's wording is drawn from a seeded vocabulary with
   Zipf-like word frequencies, and a third of the quotes run in two to six articles (later
   ones often cut short), clustered as they were made. ``--db FILE`` keeps the corpus and
   reuses it on the next run. With ``--postgres URL`` (by default ``$QUOTEGRAPH_TEST_POSTGRES``,
   which ``scripts/pg-throwaway`` sets) the same corpus is also built in a new PostgreSQL
   database on that server (dropped at the end), and every row below is timed on both.
2. A fixed, seeded list of searches: one to three words (common, middling and rare words, and
   phrases lifted from stored quotes), some with an outlet, a date range, a type, or sorted by
   date or occurrences; each asks for the first page of 20.
3. The same list is timed four ways: ``store, 1 thread`` (``SqliteStore.search_quotes``, one
   connection), ``store, N threads`` (a connection per thread), ``HTTP, 1 client`` and
   ``HTTP, N clients``: ``GET /api/quotes`` against ``quotegraph.serve`` under uvicorn in its own
   process on a loopback port (rate limit off), each client a keep-alive ``httpx2`` connection in
   its own thread. Every request is timed alone; the report gives p50, p90, p99 and mean
   latency and requests per second, and writes them to ``benchmarks/results/serve.md``.

The HTTP rows carry everything the server adds (HTTP parsing, validation, the query time limit,
JSON encoding) on top of the same store query; client and server share the machine's CPUs.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from itertools import accumulate
from pathlib import Path
from typing import Any

from publish import publish
from store import Databases

from quotegraph.cluster import QuoteCluster, Variant
from quotegraph.evaluation.versions import dist_version, source_commit
from quotegraph.model import ArticleResult, Person, Quote, Span
from quotegraph.options import Options
from quotegraph.store import Article, Extraction, Store, open_store
from quotegraph.store.backends import is_postgres

HERE = Path(__file__).resolve().parent
SEED = 20261130
VOCABULARY = 30_000
PER_ARTICLE = 8
OUTLETS = 40
SPEAKERS = 2_000
SYLLABLES = ["ka", "lo", "mer", "vin", "ta", "sol", "ri", "den", "bra", "ost", "el", "un", "far", "pe", "gro",
             "wy", "ch", "an", "is", "mo", "ru", "th", "ev", "ic"]
FUNCTION = ["we", "the", "a", "to", "and", "of", "in", "it", "is", "was", "that", "our", "not", "for", "will"]


class Synthetic:
    """A seeded maker of quotes, speakers and outlets."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        words: set[str] = set()
        while len(words) < VOCABULARY:
            words.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))))
        self.words = FUNCTION + sorted(words)
        self.cum = list(accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))))
        names = sorted(words)
        self.speakers = [f"{names[i].title()} {names[-1 - i].title()}" for i in range(SPEAKERS)]
        self.outlets = [f"{names[i * 7].title()} {kind}" for i, kind in
                        zip(range(OUTLETS), ["Gazette", "Courier", "Times", "Herald"] * OUTLETS, strict=False)]

    def quote(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum, k=self.rng.randint(8, 30))
        return " ".join(words).capitalize()


def build(path: str, quotes: int) -> dict[str, Any]:
    """Write a synthetic corpus of ``quotes`` occurrences into a new database at ``path`` (a file or URL)."""
    gen = Synthetic()
    rng = gen.rng
    extraction = Extraction.of(Options())
    start = datetime.date(2025, 1, 1)
    # Each distinct quote: its wording, speaker and how many articles run it.
    pending: list[tuple[int, str, str]] = []  # (quote number, text, speaker) waiting for articles
    clusters: dict[int, list[tuple[int, bool]]] = {}  # quote number -> [(occurrence key, truncated)]
    speaker_people: dict[str, list[int]] = {}
    made = next_quote = key = person_key = 0
    store = open_store(path)
    batch: list[tuple[Article, ArticleResult]] = []
    article_number = 0
    while made < quotes:
        article_number += 1
        date = (start + datetime.timedelta(days=rng.randrange(365))).isoformat()
        outlet = gen.outlets[min(int(rng.expovariate(1 / 8)), OUTLETS - 1)]
        parts = []
        for _ in range(PER_ARTICLE):
            if pending and rng.random() < 0.45:
                number, text, speaker = pending.pop(rng.randrange(len(pending)))
                truncated = rng.random() < 0.4
                if truncated:
                    words = text.split()
                    text = " ".join(words[:max(4, len(words) * 2 // 3)])
            else:
                number, text = next_quote, gen.quote()
                speaker = gen.speakers[min(int(rng.expovariate(1 / 300)), SPEAKERS - 1)]
                next_quote += 1
                truncated = False
                for _ in range(rng.choice([0, 0, 1, 2, 3, 4, 5]) if rng.random() < 1 / 3 else 0):
                    pending.append((number, text, speaker))
            parts.append((number, text, speaker, truncated))
        body, quote_rows, people, pids = "", [], [], {}
        for number, text, speaker, truncated in parts:
            if speaker not in pids:
                pids[speaker] = f"p{len(pids) + 1}"
            open_at = len(body) + 1
            body += f'"{text}," said {speaker}. '
            said = open_at + len(text) + 3
            quote_rows.append(Quote(start=open_at, end=open_at + len(text), spans=((open_at, open_at + len(text)),),
                                    text=text, type="direct", speaker=speaker, speaker_id=pids[speaker],
                                    speaker_mention=Span(said + 5, said + 5 + len(speaker), speaker),
                                    cue=Span(said, said + 4, "said"), confidence=0.9, evidence="synthetic"))
            key += 1
            clusters.setdefault(number, []).append((key, truncated))
        for speaker, pid in pids.items():
            at = body.index(speaker)
            people.append(Person(id=pid, name=speaker, gender=rng.choice(["female", "male", None]),
                                 mentions=((at, at + len(speaker)),)))
            person_key += 1
            speaker_people.setdefault(speaker, []).append(person_key)
        digest = hashlib.sha256(body.encode()).hexdigest()
        batch.append((Article(key=f"https://{outlet.split()[0].lower()}.example/{article_number}", text=body,
                              text_hash=digest, extraction=extraction.version, source_id=str(article_number),
                              url=f"https://{outlet.split()[0].lower()}.example/{article_number}",
                              title=f"Story {article_number}", outlet=outlet, date=date),
                      ArticleResult(id=str(article_number), date=date, quotes=tuple(quote_rows),
                                    people=tuple(people))))
        made += PER_ARTICLE
        if len(batch) >= 500:
            store.write(batch, extraction)
            batch = []
    if batch:
        store.write(batch, extraction)
    store.replace_clusters(
        [QuoteCluster(members=tuple(k for k, _ in members), canonical=members[0][0], earliest=members[0][0],
                      speakers=(), speaker=None, altered=False,
                      variants=tuple(Variant(k, "canonical" if i == 0 else "verbatim", t)
                                     for i, (k, t) in enumerate(members)))
         for members in clusters.values()],
        list(speaker_people.values()))
    # The vote's winner is the one speaker each synthetic quote has.
    speaker = "(SELECT q.speaker FROM quotes q WHERE q.id = clusters.canonical)"
    vote = (f"json_build_array(json_build_array({speaker}, 1.0))::text" if is_postgres(path)
            else f"json_array(json_array({speaker}, 1.0))")
    store.db.execute(f"UPDATE clusters SET speaker = {speaker}, speakers = {vote}")
    counts = store.counts()
    store.close()
    return counts


def queries(path: str, n: int = 100) -> list[dict[str, Any]]:
    """A seeded list of ``n`` searches over the corpus at ``path``."""
    rng = random.Random(SEED + 1)
    gen = Synthetic()
    store = open_store(path, create=False)
    texts = [t for (t,) in store.db.execute("SELECT text FROM quotes WHERE id % 997 = 0 ORDER BY id LIMIT 200")]
    outlets = [o for (o,) in store.db.execute("SELECT DISTINCT outlet FROM articles ORDER BY outlet LIMIT 10")]
    store.close()
    common, middling, rare = gen.words[15:80], gen.words[500:3000], gen.words[8000:]
    out = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            words = [rng.choice(common)]
        elif kind == 1:
            words = [rng.choice(middling)]
        elif kind == 2:
            words = [rng.choice(rare)]
        elif kind == 3:
            words = [rng.choice(middling), rng.choice(middling)]
        else:
            phrase = rng.choice(texts).split()
            at = rng.randrange(max(1, len(phrase) - 3))
            words = phrase[at:at + 3]
        query: dict[str, Any] = {"q": " ".join(words)}
        extra = rng.random()
        if extra < 0.15:
            query["outlet"] = rng.choice(outlets).split()[0].lower()
        elif extra < 0.3:
            month = rng.randrange(1, 13)
            query["since"], query["until"] = f"2025-{month:02d}", f"2025-{month:02d}"
        elif extra < 0.4:
            query["sort"] = rng.choice(["date", "occurrences"])
        out.append(query)
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(workers: int, requests: int, work) -> dict[str, Any]:
    """Run ``requests`` calls of ``work(worker, i)`` over ``workers`` threads; each call timed alone."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def run(worker: int) -> None:
        state = work.start(worker)
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            t = time.perf_counter()
            work.call(state, i)
            mine.append(time.perf_counter() - t)
        work.stop(state)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    ms = [x * 1000 for x in latencies]
    return {"requests": len(ms), "p50": pct(ms, 50), "p90": pct(ms, 90), "p99": pct(ms, 99),
            "mean": statistics.fmean(ms), "per_second": len(ms) / wall}


class Direct:
    """The queries straight on the store, a connection per thread."""

    def __init__(self, path: str, searches: list[dict[str, Any]]) -> None:
        self.path, self.searches = path, searches

    def start(self, worker: int) -> Store:
        return open_store(self.path, create=False)

    def call(self, store: Store, i: int) -> None:
        s = self.searches[i % len(self.searches)]
        found = store.search_quotes(s["q"], outlet=s.get("outlet"), since=s.get("since"), until=s.get("until"),
                                    sort=s.get("sort", "relevance"), limit=20)
        assert found["total"] >= 0

    def stop(self, store: Store) -> None:
        store.close()


class Http:
    """The queries as ``GET /api/quotes``, a keep-alive connection per client thread."""

    def __init__(self, url: str, searches: list[dict[str, Any]]) -> None:
        self.url, self.searches = url, searches

    def start(self, worker: int) -> Any:
        import httpx2

        return httpx2.Client(base_url=self.url, timeout=60)

    def call(self, client: Any, i: int) -> None:
        answer = client.get("/api/quotes", params=self.searches[i % len(self.searches)])
        if answer.status_code != 200:
            raise RuntimeError(f"{answer.status_code}: {answer.text[:200]}")

    def stop(self, client: Any) -> None:
        client.close()


SERVER = """
import sys, uvicorn
from quotegraph.serve import create_app
uvicorn.run(create_app(sys.argv[1], rate=None), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def serve(path: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", SERVER, path, str(port)])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def page_times(url: str, path: str) -> list[tuple[str, float, float]]:
    """Each page once right after the server starts (cold: the server is still warming the home page's
    and dashboard's aggregates in the background, nothing else is cached) and then the median of five
    more (warm), in milliseconds."""
    import httpx2

    store = open_store(path, create=False)
    quote = store.most_repeated_quotes(1)[0]["id"]
    person = store.db.execute("SELECT min(id) FROM merged_people").fetchone()[0]
    store.close()
    out = []
    with httpx2.Client(base_url=url, timeout=120) as client:
        for page in ("/", "/search?q=the", "/dashboard", "/people", f"/people/{person}", f"/quotes/{quote}",
                     "/articles/1", "/api/stats"):
            times = []
            for _ in range(6):
                t = time.perf_counter()
                answer = client.get(page)
                times.append((time.perf_counter() - t) * 1000)
                if answer.status_code != 200:
                    raise RuntimeError(f"{page}: {answer.status_code}")
            out.append((page, times[0], statistics.median(times[1:])))
    return out


def measure(path: str, searches: list[dict[str, Any]], clients: int,
            requests: int) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, float, float]]]:
    """The four rows (store and HTTP, one and ``clients`` at once) and the page times, on one corpus."""
    direct = Direct(path, searches)
    timed(1, len(searches), direct)  # warm the caches: every row starts from the same state
    rows = [("store, 1 thread", timed(1, len(searches) * 2, direct)),
            (f"store, {clients} threads", timed(clients, requests, direct))]
    server, url = serve(path)
    try:
        pages = page_times(url, path)
        http = Http(url, searches)
        timed(4, len(searches), http)  # the server's connections and thread pool, warmed
        rows += [("HTTP, 1 client", timed(1, len(searches) * 2, http)),
                 (f"HTTP, {clients} clients", timed(clients, requests, http))]
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows, pages


def report(counts: dict[str, int], built: str, searches: int, postgres: str | None,
           results: dict[str, tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, float, float]]]],
           clients: int) -> str:
    today = datetime.date.today().isoformat()
    server = f", PostgreSQL {postgres}" if postgres else ""
    lines = [
        f"### Serving, {today}", "",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}{server}, FastAPI "
        f"{dist_version('fastapi')}, uvicorn {dist_version('uvicorn')}, httpx2 {dist_version('httpx2')}; quotegraph "
        f"{dist_version('quotegraph')} ({source_commit()}). {platform.machine()}, {os.cpu_count()} CPUs "
        "(shared with other work).",
        f"Synthetic corpus ({built}): {counts['quotes']:,} quote occurrences in {counts['articles']:,} articles, "
        f"{counts['clusters']:,} distinct quotes, {counts['merged_people']:,} speakers, the same in each "
        f"database. {searches} seeded searches (first page of 20), cycled; every request timed alone.", "",
        "| database | system | concurrency | requests | p50 (ms) | p90 (ms) | p99 (ms) | mean (ms) | requests/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, (rows, _) in results.items():
        for name, r in rows:
            system, concurrency = name.rsplit(", ", 1)
            lines.append(f"| {backend} | {system} | {concurrency} | {r['requests']:,} | {r['p50']:.1f} | "
                         f"{r['p90']:.1f} | {r['p99']:.1f} | {r['mean']:.1f} | {r['per_second']:.0f} |")
    lines.append("")
    for backend, (rows, _) in results.items():
        direct, http = dict(rows)[f"store, {clients} threads"], dict(rows)[f"HTTP, {clients} clients"]
        lines.append(f"{backend}, at {clients} concurrent clients: API p50 {http['p50']:.1f} ms and p99 "
                     f"{http['p99']:.1f} ms, against {direct['p50']:.1f} ms and {direct['p99']:.1f} ms for the same "
                     f"searches on the store with {clients} threads.")
    lines += ["", "Pages right after the server starts, the first request (cold: nothing cached yet; the server "
              "warms the home page's and dashboard's aggregates in the background as it starts) and the median "
              "of five more (warm):", "",
              "| page | " + " | ".join(f"{b} cold (ms) | {b} warm (ms)" for b in results) + " |",
              "|---|" + "---|---|" * len(results)]
    tables = [dict((page, (cold, warm)) for page, cold, warm in pages) for _, pages in results.values()]
    for page in tables[0]:
        lines.append(f"| `{page}` | " + " | ".join(f"{t[page][0]:.0f} | {t[page][1]:.0f}" for t in tables) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quotes", type=int, default=100_000, help="quote occurrences in the synthetic corpus")
    ap.add_argument("--clients", type=int, default=16, help="concurrent clients (and store threads)")
    ap.add_argument("--requests", type=int, default=1600, help="requests per concurrent row")
    ap.add_argument("--db", type=Path, help="keep the SQLite corpus here and reuse it when it exists")
    ap.add_argument("--postgres", default=os.environ.get("QUOTEGRAPH_TEST_POSTGRES"), metavar="URL",
                    help="a PostgreSQL server to time the same corpus on too (default: $QUOTEGRAPH_TEST_POSTGRES)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "serve.md")
    args = ap.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        path = str(args.db or Path(scratch) / "serve-bench.db")
        built = "reused"
        if not Path(path).exists():
            t = time.perf_counter()
            build(path, args.quotes)
            built = f"built in {time.perf_counter() - t:.0f} s in SQLite"
        store = open_store(path, create=False)
        counts = store.counts()
        store.close()
        print(f"corpus: {counts}", file=sys.stderr)
        searches = queries(path)
        results = {"SQLite": measure(path, searches, args.clients, args.requests)}
        version = None
        if args.postgres:
            databases = Databases(args.postgres)
            try:
                url = databases.new()
                t = time.perf_counter()
                # The same seed makes the same corpus; the searches are the SQLite ones.
                if build(url, counts["quotes"]) != counts:
                    raise RuntimeError("the PostgreSQL corpus differs from the SQLite one")
                built += f", {time.perf_counter() - t:.0f} s in PostgreSQL"
                version = databases.version + (" (fsync off: a throwaway server)" if databases.fsync == "off" else "")
                results["PostgreSQL"] = measure(url, searches, args.clients, args.requests)
            finally:
                databases.drop_all()
    text = report(counts, built, len(searches), version, results, args.clients)
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
