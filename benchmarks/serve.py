"""Search latency through the web API under concurrent clients, against the same queries run directly
on the store, in the same run.

    python benchmarks/serve.py [--quotes 100000] [--clients 16] [--requests 1600] [--db FILE]

1. A synthetic corpus of ``--quotes`` quote occurrences (100k by default; about a minute to
   build) is written straight through the store's own write API (``SqliteStore.write`` and
   ``replace_clusters``), so FTS5 indexes and clusters are exactly what ingest makes, without
   the hours of extraction: articles of eight quotes each (``"...," said NAME.``), 40 outlets,
   2,000 speakers, a year of dates; a quote's wording is drawn from a seeded vocabulary with
   Zipf-like word frequencies, and a third of the quotes run in two to six articles (later
   ones often cut short), clustered as they were made. ``--db FILE`` keeps the corpus and
   reuses it on the next run.
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

from quotegraph.cluster import QuoteCluster, Variant
from quotegraph.evaluation.versions import dist_version, source_commit
from quotegraph.model import ArticleResult, Person, Quote, Span
from quotegraph.options import Options
from quotegraph.store import Article, Extraction, SqliteStore

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


def build(path: Path, quotes: int) -> dict[str, Any]:
    """Write a synthetic corpus of ``quotes`` occurrences into a new database at ``path``."""
    gen = Synthetic()
    rng = gen.rng
    extraction = Extraction.of(Options())
    start = datetime.date(2025, 1, 1)
    # Each distinct quote: its wording, speaker and how many articles run it.
    pending: list[tuple[int, str, str]] = []  # (quote number, text, speaker) waiting for articles
    clusters: dict[int, list[tuple[int, bool]]] = {}  # quote number -> [(occurrence key, truncated)]
    speaker_people: dict[str, list[int]] = {}
    made = next_quote = key = person_key = 0
    store = SqliteStore(path)
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
    store.db.execute("""UPDATE clusters SET speaker = (SELECT q.speaker FROM quotes q WHERE q.id = clusters.canonical),
                        speakers = json_array(json_array((SELECT q.speaker FROM quotes q
                                                          WHERE q.id = clusters.canonical), 1.0))""")
    counts = store.counts()
    store.close()
    return counts


def queries(path: Path, n: int = 100) -> list[dict[str, Any]]:
    """A seeded list of ``n`` searches over the corpus at ``path``."""
    rng = random.Random(SEED + 1)
    gen = Synthetic()
    db = sqlite3.connect(path)
    texts = [t for (t,) in db.execute("SELECT text FROM quotes WHERE id % 997 = 0 LIMIT 200")]
    outlets = [o for (o,) in db.execute("SELECT DISTINCT outlet FROM articles LIMIT 10")]
    db.close()
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

    def __init__(self, path: Path, searches: list[dict[str, Any]]) -> None:
        self.path, self.searches = path, searches

    def start(self, worker: int) -> SqliteStore:
        return SqliteStore(self.path)

    def call(self, store: SqliteStore, i: int) -> None:
        s = self.searches[i % len(self.searches)]
        found = store.search_quotes(s["q"], outlet=s.get("outlet"), since=s.get("since"), until=s.get("until"),
                                    sort=s.get("sort", "relevance"), limit=20)
        assert found["total"] >= 0

    def stop(self, store: SqliteStore) -> None:
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


def serve(path: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(path), str(port)])
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


def page_times(url: str, path: Path) -> list[tuple[str, float, float]]:
    """Each page once right after the server starts (cold: the server is still warming the home page's
    and dashboard's aggregates in the background, nothing else is cached) and then the median of five
    more (warm), in milliseconds."""
    import httpx2

    db = sqlite3.connect(path)
    quote = db.execute("SELECT cluster FROM cluster_members GROUP BY cluster ORDER BY count(*) DESC LIMIT 1"
                       ).fetchone()[0]
    person = db.execute("SELECT id FROM merged_people LIMIT 1").fetchone()[0]
    db.close()
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


def report(counts: dict[str, int], build_seconds: float | None, searches: int,
           rows: list[tuple[str, dict[str, Any]]], clients: int, pages: list[tuple[str, float, float]]) -> str:
    today = datetime.date.today().isoformat()
    built = f"built in {build_seconds:.0f} s" if build_seconds is not None else "reused"
    lines = [
        f"### Serving, {today}", "",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, FastAPI {dist_version('fastapi')}, "
        f"uvicorn {dist_version('uvicorn')}, httpx2 {dist_version('httpx2')}; quotegraph {dist_version('quotegraph')} "
        f"({source_commit()}). {platform.machine()}, {os.cpu_count()} CPUs (shared with other work).",
        f"Synthetic corpus ({built}): {counts['quotes']:,} quote occurrences in {counts['articles']:,} articles, "
        f"{counts['clusters']:,} distinct quotes, {counts['merged_people']:,} speakers. {searches} seeded searches "
        "(first page of 20), cycled; every request timed alone.", "",
        "| system | concurrency | requests | p50 (ms) | p90 (ms) | p99 (ms) | mean (ms) | requests/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows:
        system, concurrency = name.rsplit(", ", 1)
        lines.append(f"| {system} | {concurrency} | {r['requests']:,} | {r['p50']:.1f} | {r['p90']:.1f} | "
                     f"{r['p99']:.1f} | {r['mean']:.1f} | {r['per_second']:.0f} |")
    direct = dict(rows)[f"store, {clients} threads"]
    http = dict(rows)[f"HTTP, {clients} clients"]
    lines += ["", f"At {clients} concurrent clients: API p50 {http['p50']:.1f} ms and p99 {http['p99']:.1f} ms, "
              f"against {direct['p50']:.1f} ms and {direct['p99']:.1f} ms for the same searches on the store "
              f"with {clients} threads."]
    lines += ["", "Pages right after the server starts, the first request (cold: nothing cached yet; the server "
              "warms the home page's and dashboard's aggregates in the background as it starts) and the median "
              "of five more (warm):", "", "| page | cold (ms) | warm (ms) |", "|---|---|---|"]
    lines += [f"| `{page}` | {cold:.0f} | {warm:.0f} |" for page, cold, warm in pages]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quotes", type=int, default=100_000, help="quote occurrences in the synthetic corpus")
    ap.add_argument("--clients", type=int, default=16, help="concurrent clients (and store threads)")
    ap.add_argument("--requests", type=int, default=1600, help="requests per concurrent row")
    ap.add_argument("--db", type=Path, help="keep the corpus here and reuse it when it exists")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "serve.md")
    args = ap.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "serve-bench.db"
        build_seconds = None
        if not path.exists():
            t = time.perf_counter()
            counts = build(path, args.quotes)
            build_seconds = time.perf_counter() - t
        store = SqliteStore(path)
        counts = store.counts()
        store.close()
        print(f"corpus: {counts}", file=sys.stderr)
        searches = queries(path)
        direct = Direct(path, searches)
        timed(1, len(searches), direct)  # warm the page cache: every row starts from the same state
        rows = [("store, 1 thread", timed(1, len(searches) * 2, direct)),
                (f"store, {args.clients} threads", timed(args.clients, args.requests, direct))]
        server, url = serve(path)
        try:
            pages = page_times(url, path)
            http = Http(url, searches)
            timed(4, len(searches), http)  # the server's connections and thread pool, warmed
            rows += [("HTTP, 1 client", timed(1, len(searches) * 2, http)),
                     (f"HTTP, {args.clients} clients", timed(args.clients, args.requests, http))]
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = report(counts, build_seconds, len(searches), rows, args.clients, pages)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
