"""Accuracy of quotegraph and its peers on the dev corpora, graded by quotegraph's scorer.

    python benchmarks/accuracy.py [--data ../shared/data] [--systems quotegraph textacy nothing]

``PEERS`` maps each system to a runner that takes the gold articles and
returns its predictions in the data contract. Each peer is imported inside its
runner, so one that is not installed is skipped with a note
(``pip install -e '.[bench]'`` installs them). The ``nothing`` row predicts no
quote at all: the floor every system must clear. Seconds exclude model
loading: each runner warms up first. The table is printed and written to
``benchmarks/results/accuracy.md``.
"""
from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish import publish

from quotegraph.evaluation import read_gold, score
from quotegraph.evaluation.versions import dist_version, environment
from quotegraph.options import Options

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data"
DEV_FILES = ("ggt-dev.jsonl", "polnear-dev.jsonl")


@dataclass
class Run:
    """One system's output on one corpus: predictions by article id, and how it went."""

    version: str
    predictions: dict[Any, dict[str, Any]] = field(default_factory=dict)
    failed: int = 0
    seconds: float = 0.0


def run_quotegraph(docs: list[dict[str, Any]], options: Options | None = None) -> Run:
    """The whole quotegraph pipeline, one process, default options."""
    from quotegraph import nlp
    from quotegraph.evaluation import predict

    options = options or Options()
    nlp.load(options.model)
    start = time.perf_counter()
    preds = {p["id"]: p for p in predict(docs, jobs=1, options=options)}
    return Run(dist_version("quotegraph"), preds, seconds=time.perf_counter() - start)


def run_quotegraph_attributions(docs: list[dict[str, Any]]) -> Run:
    """quotegraph with ``--attributions``: every PARC attribution relation, as PolNeAR annotates."""
    return run_quotegraph(docs, Options(attributions=True))


@functools.cache
def _full_pipeline(model: str):
    """The spaCy pipeline with every component: textacy reads lemmas, which quotegraph skips."""
    import spacy

    return spacy.load(model)


def _tokens_span(doc, tokens) -> dict[str, Any]:
    """The contract's ``{start, end, text}`` covering a run of tokens."""
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return {"start": start, "end": end, "text": doc.text[start:end]}


def _triple_to_quote(doc, triple) -> dict[str, Any]:
    """A textacy ``DQTriple`` as a contract quote: content without its outer marks, type direct."""
    content = triple.content
    start = content[0].idx + len(content[0]) if content[0].is_quote else content.start_char
    end = content[-1].idx if content[-1].is_quote else content.end_char
    mention = _tokens_span(doc, triple.speaker)
    return {"start": start, "end": end, "spans": [[start, end]], "text": doc.text[start:end], "type": "direct",
            "speaker": "".join(t.text_with_ws for t in triple.speaker).strip(),
            "speaker_mention": mention, "cue": _tokens_span(doc, triple.cue)}


def run_textacy(docs: list[dict[str, Any]]) -> Run:
    """textacy's rule-based ``direct_quotations`` over the same spaCy model.

    textacy refuses a document with an odd number of quote marks (ValueError);
    such a document counts as failed, with no quotes.
    """
    from textacy.extract.triples import direct_quotations

    nlp = _full_pipeline(Options().model)
    run = Run(dist_version("textacy"))
    start = time.perf_counter()
    for gold, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
        try:
            quotes = [_triple_to_quote(doc, t) for t in direct_quotations(doc)]
        except ValueError:
            run.failed += 1
            quotes = []
        run.predictions[gold["id"]] = {"id": gold["id"], "quotes": quotes}
    run.seconds = time.perf_counter() - start
    return run


def run_nothing(docs: list[dict[str, Any]]) -> Run:
    """No quotes for any article: the floor."""
    return Run("-", {d["id"]: {"id": d["id"], "quotes": []} for d in docs})


PEERS: dict[str, Callable[[list[dict[str, Any]]], Run]] = {
    "quotegraph": run_quotegraph,
    "quotegraph-attributions": run_quotegraph_attributions,
    "textacy": run_textacy,
    "nothing": run_nothing,
}

COLUMNS = ("dataset", "system", "version", "overlap P", "overlap R", "overlap F1", "exact F1",
           "end-to-end F1", "speaker acc.", "docs failed", "seconds")


def row(dataset: str, system: str, run: Run, result: dict[str, Any]) -> list[str]:
    """One table row of figures, as the columns name them."""
    o = result["overlap"]
    return [dataset, system, run.version, f"{o['p']:.1f}", f"{o['r']:.1f}", f"{o['f1']:.1f}",
            f"{result['exact']['f1']:.1f}", f"{result['end_to_end']['f1']:.1f}",
            f"{result['speaker_accuracy']:.1f}", str(run.failed), f"{run.seconds:.1f}"]


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the dev files (default: %(default)s)")
    ap.add_argument("--systems", nargs="+", choices=list(PEERS), default=list(PEERS))
    ap.add_argument("--out", type=Path, default=HERE / "results" / "accuracy.md")
    args = ap.parse_args(argv)

    rows, notes = [], []
    for name in DEV_FILES:
        docs = list(read_gold(args.data / name))
        for system in args.systems:
            try:
                run = PEERS[system](docs)
            except ImportError as exc:
                notes.append(f"{system} skipped on {name}: not installed ({exc.name})")
                continue
            result, _ = score(docs, run.predictions)
            rows.append(row(name.removesuffix(".jsonl"), system, run, result))
            print(f"{name} {system}: overlap F1 {result['overlap']['f1']:.1f} in {run.seconds:.1f}s", file=sys.stderr)

    env = environment(Options().model)
    report = [f"# Accuracy on the dev corpora, {env['date']}", "",
              "Python {python}, spaCy {spacy}, model {model}; quotegraph {quotegraph}.".format(**env),
              "Graded by `quotegraph.evaluation.score` (the shared grader's figures); "
              "seconds exclude model loading; one process each.", "", markdown(rows)]
    report += [""] + [f"- {n}" for n in notes] if notes else []
    text = "\n".join(report) + "\n"
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
