"""Ingest throughput and memory, next to the bare engine over the same texts.

    python benchmarks/ingest.py [--data ../shared/data] [--limit N]

Over the texts of ``polnear-dev.jsonl`` (603 articles; only ``id`` and
``text`` are kept, written to a scratch JSONL file), it measures in the same run:

- ``extract_many``: the bare engine, results thrown away, with 1 and 2 jobs;
- ``ingest``: ``Corpus.ingest`` of the JSONL file into a fresh SQLite
  database, with 1 and 2 jobs: reading, identity, extraction, writing, FTS5;
- ``ingest again``: the same ingest run a second time, when every article is
  stored and unchanged: the cost of a re-run.

The difference between an ``ingest`` row and the ``extract_many`` row of the
same jobs is what the store costs. Each measurement runs in its own
subprocess, so its peak resident memory (``ru_maxrss``) is its own; with 2
jobs the main process and the largest worker are reported apart. With 1 job
the model is loaded and warmed up before the clock starts; with 2 jobs the
workers load it on the clock, in both systems alike. The report is printed and
written to ``benchmarks/results/ingest.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from publish import publish
from speed import DATA, WARM_UP, peak_rss_mb

from quotegraph.evaluation.versions import dist_version, environment
from quotegraph.options import Options

HERE = Path(__file__).resolve().parent
DEV_FILE = "polnear-dev.jsonl"


def write_texts(source: Path, target: Path, limit: int | None) -> None:
    """Copy the ``id`` and ``text`` of each article (the first ``limit``) to ``target``."""
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                break
            doc = json.loads(line)
            out.write(json.dumps({"id": doc["id"], "text": doc["text"]}, ensure_ascii=False) + "\n")


def worker_peak_rss_mb() -> float:
    """The peak resident memory of the largest child process that has ended (kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def measure_extract(texts: Path, jobs: int, work: Path) -> dict[str, Any]:
    """The bare engine over the texts."""
    import quotegraph

    records = [json.loads(line) for line in texts.open(encoding="utf-8")]
    if jobs == 1:
        quotegraph.extract(WARM_UP)
    start = time.perf_counter()
    quotes = sum(len(r.quotes) for r in quotegraph.extract_many(records, jobs=jobs))
    return {"seconds": time.perf_counter() - start, "quotes": quotes}


def measure_ingest(texts: Path, jobs: int, work: Path) -> dict[str, Any]:
    """``Corpus.ingest`` into a fresh database, then the same ingest again."""
    import quotegraph

    db = work / f"ingest-{jobs}.db"
    if jobs == 1:
        quotegraph.extract(WARM_UP)
    with quotegraph.Corpus(db) as corpus:
        start = time.perf_counter()
        stats = corpus.ingest([str(texts)], jobs=jobs)
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        again = corpus.ingest([str(texts)], jobs=jobs)
        again_seconds = time.perf_counter() - start
    assert again.extracted == 0
    size = sum(p.stat().st_size for p in work.glob(f"{db.name}*"))
    return {"seconds": seconds, "quotes": stats.quotes, "again_seconds": again_seconds, "db_mb": size / 2**20,
            "stored": stats.added, "duplicates": stats.duplicates}


SYSTEMS = {"extract_many": measure_extract, "ingest": measure_ingest}


def child(system: str, jobs: int, texts: Path, work: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its stdout is the result as JSON."""
    cmd = [sys.executable, __file__, "--child", system, "--jobs", str(jobs), "--texts", str(texts),
           "--work", str(work)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode:
        raise SystemExit(f"{system} --jobs {jobs} failed:\n{run.stderr}")
    return json.loads(run.stdout)


def report(texts: Path, results: list[tuple[str, int, dict[str, Any]]], load: tuple[float, float]) -> str:
    """The Markdown report: one row per system and jobs, with the store's overhead."""
    items = [json.loads(line)["text"] for line in texts.open(encoding="utf-8")]
    n, chars = len(items), sum(map(len, items))
    env = environment(Options().model)
    bare = {jobs: r["seconds"] for system, jobs, r in results if system == "extract_many"}
    lines = [f"# Ingest throughput on {DEV_FILE}, {env['date']}", "",
             "Python {python}, spaCy {spacy}, model {model}; quotegraph {quotegraph}.".format(**env),
             (f"SQLite {sqlite3.sqlite_version}, trafilatura {dist_version('trafilatura')}, "
              f"warcio {dist_version('warcio')}; {platform.machine()}, {os.cpu_count()} CPUs."),
             (f"{n} articles, {chars:,} characters, one JSONL file; each row in its own process; "
              "with 1 job the model is loaded before timing, with 2 the workers load it on the clock."), "",
             ("| system | jobs | seconds | articles/s | characters/s | store overhead | quotes "
              "| peak RSS main (MB) | peak RSS worker (MB) | database (MB) |"),
             "|---|---|---|---|---|---|---|---|---|---|"]
    for system, jobs, r in results:
        overhead = f"{100 * (r['seconds'] / bare[jobs] - 1):+.1f}%" if system == "ingest" and jobs in bare else "-"
        worker = f"{r['worker_peak_rss_mb']:.0f}" if jobs > 1 else "-"
        db = f"{r['db_mb']:.1f}" if "db_mb" in r else "-"
        lines.append(f"| {system} | {jobs} | {r['seconds']:.1f} | {n / r['seconds']:.1f} | {chars / r['seconds']:,.0f} "
                     f"| {overhead} | {r['quotes']:,} | {r['peak_rss_mb']:.0f} | {worker} | {db} |")
    for _, jobs, r in results:
        if "again_seconds" in r:
            lines.append(f"| ingest again (all unchanged) | {jobs} | {r['again_seconds']:.2f} "
                         f"| {n / r['again_seconds']:,.0f} | {chars / r['again_seconds']:,.0f} | - | 0 | - | - | - |")
    lines += ["", "store overhead: ingest time over the bare `extract_many` time with the same jobs, minus one."]
    stored = next(r for system, _, r in results if system == "ingest")
    if stored["duplicates"]:
        lines.append(f"ingest stores {stored['stored']} articles: texts without a URL that repeat an earlier one "
                     f"({stored['duplicates']} here) share its key and are extracted once; `extract_many` "
                     "extracts every text.")
    lines.append("Load average (1 min) when the run began and ended: {:.1f}, {:.1f}; the machine has {} CPUs, "
                 "so more than that means other work competed for them.".format(*load, os.cpu_count()))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the dev files (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "ingest.md")
    ap.add_argument("--child", choices=list(SYSTEMS), help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        result = SYSTEMS[args.child](args.texts, args.jobs, args.work)
        result.update(peak_rss_mb=peak_rss_mb(), worker_peak_rss_mb=worker_peak_rss_mb())
        print(json.dumps(result))
        return 0
    source = args.data / DEV_FILE
    if not source.is_file():
        print(f"skipped: {source} is absent; this benchmark needs the shared dev data (--data DIR)")
        return 0
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="quotegraph-ingest-") as scratch:
        work = Path(scratch)
        texts = work / "texts.jsonl"
        write_texts(source, texts, args.limit)
        results = [(system, jobs, child(system, jobs, texts, work))
                   for jobs in (1, 2) for system in SYSTEMS]
        text = report(texts, results, (load_before, os.getloadavg()[0]))
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
