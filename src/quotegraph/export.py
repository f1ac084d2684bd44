"""A corpus as one row per quote, in the shape a Quotebank user knows: JSONL, CSV or Parquet.

Rows are streamed from the store and written as they come (Parquet in row
groups of ``PARQUET_ROWS``), so exporting a large corpus holds a bounded
number of rows in memory. pyarrow is needed only for Parquet and imported
only then (``pip install 'quotegraph[parquet]'``).
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from typing import IO, Any

from .errors import Messages, QueryError

COLUMNS: dict[str, str] = {
    "quoteID": "the quote's id: its first occurrence's id, which `quotegraph quote ID` shows",
    "quotation": "the canonical text: the fullest faithful occurrence (split pieces joined by ' ... ')",
    "speaker": "the winner of the speaker vote, or null when no occurrence names one",
    "probas": "the vote: [speaker, share] pairs, best first, shares adding up to 1 (Parquet: speaker, proba)",
    "numOccurrences": "how many times the quote occurs in the corpus",
    "date": "the date of its earliest occurrence (YYYY-MM-DD), or null",
    "urls": "the URLs of the articles it occurs in, earliest first (articles stored without one are left out)",
    "articles": "the keys of those articles: the normalised URL, else sha256:<hash of the text>",
    "outlets": "the outlets it occurs in, sorted",
    "type": "the canonical occurrence's type: direct, partial or indirect",
    "altered": "true when some occurrence changes its wording: a misquote",
}
"""The export's columns and what each holds; ``quotegraph export --help`` lists them too."""

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_ROWS = 10_000
# CSV holds the list columns as JSON text.
LISTS = ("probas", "urls", "articles", "outlets")


def write_rows(rows: Iterable[dict[str, Any]], out: IO[Any] | str | Path, *, format: str = "jsonl") -> int:
    """Write ``rows`` (``COLUMNS``, in order) to ``out``, a file name or an open file; RETURNS how many.

    Raises ``QueryError`` for an unknown format (E058) or, for Parquet, a missing pyarrow (E055).
    """
    if format not in FORMATS:
        raise QueryError(Messages.E058.format(value=format, formats=", ".join(FORMATS)))
    with ExitStack() as stack:
        if isinstance(out, str | Path):
            binary = format == "parquet"
            out = stack.enter_context(open(out, "wb") if binary else open(out, "w", encoding="utf-8", newline=""))
        if format == "jsonl":
            return _jsonl(rows, out)
        if format == "csv":
            return _csv(rows, out)
        return _parquet(rows, out)


def _jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if k in LISTS else v for k, v in row.items()})
        n += 1
    return n


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    rest = iter(rows)
    return iter(lambda: list(islice(rest, size)), [])


def parquet_schema() -> Any:
    """The Parquet schema of the export: ``probas`` is a list of (speaker, proba) structs."""
    import pyarrow as pa

    strings = pa.list_(pa.string())
    return pa.schema([
        ("quoteID", pa.int64()), ("quotation", pa.string()), ("speaker", pa.string()),
        ("probas", pa.list_(pa.struct([("speaker", pa.string()), ("proba", pa.float64())]))),
        ("numOccurrences", pa.int64()), ("date", pa.string()), ("urls", strings), ("articles", strings),
        ("outlets", strings), ("type", pa.string()), ("altered", pa.bool_()),
    ])


def _parquet(rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise QueryError(Messages.E055) from exc
    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _batches(rows, PARQUET_ROWS):
            for row in batch:
                row["probas"] = [{"speaker": s, "proba": p} for s, p in row["probas"]]
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
