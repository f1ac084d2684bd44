"""The query commands over the ingested samples: output, filters, export round trips, one-line errors."""
from __future__ import annotations

import csv
import json

import pytest
from cli_helpers import assert_one_line_error, run

from quotegraph import Corpus
from quotegraph.export import COLUMNS

pytestmark = pytest.mark.slow  # the sample corpus is extracted by the model, once


def as_json(*args: str):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_corpus_cli_help_teaches_each_command():
    main = run("--help").stdout
    for command, words in {"search": ("--speaker", "--outlet", "--since", "--until", "--type", "--limit",
                                      "any English form", "quotegraph quote ID"),
                           "quote": ("ID|WORDS", "timeline", "ALTERED", "word diff", "spelling/punctuation"),
                           "people": ("--top N", "namesakes"),
                           "person": ("Osterby", "aliases"),
                           "stats": ("gender", "unknown"),
                           "export": (*COLUMNS, "parquet", "-o, --output FILE")}.items():
        text = " ".join(run(command, "--help").stdout.split())
        assert any(line.split()[:1] == [command] for line in main.splitlines()), command
        for word in (*words, "--db FILE|URL", "postgresql://"):
            assert word in text, (command, word)
        if command != "export":
            assert "--format [table|json]" in text


def test_corpus_cli_search_groups_occurrences_by_quote(sample_db):
    hits = as_json("search", "back down", "--db", sample_db)
    first = hits[0]
    assert first["speaker"] == "Delia Marchbank" and first["altered"]
    assert first["quotation"].startswith("We will not back down. Our members have kept this service running")
    assert {m["outlet"] for m in first["matches"]} == {"Harbour Gazette", "Coastline Courier", "Skarrow Islander"}
    assert first["occurrences"] >= len(first["matches"])
    table = run("search", "back down", "--db", sample_db).stdout
    assert table.startswith(f"#{first['id']}  Delia Marchbank  · ") and "ALTERED" in table.splitlines()[0]
    assert "matched: 2026-03-02  Harbour Gazette (direct)" in table


@pytest.mark.parametrize(("words", "options", "check"), [
    ("goalkeeper", ("--outlet", "sportsdesk"), lambda hit, m: m["outlet"] == "Sportsdesk Daily"),
    ("goalkeeper", ("--since", "2026-05-21"), lambda hit, m: m["date"] >= "2026-05-21"),
    ("goalkeeper", ("--until", "2026-05-20"), lambda hit, m: m["date"] <= "2026-05-20"),
    # The occurrence's own speaker, or its quote's ("The former called Varholm ..." is Penhallow's).
    ("the", ("--speaker", "penhallow"), lambda hit, m: "Aurelio Penhallow" in (hit["speaker"], m["speaker"])),
    ("the", ("--since", "2026-04", "--until", "2026-04"), lambda hit, m: m["date"].startswith("2026-04")),
    ("the", ("--type", "indirect"), lambda hit, m: m["type"] == "indirect"),
])
def test_corpus_cli_search_filters(sample_db, words, options, check):
    everything = as_json("search", words, "--limit", "100", "--db", sample_db)
    hits = as_json("search", words, *options, "--limit", "100", "--db", sample_db)
    matches = [(hit, m) for hit in hits for m in hit["matches"]]
    assert matches and all(check(hit, m) for hit, m in matches)
    assert len(matches) < sum(len(hit["matches"]) for hit in everything)


def test_corpus_cli_search_limit_and_no_match(sample_db):
    assert len(as_json("search", "the", "--limit", "2", "--db", sample_db)) == 2
    result = run("search", "zeppelin", "--db", sample_db)
    assert result.exit_code == 0 and result.stdout.strip() == "No quote matches."


def test_corpus_cli_quote_shows_timeline_speakers_and_word_diff(sample_db):
    by_words = as_json("quote", "not back down", "--db", sample_db)
    assert by_words == as_json("quote", str(by_words["id"]), "--db", sample_db)
    for occurrence in by_words["occurrences"]:
        assert as_json("quote", str(occurrence["key"]), "--db", sample_db)["id"] == by_words["id"]
    assert by_words["speaker"] == "Delia Marchbank" and by_words["speakers"][0][0] == "Delia Marchbank"
    dates = [o["date"] for o in by_words["occurrences"]]
    assert dates == sorted(dates)
    meridian = next(o for o in by_words["occurrences"] if o["outlet"] == "Meridian Wire")
    assert meridian["variant"] == "altered"
    assert ["changed", "back down", "step back", False] in meridian["changes"]
    table = run("quote", str(by_words["id"]), "--db", sample_db).stdout
    assert table.startswith(f"Quote #{by_words['id']}  · ALTERED")
    assert "Speaker: Delia Marchbank  (vote: Delia Marchbank 100%)" in table
    assert "2026-03-02  Harbour Gazette" in table and "canonical" in table
    variants = table[table.index("Variants"):]
    assert "2026-03-03  Meridian Wire  ALTERED" in variants
    assert "[-have-]" in variants and "{+step+}" in variants
    assert "- changed: 'back down' -> 'step back'" in variants
    assert "- spelling: 'honour' -> 'honor'" in variants


def test_corpus_cli_people_ranks_speakers(sample_db):
    people = as_json("people", "--top", "5", "--db", sample_db)
    assert len(people) == 5
    assert [p["quotes"] for p in people] == sorted((p["quotes"] for p in people), reverse=True)
    names = {p["name"] for p in people}
    assert {"Halina Osterby", "Delia Marchbank", "Ines Varholm"} <= names
    table = run("people", "--top", "5", "--db", sample_db).stdout.splitlines()
    assert table[0].split() == ["name", "kind", "gender", "quotes", "times", "articles"]
    assert len(table) == 6 and table[1].split()[:3] == ["1", "Halina", "Osterby"]


def test_corpus_cli_person_by_full_name_or_surname(sample_db):
    [delia] = as_json("person", "delia MARCHBANK", "--db", sample_db)
    assert delia["aliases"] == [["Delia Marchbank", 4]]
    assert delia["gender"] == "female" and delia["genders"] == [["female", 3]]
    assert ["secretary", 3] in delia["descriptors"]
    assert delia["articles"] == 4 and "Meridian Wire" in delia["outlets"]
    assert any(q["quotation"].startswith("We will not back down") for q in delia["quotes"])
    assert as_json("person", "Marchbank", "--db", sample_db) == [delia]
    table = run("person", "Marchbank", "--db", sample_db).stdout
    assert table.startswith("Delia Marchbank  (person, person #")
    assert "gender:      female  (articles stating it: female (3))" in table
    assert "descriptors: secretary (3)" in table


def test_corpus_cli_stats(sample_db):
    stats = as_json("stats", "--db", sample_db)
    assert (stats["articles"], stats["outlets"]) == (10, 10)
    assert (stats["first_date"], stats["last_date"]) == ("2026-03-02", "2026-05-21")
    assert stats["quotes"] < stats["occurrences"] and stats["quotes_in_several_articles"] >= 5
    assert stats["altered_quotes"] >= 1
    shares = stats["quoted_people_by_gender"]
    assert sum(s["people"] for s in shares.values()) == stats["quoted_people"]
    assert sum(s["share"] for s in shares.values()) == pytest.approx(1.0)
    assert shares["female"]["people"] >= 3
    table = run("stats", "--db", sample_db).stdout
    assert table.startswith(f"{sample_db}: 10 articles from 10 outlets, 2026-03-02 to 2026-05-21")


def test_corpus_cli_export_round_trips(sample_db, tmp_path):
    import pyarrow.parquet as pq

    lines = run("export", "--db", sample_db).stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    with Corpus(sample_db) as corpus:
        assert len(rows) == corpus.counts()["clusters"]
    assert all(list(row) == list(COLUMNS) for row in rows)
    assert sum(row["numOccurrences"] for row in rows) == as_json("stats", "--db", sample_db)["occurrences"]
    shared = next(row for row in rows if row["quotation"] and row["quotation"].startswith("We will not back down"))
    assert shared["speaker"] == "Delia Marchbank" and shared["altered"] and shared["date"] == "2026-03-02"
    assert shared["probas"] == [["Delia Marchbank", 1.0]] and len(shared["articles"]) == 4

    result = run("export", "--format", "csv", "-o", str(tmp_path / "q.csv"), "--db", sample_db)
    assert result.exit_code == 0 and result.stderr == f"Wrote {len(rows)} quotes to {tmp_path / 'q.csv'}.\n"
    with (tmp_path / "q.csv").open(encoding="utf-8", newline="") as file:
        from_csv = list(csv.DictReader(file))
    assert [r["quotation"] for r in from_csv] == [r["quotation"] or "" for r in rows]
    assert [json.loads(r["probas"]) for r in from_csv] == [r["probas"] for r in rows]

    assert run("export", "--format", "parquet", "-o", str(tmp_path / "q.parquet"), "--db", sample_db).exit_code == 0
    table = pq.read_table(tmp_path / "q.parquet")
    assert table.column_names == list(COLUMNS)
    from_parquet = table.to_pylist()
    for row in rows:
        row["probas"] = [{"speaker": s, "proba": p} for s, p in row["probas"]]
    assert from_parquet == rows


@pytest.mark.parametrize(("args", "code"), [
    (("search", "ferry", "--since", "2026-13-01"), "E050"),
    (("search", "ferry", "--until", "last week"), "E050"),
    (("search", "ferry", "--type", "rumour"), "E051"),
    (("search", "ferry", "--limit", "0"), "E057"),
    (("quote", "999999"), "E052"),
    (("quote", "zeppelin airship"), "E053"),
    (("person", "Nobody Atall"), "E054"),
    (("people", "--top", "0"), "E057"),
    (("export", "--format", "parquet"), "E056"),
])
def test_corpus_cli_bad_arguments_are_one_line(sample_db, args, code):
    assert_one_line_error(run(*args, "--db", sample_db), code)
