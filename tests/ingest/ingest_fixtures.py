"""What the ingest tests build: fictional articles, JSONL and WARC files of them, and a canonical database dump.

Imported by the test modules beside it (pytest puts this folder on the path).
"""
from __future__ import annotations

import gzip
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
# Columns that hold the time something happened: the only ones a re-run may change.
WALL_CLOCK = {("migrations", "applied_at")}

SPEAKERS = ["Elsa Marwood", "Tomas Reilly", "Priya Lindqvist", "Morag Dunlin", "Anders Kettleby",
            "Ruth Okafor", "Declan Fairweather", "Ines Calloway"]
PLACES = ["Skarrow", "Dunmarsh", "Greyfell", "Northvale", "Tidewell"]
PLANS = [("the north pier", "rebuild"), ("the ferry timetable", "restore"), ("the old viaduct", "repair"),
         ("the harbour wall", "strengthen"), ("the night bus", "bring back")]
OUTLETS = ["harbour-gazette", "skarrow-islander", "meridian-wire"]


def fictional_articles(count: int) -> Iterator[dict[str, Any]]:
    """``count`` short news articles, each with a direct quote and reported speech, all made up."""
    for i in range(count):
        speaker, place = SPEAKERS[i % len(SPEAKERS)], PLACES[i % len(PLACES)]
        thing, verb = PLANS[i % len(PLANS)]
        outlet = OUTLETS[i % len(OUTLETS)]
        text = (f"{place} council met on Tuesday to discuss {thing} after {i + 3} weeks of complaints "
                f"from residents.\n\n"
                f"\"We will {verb} {thing} before the summer, whatever it costs,\" said {speaker}, who chairs "
                f"the {place} committee.\n\n"
                f"Critics said the plan came too late. {speaker.split()[0]} added that a full report would be "
                f"published within {i % 6 + 2} months.\n")
        yield {"id": f"story-{i}", "url": f"https://{outlet}.example/news/{place.lower()}-{i}",
               "title": f"{place} to {verb} {thing}", "date": f"2026-03-{i % 28 + 1:02d}",
               "outlet": outlet.replace("-", " ").title(), "text": text}


def write_jsonl(path: Path, records: Iterable[dict[str, Any]], *, compress: bool = False) -> Path:
    data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


def write_warc(path: Path, responses: Iterable[tuple[str, str, int, bytes]]) -> Path:
    """A gzipped WARC of ``(url, content type, status, body)`` responses, each after its request."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for url, kind, status, body in responses:
            request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            headers = StatusAndHeaders(f"{status} {'OK' if status == 200 else 'Other'}",
                                       [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    return path


def canonical_dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a database holds, independent of how and when it was written.

    Every table's rows, sorted, without wall-clock columns; the schema; and for
    each full-text index its content term by term (fts5vocab), after FTS5's own
    integrity check against the indexed tables. The index's storage (segments,
    merge levels) depends on the sizes of past transactions, so it is compared
    through what it holds, not byte by byte.
    """
    db = sqlite3.connect(path)
    try:
        schema = sorted(db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
        indexes = [name for _, name, _, sql in schema if (sql or "").startswith("CREATE VIRTUAL TABLE")]
        out: dict[str, list[tuple[Any, ...]]] = {"schema": schema}
        for kind, table, _, _ in schema:
            if kind != "table" or any(table == i or table.startswith(f"{i}_") for i in indexes):
                continue
            columns = [c for (_, c, *_) in db.execute(f"PRAGMA table_info({table})") if (table, c) not in WALL_CLOCK]
            rows = db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        for index in indexes:
            db.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
            db.execute(f"CREATE VIRTUAL TABLE temp.{index}_terms USING fts5vocab(main, {index}, instance)")
            out[index] = sorted(db.execute(f"SELECT * FROM temp.{index}_terms"), key=repr)
        return out
    finally:
        db.close()
