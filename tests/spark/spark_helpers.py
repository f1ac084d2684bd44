"""What the Spark tests share besides fixtures (imported by test modules of this folder)."""
from __future__ import annotations

from pathlib import Path

from quotegraph.spark.load import dataset_rows


def dataset(folder: str | Path, name: str = "") -> list[dict]:
    """The rows of a Parquet dataset that a Spark job wrote (``folder/name``), in order."""
    return list(dataset_rows(Path(folder) / name))
