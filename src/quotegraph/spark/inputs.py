"""What the Spark job reads: the articles under any path Spark reads (local, HDFS, S3), in input order.

Files are listed through Hadoop's file system API, so ``hdfs://`` and
``s3a://`` paths list as local ones do, and sorted by path, as a local ingest
sorts a folder. Parquet files are read by Spark itself (split by row group,
so one large file still spreads over the cluster); every other file, JSONL,
gzipped JSONL, text, HTML or a WARC crawl, is read whole by one task with the
readers a local ingest uses (``quotegraph.ingest.sources.FORMATS``), so the
two paths read the same records with the same ids and skip the same bad
lines. A file is held in memory while it is read: cut very large JSONL into
shards, or give Parquet.

Each record comes with its *ordinal*, (file number, record number), which
orders the records as a local ingest reads them; Parquet rows follow the
other files, in Spark's order.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Messages
from ..ingest.sources import FORMATS
from ..readers import Record, check_paths, text_record

if TYPE_CHECKING:
    from pyspark import RDD, Accumulator
    from pyspark.sql import SparkSession

logger = logging.getLogger(__name__)

PARQUET = ".parquet"
# Record fields a Parquet file may give; only ``text`` is required.
PARQUET_FIELDS = ("id", "text", "url", "title", "date", "outlet")
Ordinal = tuple[int, int]


def _ending(name: str) -> str | None:
    """The format ending of a file name (longest first: ``.warc.gz`` before ``.gz``), or None."""
    return next((e for e in sorted((*FORMATS, PARQUET), key=len, reverse=True) if name.endswith(e)), None)


def _hidden(path: str, root: str) -> bool:
    """Hidden files and Spark's own markers (``_SUCCESS``, ``.crc``) under a folder are not input."""
    relative = path[len(root):].lstrip("/")
    return any(part.startswith((".", "_")) for part in PurePosixPath(relative).parts)


def list_files(spark: SparkSession, paths: Sequence[str]) -> list[str]:
    """Every input file under ``paths``, sorted: a folder gives its files of a known format, at any depth.

    Raises ``InputError`` when a path does not exist (E010) or a folder holds no input (E017).
    """
    check_paths([p for p in paths if "://" not in p])  # a typo in a local path fails before Spark lists anything
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    found: list[str] = []
    for path in paths:
        target = jvm.org.apache.hadoop.fs.Path(path)
        fs = target.getFileSystem(conf)
        if not fs.exists(target):
            raise InputError(Messages.E010.format(where=path))
        root = fs.makeQualified(target).toString()
        if fs.getFileStatus(target).isFile():
            found.append(root)
            continue
        listed = fs.listFiles(target, True)
        files = []
        while listed.hasNext():
            name = listed.next().getPath().toString()
            if _ending(name) and not _hidden(name, root):
                files.append(name)
        if not files:
            patterns = " or ".join(f"*{e}" for e in sorted((*FORMATS, PARQUET)))
            raise InputError(Messages.E017.format(where=path, patterns=patterns))
        found += sorted(files)
    return sorted(dict.fromkeys(found))


def _read_file(number: int, path: str, data: bytes, skipped: Accumulator) -> Iterator[tuple[Ordinal, Record]]:
    """The records of one file, read as a local ingest reads it; what cannot be read is logged and counted."""
    def skip(error: InputError) -> None:
        skipped.add(1)
        logger.warning("%s; skipped", error)

    name = PurePosixPath(path).name
    ending = _ending(name)
    try:
        if ending is None:  # a file named alone, of no known format, is one text article
            yield (number, 0), text_record(data, where=path, id=PurePosixPath(name).stem)
            return
        file = io.BufferedReader(io.BytesIO(data))  # the JSONL reader peeks
        for position, record in enumerate(FORMATS[ending](file, path, name[:-len(ending)], skip)):
            yield (number, position), record
    except InputError as error:
        skip(error)


def _parquet_record(row: Any) -> Record | None:
    record = {name: row[name] for name in PARQUET_FIELDS if name in row and row[name] is not None}
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        return None
    if "date" in record:
        record["date"] = str(record["date"])  # a Parquet date or timestamp column
    return record


def records(spark: SparkSession, paths: Sequence[str], skipped: Accumulator) -> RDD:
    """The article records under ``paths`` with their ordinals: an RDD of ``(Ordinal, Record)``.

    skipped: counts the files, lines and rows that could not be read (each is logged by its worker).
    """
    files = list_files(spark, paths)
    sc = spark.sparkContext
    parquet = [f for f in files if f.endswith(PARQUET)]
    others = [f for f in files if not f.endswith(PARQUET)]
    parts: list[RDD] = []
    if others:
        numbers = {path: n for n, path in enumerate(others)}
        raw = sc.binaryFiles(",".join(others), minPartitions=min(len(others), sc.defaultParallelism))
        parts.append(raw.flatMap(lambda item: _read_file(numbers[item[0]], item[0], item[1], skipped)))
    if parquet:
        rows = spark.read.parquet(*parquet)
        wanted = [c for c in rows.columns if c in PARQUET_FIELDS]
        if "text" not in wanted:
            raise InputError(Messages.E016.format(where=parquet[0], got='no "text" column'))

        def parquet_records(item: tuple[Any, int]) -> list[tuple[Ordinal, Record]]:
            record = _parquet_record(item[0].asDict())
            if record is None:
                skipped.add(1)
                return []
            return [((len(others), item[1]), record)]

        parts.append(rows.select(*wanted).rdd.zipWithIndex().flatMap(parquet_records))
    return sc.union(parts) if len(parts) > 1 else parts[0]
