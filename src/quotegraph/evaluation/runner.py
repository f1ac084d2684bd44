"""Run the engine over a gold corpus and score it: what ``quotegraph eval`` and the gate call."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..options import Options
from ..pipeline import extract_many
from .datasets import read_gold, read_predictions
from .score import Error, Tally, score


def predict(gold_docs: Iterable[Mapping[str, Any]], *, jobs: int = 1,
            options: Options | None = None) -> Iterator[dict[str, Any]]:
    """Yield ``quotegraph.extract_many``'s result dicts for the gold texts, in order.

    Each article's ``id`` and ``date`` are passed through, as a user's JSONL would pass them.
    """
    articles = ({"text": d["text"], "id": d["id"], "date": d.get("date")} for d in gold_docs)
    for result in extract_many(articles, jobs=jobs, options=options):
        yield result.to_dict()


def evaluate(gold_path: str | Path, *, pred_path: str | Path | None = None, jobs: int = 1,
             options: Options | None = None, n_errors: int = 0) -> tuple[dict[str, Any], list[Error]]:
    """Score the engine (or a prediction file) on a gold JSONL corpus.

    gold_path: gold articles (``read_gold`` checks them).
    pred_path: predictions to grade, one article a line matched by ``id``; when
        None the engine runs over the gold texts with ``jobs`` and ``options``.
    n_errors (int): how many errors to return.
    RETURNS (tuple): the figures (dict, see ``score.score``) and the errors.
    """
    if pred_path is not None:
        return score(read_gold(gold_path), read_predictions(pred_path), n_errors)
    # Two passes over the file: the engine reads ahead, so gold is re-read
    # alongside its results instead of being held in memory.
    tally = Tally(n_errors)
    engine = predict(read_gold(gold_path), jobs=jobs, options=options)
    for doc, pred in zip(read_gold(gold_path), engine, strict=True):
        tally.add(doc, pred)
    return tally.result(), tally.errors
