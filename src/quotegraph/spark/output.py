"""Where the Spark jobs write: an OUTPUT folder (any path Spark writes) of Parquet datasets.

Each dataset is written sorted by its first column (an article's number, a
quote's key or id), so its part files, read in name order, give the rows in
order: ``quotegraph load`` streams them that way.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError, Messages

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession


def dataset(output: str, name: str) -> str:
    return f"{output.rstrip('/')}/{name}"


def prepare(spark: SparkSession, output: str, *, overwrite: bool) -> None:
    """Make way for ``output``: an error (E083) when it exists, unless ``overwrite``, which removes it."""
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(output)
    fs = target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if fs.exists(target):
        if not overwrite:
            raise InputError(Messages.E083.format(where=output))
        fs.delete(target, True)


def write(spark: SparkSession, rows: RDD, schema: str, path: str) -> None:
    """Write ``rows`` (tuples in the order of ``schema``, a DDL string) as a Parquet dataset at ``path``, sorted."""
    frame = spark.createDataFrame(rows, schema=schema)
    frame.orderBy(frame.columns[0]).write.parquet(path)
