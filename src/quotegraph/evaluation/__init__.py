"""Evaluation: score quotes and speakers against annotated corpora, and gate accuracy.

``evaluate`` runs the engine over a gold JSONL file (or reads a prediction
file) and grades it with ``score``, which reproduces the shared grader's
figures; ``format_report`` prints them the grader's way. ``gate`` holds the
pinned accuracy floors.
"""
from .datasets import read_gold, read_predictions, sha256_file
from .runner import evaluate, predict
from .score import Error, format_report, score

__all__ = ["Error", "evaluate", "format_report", "predict", "read_gold", "read_predictions",
           "score", "sha256_file"]
