"""Time and memory of quote clustering as the corpus grows, against an all-pairs baseline.

    python benchmarks/cluster.py [--sizes 10000 100000] [--huge] [--baseline-sizes 500 1000]

Occurrences are synthetic, drawn from a seeded random vocabulary with a
Zipf-like word frequency (so common words and phrases recur across quotes, as
in news), grouped into quotes repeated 1 to 20 times (short runs more often)
the way outlets repeat them: verbatim in other quote marks or case, cut to a
shorter stretch, split in two halves joined with " ... ", in American
spelling or another number style or punctuation, misquoted (a word changed,
dropped or added), cut to a two-to-four-word fragment, or reported
indirectly with shifted pronouns. Every occurrence knows the quote it came
from, so each run also reports pairwise precision and recall of the clusters
and how often the winning speaker is the true one.

Each (system, size) runs in its own subprocess, so its peak resident memory
(``ru_maxrss``) is its own; the report gives the resident memory after the
occurrences are generated and the peak during clustering, whose difference is
the clustering's. Growth: time and memory at each size over the previous
size, next to the size ratio (10 for 10k -> 100k: linear growth gives 10).

Baseline: ``rapidfuzz.process.cdist`` of every occurrence against every other
with the same normalisation and threshold as ``same_quote`` (partial_ratio >=
MATCH_SCORE), then union-find over the matches: the naive way, without LSH.
It needs n^2 alignments, so it runs at small sizes only (``--baseline-sizes``);
quotegraph runs at the same sizes for comparison. ``--huge`` adds 1,000,000
occurrences (several minutes and a few GB). The report is printed and written
to ``benchmarks/results/cluster.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path
from typing import Any

from publish import publish

from quotegraph.cluster import Occurrence, cluster_quotes
from quotegraph.cluster.same_quote import MATCH_SCORE, norms, word_map
from quotegraph.evaluation.versions import dist_version, source_commit

HERE = Path(__file__).resolve().parent
SEED = 20261130
VOCABULARY = 20_000
SYLLABLES = ["ka", "lo", "mer", "vin", "ta", "sol", "ri", "den", "bra", "ost", "el", "un", "far", "pe", "gro",
             "wy", "ch", "an", "is", "mo", "ru", "th", "ev", "ic"]
PRONOUNS = {"i": "she", "we": "they", "my": "her", "our": "their", "me": "her", "us": "them"}
FUNCTION = ["i", "we", "the", "a", "to", "and", "of", "in", "it", "is", "was", "that", "my", "our", "not", "for"]


class Corpus:
    """A seeded generator of synthetic occurrences with their true quote."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        words = set()
        while len(words) < VOCABULARY:
            words.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))))
        british = [w for w, a in word_map().items() if not w.isdigit() and not a.isdigit() and w != a]
        numbers = [w for w, a in word_map().items() if a.isdigit()]
        self.british = {w: word_map()[w] for w in british}
        self.numbers = {w: word_map()[w] for w in numbers}
        # Function words first (most frequent), then content words, then spellings that vary.
        self.words = FUNCTION + sorted(words) + sorted(british)[:300] + sorted(numbers)
        self.cum = list(accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))))
        firsts, lasts = sorted(words)[:5000], sorted(words)[5000:10000]
        self.speakers = [f"{a.title()} {b.title()}" for a, b in zip(firsts, lasts, strict=False)]

    def quote(self) -> list[str]:
        n = self.rng.randint(8, 45)
        ws = self.rng.choices(self.words, cum_weights=self.cum, k=n)
        out = []
        for i, w in enumerate(ws):
            w = w.capitalize() if i == 0 or out[-1].endswith(".") else w
            out.append(w + (self.rng.choice([",", ".", ";"]) if self.rng.random() < 0.12 else ""))
        out[-1] = out[-1].rstrip(",.;") + "."
        return out

    def variant(self, ws: list[str]) -> tuple[str, str]:
        """One outlet's rendering of a quote: (text, type)."""
        r = self.rng.random()
        if r < 0.30:  # verbatim, maybe in capitals
            return (" ".join(ws).upper() if self.rng.random() < 0.1 else " ".join(ws)), "direct"
        if r < 0.50:  # a cut
            k = self.rng.randint(min(6, len(ws)), len(ws))
            s = self.rng.randint(0, len(ws) - k)
            return " ".join(ws[s:s + k]), "direct"
        if r < 0.62:  # spelling, number style, punctuation
            out = [self.british.get(w.strip(",.;"), self.numbers.get(w.strip(",.;"), w.strip(",.;")))
                   + w[len(w.strip(",.;")):] for w in ws]
            return " ".join(out).replace(";", ",").replace(",", "", 1), "direct"
        if r < 0.74:  # a misquote
            out = list(ws)
            i = self.rng.randrange(len(out))
            op = self.rng.choice(["change", "drop", "add"])
            if op == "change":
                out[i] = self.rng.choice(self.words)
            elif op == "drop" and len(out) > 8:
                del out[i]
            else:
                out.insert(i, self.rng.choice(self.words))
            return " ".join(out), "direct"
        if r < 0.84:  # split by the attribution
            i = self.rng.randint(3, len(ws) - 3)
            return " ".join(ws[:i]) + " ... " + " ".join(ws[i:]), "direct"
        if r < 0.92:  # a short fragment
            k = self.rng.randint(2, 4)
            s = self.rng.randint(0, len(ws) - k)
            return " ".join(ws[s:s + k]), "partial"
        k = self.rng.randint(min(8, len(ws)), len(ws))  # an indirect report
        s = self.rng.randint(0, len(ws) - k)
        return " ".join(PRONOUNS.get(w.lower().strip(",.;"), w) for w in ws[s:s + k]), "indirect"

    def occurrences(self, n: int) -> tuple[list[Occurrence], list[int], list[str]]:
        """``n`` occurrences in a shuffled order, each one's true quote, and each quote's true speaker."""
        occs: list[Occurrence] = []
        truth: list[int] = []
        speakers: list[str] = []
        sizes = list(range(1, 21))
        weights = [1.0 / s for s in sizes]
        while len(occs) < n:
            ws = self.quote()
            who = self.rng.choice(self.speakers)
            speakers.append(who)
            size = self.rng.choices(sizes, weights=weights)[0]
            for j in range(min(size, n - len(occs))):
                text, type_ = (" ".join(ws), "direct") if j == 0 else self.variant(ws)
                r = self.rng.random()
                speaker = who if r < 0.8 else (None if r < 0.9 else self.rng.choice(self.speakers))
                date = f"2026-03-{self.rng.randint(1, 28):02d}"
                occs.append(Occurrence(len(occs), text, type_, f"a{len(occs)}", date,
                                       f"outlet{self.rng.randint(1, 50)}", speaker, round(self.rng.random(), 2)))
                truth.append(len(speakers) - 1)
        order = list(range(n))
        self.rng.shuffle(order)
        return [occs[i] for i in order], [truth[i] for i in order], speakers


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(groups: list[list[int]], truth: list[int]) -> dict[str, float]:
    """Pairwise precision and recall of ``groups`` (lists of positions) against true quote ids."""
    def pairs(n: int) -> int:
        return n * (n - 1) // 2
    predicted = sum(pairs(len(g)) for g in groups)
    true = sum(pairs(c) for c in Counter(truth).values())
    both = sum(pairs(c) for g in groups for c in Counter(truth[i] for i in g).values())
    return {"precision": both / predicted if predicted else 1.0, "recall": both / true if true else 1.0}


def run_quotegraph(occs: list[Occurrence], truth: list[int], speakers: list[str]) -> dict[str, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    clusters = cluster_quotes(occs)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    position = {o.key: n for n, o in enumerate(occs)}
    groups = [[position[k] for k in c.members] for c in clusters]
    right = sum(1 for c, g in zip(clusters, groups, strict=True) if len(g) > 1
                and c.speaker == speakers[Counter(truth[i] for i in g).most_common(1)[0][0]])
    multi = sum(1 for g in groups if len(g) > 1)
    return {"seconds": seconds, "cpu_seconds": cpu, "clusters": len(clusters), **quality(groups, truth),
            "speaker_accuracy": right / multi if multi else 1.0}


def run_allpairs(occs: list[Occurrence], truth: list[int], speakers: list[str]) -> dict[str, Any]:
    """The naive baseline: every pair aligned by rapidfuzz, matches joined by union-find."""
    from rapidfuzz import fuzz, process

    start, cpu = time.perf_counter(), time.process_time()
    texts = [" ".join(norms(o.text)) for o in occs]
    scores = process.cdist(texts, texts, scorer=fuzz.partial_ratio, score_cutoff=MATCH_SCORE,
                           dtype="uint8", workers=1)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(*scores.nonzero(), strict=True):
        parent[find(int(a))] = find(int(b))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), []).append(i)
    return {"seconds": seconds, "cpu_seconds": cpu, "clusters": len(groups),
            **quality(list(groups.values()), truth)}


SYSTEMS = {"quotegraph": run_quotegraph, "all-pairs": run_allpairs}


def measure(system: str, n: int) -> dict[str, Any]:
    start = time.perf_counter()
    occs, truth, speakers = Corpus().occurrences(n)
    generated = time.perf_counter() - start
    before = rss_mb()
    out = SYSTEMS[system](occs, truth, speakers)
    return {"system": system, "n": n, "generate_seconds": generated, "rss_before_mb": before,
            "peak_rss_mb": peak_rss_mb(), **out}


def child(system: str, n: int) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its stdout is the result as JSON."""
    run = subprocess.run([sys.executable, __file__, "--child", system, "--n", str(n)],
                         capture_output=True, text=True, check=False)
    if run.returncode:
        raise SystemExit(f"{system} at {n} failed:\n{run.stderr}")
    return json.loads(run.stdout)


def report(results: list[dict[str, Any]]) -> str:
    commit = source_commit()
    lines = [f"# Quote clustering: time and memory as the corpus grows, {time.strftime('%Y-%m-%d')}", "",
             (f"Python {platform.python_version()}, datasketch {dist_version('datasketch')}, "
              f"rapidfuzz {dist_version('rapidfuzz')}, numpy {dist_version('numpy')}; "
              f"quotegraph {dist_version('quotegraph')}{f' ({commit})' if commit else ''}."),
             (f"{platform.machine()}, {os.cpu_count()} CPUs shared with other work; one process per row; "
              f"synthetic occurrences (seed {SEED}), generation not timed."), "",
             ("| system | occurrences | seconds | CPU seconds | occurrences/s | x CPU time | x memory "
              "| RSS before (MB) | peak RSS (MB) | clusters | pair precision | pair recall | speaker acc. |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    previous: dict[str, dict[str, Any]] = {}
    for r in results:
        p = previous.get(r["system"])
        used = r["peak_rss_mb"] - r["rss_before_mb"]
        growth = (f"{r['cpu_seconds'] / p['cpu_seconds']:.1f} (n x{r['n'] / p['n']:.0f})" if p else "-")
        mem = f"{used / max(p['peak_rss_mb'] - p['rss_before_mb'], 1):.1f}" if p else "-"
        speaker = f"{100 * r['speaker_accuracy']:.1f}" if "speaker_accuracy" in r else "-"
        lines.append(f"| {r['system']} | {r['n']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} "
                     f"| {r['n'] / r['seconds']:,.0f} | {growth} "
                     f"| {mem} | {r['rss_before_mb']:.0f} | {r['peak_rss_mb']:.0f} | {r['clusters']:,} "
                     f"| {100 * r['precision']:.1f} | {100 * r['recall']:.1f} | {speaker} |")
        previous[r["system"]] = r
    lines += ["", ("x CPU time, x memory: this row's clustering CPU time (which other work on a shared machine "
              "disturbs less than wall time) and memory (peak RSS less RSS before) over the "
              "previous row of the same system, with the size ratio; linear growth gives the size ratio, "
              "all-pairs its square. Pair precision/recall: of the pairs of occurrences put in one cluster, "
              "the share from one true quote; of the pairs from one true quote, the share put in one cluster. "
              "Fragments under a window's eight words join a quote only as an exact run of words that no "
              "other quote contains, which costs recall on purpose; all-pairs joins every matching pair, so a "
              "two-word fragment found inside many quotes chains them all together (its precision). "
              "Speaker acc.: clusters of two or more whose winning speaker is the true one "
              "(occurrences name the true speaker 80% of the time, none 10%, a wrong one 10%).")]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="quotegraph sizes")
    ap.add_argument("--huge", action="store_true", help="also cluster 1,000,000 occurrences")
    ap.add_argument("--baseline-sizes", type=int, nargs="*", default=[500, 1000],
                    help="sizes for the all-pairs baseline and quotegraph beside it (none: skip)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "cluster.md")
    ap.add_argument("--child", choices=list(SYSTEMS), help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.n)))
        return 0
    runs = [("all-pairs", n) for n in args.baseline_sizes] + [("quotegraph", n) for n in args.baseline_sizes]
    runs += [("quotegraph", n) for n in [*args.sizes, *([1_000_000] if args.huge else [])]]
    results = []
    for system, n in runs:
        results.append(child(system, n))
        print(f"{system} {n:,}: {results[-1]['seconds']:.1f} s", file=sys.stderr)
    text = report(results)
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
