"""One row per quote as JSONL, CSV and Parquet: the same rows come back from each."""
from __future__ import annotations

import csv
import io
import json

import pytest

from quotegraph.errors import QueryError
from quotegraph.export import COLUMNS, LISTS, write_rows

ROWS = [
    {"quoteID": 3, "quotation": "We will not back down.", "speaker": "Delia Marchbank",
     "probas": [["Delia Marchbank", 0.8], ["Tidewell Ferries", 0.2]], "numOccurrences": 4, "date": "2026-03-02",
     "urls": ["https://harbour-gazette.example/strike"], "articles": ["https://harbour-gazette.example/strike",
                                                                    "sha256:ab12"],
     "outlets": ["Harbour Gazette", "Meridian Wire"], "type": "direct", "altered": True},
    {"quoteID": 8, "quotation": "in full", "speaker": None, "probas": [], "numOccurrences": 1, "date": None,
     "urls": [], "articles": ["sha256:cd34"], "outlets": [], "type": "partial", "altered": False},
]


def test_export_columns_are_the_rows_keys():
    assert all(list(row) == list(COLUMNS) for row in ROWS)
    assert set(LISTS) <= set(COLUMNS)


def test_export_jsonl_round_trip():
    out = io.StringIO()
    assert write_rows(iter(ROWS), out, format="jsonl") == 2
    assert [json.loads(line) for line in out.getvalue().splitlines()] == ROWS


def test_export_csv_round_trip(tmp_path):
    assert write_rows(iter(ROWS), tmp_path / "q.csv", format="csv") == 2
    with (tmp_path / "q.csv").open(encoding="utf-8", newline="") as file:
        back = list(csv.DictReader(file))
    assert [json.loads(r["probas"]) for r in back] == [r["probas"] for r in ROWS]
    assert [r["quoteID"] for r in back] == ["3", "8"] and back[1]["speaker"] == ""


def test_export_parquet_round_trip(tmp_path):
    import pyarrow.parquet as pq

    assert write_rows(iter(json.loads(json.dumps(ROWS))), tmp_path / "q.parquet", format="parquet") == 2
    back = pq.read_table(tmp_path / "q.parquet").to_pylist()
    assert back[0]["probas"] == [{"speaker": "Delia Marchbank", "proba": 0.8},
                                 {"speaker": "Tidewell Ferries", "proba": 0.2}]
    assert [{**r, "probas": [[p["speaker"], p["proba"]] for p in r["probas"]]} for r in back] == ROWS


def test_export_unknown_format_is_refused(tmp_path):
    with pytest.raises(QueryError, match="E058 'xml' is not an export format"):
        write_rows(iter(ROWS), tmp_path / "q.xml", format="xml")
    assert not (tmp_path / "q.xml").exists()
