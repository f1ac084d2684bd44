"""Speed and memory of quotegraph against the spaCy pipeline it is built on.

    python benchmarks/speed.py [--data ../shared/data] [--limit N] [--batch-size 16] [--repeat N]

Over the same texts (the dev files' articles, the first ``--limit``), it
measures (1) plain spaCy ``nlp.pipe`` with the same model and all its
components and (2) ``quotegraph.extract_many(jobs=1)``, the whole pipeline,
with its selective entity pass (``Options.selective``) and, as ``quotegraph-full``,
without it, all with the same batch size (spaCy's default of 256 long articles pads
every batch to its longest text and holds gigabytes, which would measure the
batch size rather than the systems).
Each system runs in its own subprocess, so its peak resident memory
(``ru_maxrss``, which, unlike tracemalloc, sees spaCy's C allocations) is its
own; each loads its model and warms up before the clock starts. The spaCy
child then times each component alone over the same texts, to show where
the time goes. Besides wall time each child records CPU time
(``time.process_time``), which other work on a shared machine disturbs less,
and, for quotegraph, the time spent in ``analyse`` (its own code, after spaCy).
``--repeat N`` runs the systems N times in turn and keeps each one's fastest
run, so a burst of load elsewhere cannot favour one system. The report is
printed and written to ``benchmarks/results/speed.md``.
"""
from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from publish import publish

from quotegraph.evaluation import read_gold
from quotegraph.evaluation.versions import environment
from quotegraph.options import Options

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data"
DEV_FILES = ("ggt-dev.jsonl", "polnear-dev.jsonl")
WARM_UP = 'The minister said on Tuesday: "We are ready." Critics disagreed, she added.'


def texts(data: Path, limit: int | None) -> list[str]:
    """The dev files' article texts, in file order, the first ``limit`` of them."""
    docs = itertools.chain.from_iterable(read_gold(data / name) for name in DEV_FILES)
    return [d["text"] for d in itertools.islice(docs, limit)]


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_spacy(items: list[str], batch_size: int) -> dict[str, Any]:
    """Plain ``nlp.pipe`` with every component, then each component timed alone."""
    import spacy

    nlp = spacy.load(Options().model)
    nlp(WARM_UP)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(items, batch_size=batch_size):
        pass
    out: dict[str, Any] = {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
                           "peak_rss_mb": peak_rss_mb()}

    components = {}
    start = time.perf_counter()
    docs = list(nlp.tokenizer.pipe(items, batch_size=batch_size))
    components["tokenizer"] = time.perf_counter() - start
    for name, proc in nlp.pipeline:
        start = time.perf_counter()
        docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        components[name] = time.perf_counter() - start
    out["components"] = components
    return out


def measure_quotegraph(items: list[str], batch_size: int, *, selective: bool = True) -> dict[str, Any]:
    """The whole quotegraph pipeline in this process; ``analysis_seconds`` is the part in ``analyse``."""
    import quotegraph
    from quotegraph import nlp, pipeline

    spent = [0.0]
    analyse = pipeline.analyse

    def timed_analyse(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return analyse(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    pipeline.analyse = timed_analyse  # _run looks it up in the module at each call
    options = Options(selective=selective)
    quotegraph.extract(WARM_UP, options=options)
    spent[0] = 0.0
    start, cpu = time.perf_counter(), time.process_time()
    for _ in quotegraph.extract_many(items, jobs=1, batch_size=batch_size, options=options):
        pass
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
            "analysis_seconds": spent[0], "peak_rss_mb": peak_rss_mb(),
            "spacy_components": nlp.load(options.model).pipe_names}


SYSTEMS = {"spacy": measure_spacy, "quotegraph": measure_quotegraph,
           "quotegraph-full": functools.partial(measure_quotegraph, selective=False)}


def child(system: str, data: Path, limit: int | None, batch_size: int) -> dict[str, Any]:
    """Run one system in a fresh interpreter; its stdout is the measurement as JSON."""
    cmd = [sys.executable, __file__, "--child", system, "--data", str(data), "--batch-size", str(batch_size)]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"{system} failed:\n{run.stderr}")
    return json.loads(run.stdout)


def report(items: list[str], batch_size: int, results: dict[str, dict[str, Any]], repeat: int = 1) -> str:
    """The Markdown report: throughput and memory side by side, ratio, spaCy components."""
    n, chars = len(items), sum(map(len, items))
    env = environment(Options().model)
    lines = [f"# Speed on the dev corpora, {env['date']}", "",
             "Python {python}, spaCy {spacy}, model {model}; quotegraph {quotegraph}.".format(**env),
             f"{platform.machine()}, {os.cpu_count()} CPUs; {n} articles, {chars:,} characters; "
             f"batches of {batch_size}; one process each, model loaded and warmed up before timing; "
             f"fastest of {repeat} run(s) each.", "",
             "| system | seconds | CPU seconds | articles/s | characters/s | x spaCy (wall) | x spaCy (CPU) "
             "| in analyse (s) | peak RSS (MB) |", "|---|---|---|---|---|---|---|---|---|"]
    base = results.get("spacy")
    for system, r in results.items():
        speedup = f"{base['seconds'] / r['seconds']:.2f}" if base else "-"
        cpu_speedup = f"{base['cpu_seconds'] / r['cpu_seconds']:.2f}" if base else "-"
        analysis = f"{r['analysis_seconds']:.1f}" if "analysis_seconds" in r else "-"
        lines.append(f"| {system} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {n / r['seconds']:.1f} | "
                     f"{chars / r['seconds']:,.0f} | {speedup} | {cpu_speedup} | {analysis} | {r['peak_rss_mb']:.0f} |")
    lines += ["", "x spaCy: quotegraph's throughput as a multiple of plain spaCy's (spaCy time / system time). "
              "quotegraph runs spaCy with "
              f"{', '.join(next(r for s, r in results.items() if s != 'spacy')['spacy_components'])}; "
              "`quotegraph` runs the entity recogniser only around capitalised words (`Options.selective`), "
              "`quotegraph-full` over every token."] if any(s != "spacy" for s in results) else []
    if "spacy" in results:
        comps = results["spacy"]["components"]
        total = sum(comps.values())
        lines += ["", "Plain spaCy, each component timed alone over the same texts:", "",
                  "| component | seconds | share |", "|---|---|---|"]
        lines += [f"| {c} | {s:.1f} | {100 * s / total:.0f}% |" for c, s in comps.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the dev files (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    ap.add_argument("--batch-size", type=int, default=16, help="articles per batch, both systems")
    ap.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS))
    ap.add_argument("--repeat", type=int, default=1, help="run the systems this many times in turn, keep the fastest")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "speed.md")
    ap.add_argument("--child", choices=list(SYSTEMS), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    items = texts(args.data, args.limit)
    if args.child:
        print(json.dumps(SYSTEMS[args.child](items, args.batch_size)))
        return 0
    results: dict[str, dict[str, Any]] = {}
    for _ in range(args.repeat):
        for system in args.systems:
            r = child(system, args.data, args.limit, args.batch_size)
            if system not in results or r["seconds"] < results[system]["seconds"]:
                results[system] = r
    text = report(items, args.batch_size, results, args.repeat)
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
