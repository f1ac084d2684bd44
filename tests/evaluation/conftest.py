"""Fixtures of the evaluation tests: the dev corpora and the engine's output on them.

The dev corpora stay outside the repo, in ``../shared/data`` (see its README);
tests that need them skip when it is absent. The engine runs over each dev file
at most once per session, since polnear-dev alone is ~2.8M characters.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from quotegraph.evaluation import predict, read_gold

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs the spaCy engine over a dev corpus")


@pytest.fixture(scope="session")
def shared():
    """``../shared`` next to the repo: the dev corpora and the shared grader."""
    if not (SHARED / "data").is_dir() or not (SHARED / "tools" / "score.py").is_file():
        pytest.skip(f"{SHARED} is absent: the dev corpora and the shared grader live outside the repo")
    return SHARED


@pytest.fixture(scope="session")
def engine_predictions(shared):
    """``name -> [result dict]``: quotegraph's output on a dev file, computed once per session."""

    @functools.cache
    def run(name: str) -> tuple[dict, ...]:
        return tuple(predict(read_gold(shared / "data" / name), jobs=2))

    return run
