"""Spark throughput with 1 and 2 executor cores, next to the local path over the same texts.

    python benchmarks/spark.py [--data ../shared/data] [--limit N]

Over the texts of ``polnear-dev.jsonl`` (603 articles; only ``id`` and
``text`` kept, written to a scratch JSONL file), in the same run, each row in
its own process:

- ``extract_many``: the local engine, results thrown away, with 1 and 2 jobs
  (with 1 the model is loaded before timing; with 2 the workers load it on the clock);
- ``spark extract``: ``quotegraph.spark.extract.extract`` in ``local[1]`` and
  ``local[2]``: reading, article identity, extraction and writing the Parquet
  datasets. Spark and its Python workers start before timing (a warm-up job of
  a few articles has each worker load the model, which a long job pays once per
  worker), so the row is the steady throughput a large job sees;
- ``spark cluster``: ``quotegraph.spark.cluster.cluster`` over that output, and over the
  warm-up articles' output, whose time is the job's fixed cost.

All extract with ``corpus_options()``, as ``quotegraph ingest`` does.

**core-s/article** is seconds times cores over articles: what an article costs
in CPU time, the figure that scales to a cluster. The report is printed and
written to ``benchmarks/results/spark.md``, with what 1M and 100M articles
would take in core-hours at the measured cost.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ingest import DEV_FILE, write_texts
from publish import publish
from speed import DATA, WARM_UP

from quotegraph.evaluation.versions import dist_version, environment
from quotegraph.options import Options, corpus_options

HERE = Path(__file__).resolve().parent
SCALES = (1_000_000, 100_000_000)
WARM_UP_ARTICLES = 4


def measure_local(texts: Path, cores: int, work: Path) -> dict[str, Any]:
    """The local engine over the texts, with ``cores`` jobs."""
    import quotegraph

    records = [json.loads(line) for line in texts.open(encoding="utf-8")]
    options = corpus_options()  # what ingest and the Spark job extract with
    if cores == 1:
        quotegraph.extract(WARM_UP, options=options)
    start = time.perf_counter()
    quotes = sum(len(r.quotes) for r in quotegraph.extract_many(records, jobs=cores, options=options))
    return {"seconds": time.perf_counter() - start, "quotes": quotes}


def measure_spark(texts: Path, cores: int, work: Path) -> dict[str, Any]:
    """The Spark extract job in ``local[cores]``, then the cluster job over its output."""
    from quotegraph.spark.cluster import cluster
    from quotegraph.spark.extract import extract
    from quotegraph.spark.session import session

    start = time.perf_counter()
    spark = session(master=f"local[{cores}]")
    warm = work / f"warm-{cores}.jsonl"
    with texts.open(encoding="utf-8") as lines:
        warm.write_text("".join(line for _, line in zip(range(WARM_UP_ARTICLES), lines, strict=False)))
    extract(spark, [str(warm)], str(work / f"warm-{cores}"), partitions=cores)
    ready = time.perf_counter()
    out = str(work / f"spark-{cores}")
    stats = extract(spark, [str(texts)], out)
    extracted = time.perf_counter()
    quotes = cluster(spark, out, str(work / f"quotes-{cores}"))
    clustered = time.perf_counter()
    # The cluster job's fixed cost (its stages, whatever the size): the same job over the warm-up articles.
    cluster(spark, str(work / f"warm-{cores}"), str(work / f"warm-quotes-{cores}"))
    fixed = time.perf_counter() - clustered
    spark.stop()
    return {"seconds": extracted - ready, "quotes": stats.quotes, "articles": stats.articles,
            "startup_seconds": ready - start, "cluster_seconds": clustered - extracted,
            "cluster_fixed_seconds": fixed, "clusters": quotes}


SYSTEMS = {"extract_many": measure_local, "spark extract": measure_spark}


def child(system: str, cores: int, texts: Path, work: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its last stdout line is the result as JSON."""
    cmd = [sys.executable, __file__, "--child", system, "--cores", str(cores), "--texts", str(texts),
           "--work", str(work)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode:
        raise SystemExit(f"{system} with {cores} cores failed:\n{run.stderr[-5000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def report(texts: Path, results: list[tuple[str, int, dict[str, Any]]], load: tuple[float, float]) -> str:
    """The Markdown report: one row per system and cores, then the cost at scale."""
    items = [json.loads(line)["text"] for line in texts.open(encoding="utf-8")]
    n, chars = len(items), sum(map(len, items))
    env = environment(Options().model)
    local = {cores: r["seconds"] for system, cores, r in results if system == "extract_many"}
    lines = [f"# Spark throughput on {DEV_FILE}, {env['date']}", "",
             "Python {python}, spaCy {spacy}, model {model}; quotegraph {quotegraph}.".format(**env),
             (f"pyspark {dist_version('pyspark')}, Java {java_version()}, pyarrow {dist_version('pyarrow')}; "
              f"{platform.machine()}, {os.cpu_count()} CPUs."),
             (f"{n} articles, {chars:,} characters, one JSONL file; each row in its own process. extract_many "
              "with 1 job loads the model before timing, with 2 its workers load it on the clock; Spark rows "
              "start Spark and load the model in every Python worker before timing (startup column)."), "",
             ("| system | cores | seconds | articles/s | characters/s | core-s/article | vs extract_many "
              "| quotes | startup (s) | spark cluster (s) | quotes clustered |"),
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for system, cores, r in results:
        done = r.get("articles", n)  # Spark extracts a repeated text (same key) once
        ratio = f"{local[cores] / r['seconds']:.2f}x" if system != "extract_many" else "1.00x"
        spark = (f"{r['startup_seconds']:.1f} | {r['cluster_seconds']:.1f} | {r['clusters']:,}"
                 if "startup_seconds" in r else "- | - | -")
        lines.append(f"| {system} | {cores} | {r['seconds']:.1f} | {done / r['seconds']:.2f} "
                     f"| {chars / r['seconds']:,.0f} | {r['seconds'] * cores / done:.3f} | {ratio} | {r['quotes']:,} "
                     f"| {spark} |")
    lines += ["", "vs extract_many: the local engine's time with as many jobs over this row's time "
              "(above 1: faster).", ""]
    lines += scale(results)
    lines.append("Load average (1 min) when the run began and ended: {:.1f}, {:.1f}; the machine has {} CPUs, "
                 "so more than that means other work competed for them.".format(*load, os.cpu_count()))
    return "\n".join(lines) + "\n"


def scale(results: list[tuple[str, int, dict[str, Any]]]) -> list[str]:
    """Core-hours for ``SCALES`` articles at the lowest cost per article a Spark row measured.

    Clustering is charged its marginal cost: the full job's time less the same job's over the
    few warm-up articles, which is the fixed cost of its stages.
    """
    def cost(row: tuple[str, int, dict[str, Any]]) -> tuple[float, float]:
        _, cores, r = row
        marginal = max(r["cluster_seconds"] - r["cluster_fixed_seconds"], 0.0)
        return r["seconds"] * cores / r["articles"], marginal * cores / (r["articles"] - WARM_UP_ARTICLES)

    spark_rows = [row for row in results if row[0] == "spark extract"]
    best = min(spark_rows, key=lambda row: sum(cost(row)))
    extract_cost, cluster_cost = cost(best)
    fixed = ", ".join(f"{r['cluster_fixed_seconds']:.0f} s with {c} cores" for _, c, r in spark_rows)
    lines = [f"Cost per article, as measured with {best[1]} core(s) (the cheaper row): {extract_cost:.3f} "
             f"core-seconds to extract and {cluster_cost:.3f} to cluster. The cluster job's fixed cost, its "
             f"stages over {WARM_UP_ARTICLES} articles, is {fixed}; at this size it is most of its time, so "
             "it is left out of the per-article figure.", "",
             "| articles | extract (core-hours) | cluster (core-hours) | on 100 cores (hours) |", "|---|---|---|---|"]
    for articles in SCALES:
        e, c = extract_cost * articles / 3600, cluster_cost * articles / 3600
        lines.append(f"| {articles:,} | {e:,.0f} | {c:,.0f} | {(e + c) / 100:,.1f} |")
    return lines + [""]


def java_version() -> str:
    done = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    first = (done.stderr or done.stdout).splitlines()
    return first[0].split('"')[1] if first and '"' in first[0] else "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the dev files (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "spark.md")
    ap.add_argument("--child", choices=list(SYSTEMS), help=argparse.SUPPRESS)
    ap.add_argument("--cores", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(SYSTEMS[args.child](args.texts, args.cores, args.work)))
        return 0
    source = args.data / DEV_FILE
    if not source.is_file():
        print(f"skipped: {source} is absent; this benchmark needs the shared dev data (--data DIR)")
        return 0
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="quotegraph-spark-") as scratch:
        work = Path(scratch)
        texts = work / "texts.jsonl"
        write_texts(source, texts, args.limit)
        results = [(system, cores, child(system, cores, texts, work)) for cores in (1, 2) for system in SYSTEMS]
        text = report(texts, results, (load_before, os.getloadavg()[0]))
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
