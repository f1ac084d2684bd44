"""The engine's output on the dev corpora, computed at most once per test session.

polnear-dev alone is ~2.8M characters, so the slow tests share one run per file.
The corpora come from ``shared_dir`` (tests/conftest.py), which skips when absent.
"""
from __future__ import annotations

import functools

import pytest

from quotegraph.evaluation import predict, read_gold
from quotegraph.evaluation.gate import run_of
from quotegraph.options import Options


@pytest.fixture(scope="session")
def engine_predictions(shared_dir):
    """``name -> (result dict, ...)``: quotegraph's output for a gate run (a dev file, or a dev
    file under a profile such as ``polnear-dev.jsonl --attributions``), two processes."""

    @functools.cache
    def run(name: str) -> tuple[dict, ...]:
        file, settings = run_of(name)
        return tuple(predict(read_gold(shared_dir / "data" / file), jobs=2, options=Options(**settings)))

    return run
