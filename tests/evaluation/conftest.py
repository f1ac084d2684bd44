"""The engine's output on the dev corpora, computed at most once per test session.

polnear-dev alone is ~2.8M characters, so the slow tests share one run per file.
The corpora come from ``shared_dir`` (tests/conftest.py), which skips when absent.
"""
from __future__ import annotations

import functools

import pytest

from quotegraph.evaluation import predict, read_gold


@pytest.fixture(scope="session")
def engine_predictions(shared_dir):
    """``name -> (result dict, ...)``: quotegraph's output on a dev file, two processes."""

    @functools.cache
    def run(name: str) -> tuple[dict, ...]:
        return tuple(predict(read_gold(shared_dir / "data" / name), jobs=2))

    return run
