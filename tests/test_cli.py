"""The ``quotegraph`` command line.

Most tests swap the engine for a stand-in (``fake_engine``) so that they check
what the CLI itself does (reading, formats, errors) in milliseconds; the ones
marked ``slow`` run the real engine end to end.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotegraph import cli, readers
from quotegraph.errors import Messages, ModelError
from quotegraph.model import ArticleResult, Person, Quote, Span

RESULT_KEYS = {"id", "date", "quotes", "people"}
QUOTE_KEYS = {"start", "end", "spans", "text", "type", "speaker", "speaker_id", "speaker_mention",
              "cue", "channel", "confidence", "evidence"}
PERSON_KEYS = {"id", "name", "gender", "descriptors", "age", "handles", "mentions"}


def run(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli.main, list(args), input=input)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def jsonl(*objects: object) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


def assert_one_line_error(result, code: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {code} "), result.stderr
    assert "Traceback" not in result.output


def fake_quotes(text: str) -> tuple[Quote, ...]:
    """Every straight-quoted stretch, said by "Someone" (enough to exercise the output)."""
    return tuple(
        Quote(start=m.start(1), end=m.end(1), spans=((m.start(1), m.end(1)),), text=m.group(1),
              type="direct", speaker="Someone", speaker_id="p1",
              speaker_mention=Span(0, 2, "He"), cue=Span(3, 7, "said"), confidence=0.9)
        for m in re.finditer(r'"([^"]+)"', text)
    )


@pytest.fixture
def fake_engine(monkeypatch):
    """Replace ``extract_many`` in the CLI; returns the list of calls it received."""
    calls: list[dict] = []

    def extract_many(articles, *, jobs=1, options=None):
        call = {"jobs": jobs, "options": options, "texts": []}
        calls.append(call)
        for article in articles:
            call["texts"].append(article["text"])
            quotes = fake_quotes(article["text"])
            people = (Person(id="p1", name="Someone", mentions=((0, 2),)),) if quotes else ()
            yield ArticleResult(id=None, date=None, quotes=quotes, people=people)

    monkeypatch.setattr(cli, "extract_many", extract_many)
    return calls


# -- help and version ------------------------------------------------------------------

def test_cli_help_lists_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert "extract" in result.stdout and "eval" in result.stdout


@pytest.mark.parametrize("command, words", [
    ("extract", ["--format", "--jobs", "--sample", "--model", "--no-progress", "JSONL", "stdin"]),
    ("eval", ["GOLD.jsonl", "--pred", "--json", "--errors", "--jobs"]),
])
def test_cli_command_help(command, words):
    result = run(command, "--help")
    assert result.exit_code == 0
    for word in words:
        assert word in result.stdout


def test_cli_version_matches_package_metadata():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"quotegraph {metadata.version('quotegraph')}"


def test_cli_console_script_runs():
    out = subprocess.run([Path(sys.executable).with_name("quotegraph"), "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("quotegraph ")


# -- output formats --------------------------------------------------------------------

def test_cli_jsonl_passes_ids_and_dates_through(tmp_path, fake_engine):
    path = write(tmp_path / "c.jsonl", jsonl(
        {"id": "a1", "date": "2020-10-06", "text": 'He said "hello there".'},
        {"text": "No quotes here."},
    ))
    result = run("extract", str(path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert set(first) == RESULT_KEYS
    assert (first["id"], first["date"]) == ("a1", "2020-10-06")
    assert (second["id"], second["date"]) == ("c:2", None)
    [quote] = first["quotes"]
    assert set(quote) == QUOTE_KEYS and quote["text"] == "hello there"
    assert set(first["people"][0]) >= PERSON_KEYS


def test_cli_jsonl_keeps_non_ascii(tmp_path, fake_engine):
    path = write(tmp_path / "a.txt", 'Elle a dit "ça va, Zoë".')
    result = run("extract", str(path), "--format", "jsonl")
    assert '"ça va, Zoë"' in result.stdout


def test_cli_text_file_id_and_date(tmp_path, fake_engine):
    path = write(tmp_path / "story.txt", ' date 2021-05-06 He said "yes".')
    record = json.loads(run("extract", str(path), "--format", "jsonl").stdout)
    assert (record["id"], record["date"]) == ("story", "2021-05-06")


def test_cli_json_is_one_array_of_the_jsonl_objects(tmp_path, fake_engine):
    write(tmp_path / "a.txt", 'He said "one".')
    write(tmp_path / "b.txt", 'He said "two".')
    as_json = json.loads(run("extract", str(tmp_path), "--format", "json").stdout)
    as_jsonl = [json.loads(line) for line in run("extract", str(tmp_path), "--format", "jsonl").stdout.splitlines()]
    assert as_json == as_jsonl and [r["id"] for r in as_json] == ["a", "b"]


def test_cli_table_shows_quotes_as_written(tmp_path, fake_engine):
    long = "word " * 200
    path = write(tmp_path / "t.txt", f' date 2020-10-06 He said "[the firm] will pay". He said "{long}".')
    result = run("extract", str(path))  # table is the default
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "t" in out and "2020-10-06" in out and "Someone" in out
    assert "[the firm] will pay" in " ".join(out.split())
    assert "…" in out and out.count("word") < 200
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal


def test_cli_table_article_without_quotes(tmp_path, fake_engine):
    result = run("extract", str(write(tmp_path / "n.txt", "Nothing quoted.")))
    assert result.exit_code == 0 and "no quotes found" in result.stdout


def test_cli_passes_jobs_and_model(tmp_path, fake_engine):
    path = write(tmp_path / "a.txt", "Text.")
    assert run("extract", str(path), "--jobs", "2", "--model", "en_other", "--format", "jsonl").exit_code == 0
    [call] = fake_engine
    assert call["jobs"] == 2 and call["options"].model == "en_other"


def test_cli_attributions_flag(tmp_path, fake_engine):
    path = write(tmp_path / "a.txt", "Text.")
    run("extract", str(path), "--format", "jsonl")
    run("extract", str(path), "--format", "jsonl", "--attributions")
    assert [call["options"].attributions for call in fake_engine] == [False, True]


def test_cli_model_default_from_environment(tmp_path, fake_engine, monkeypatch):
    monkeypatch.setenv("QUOTEGRAPH_MODEL", "en_from_env")
    run("extract", str(write(tmp_path / "a.txt", "Text.")), "--format", "jsonl")
    assert fake_engine[0]["options"].model == "en_from_env"


# -- inputs ----------------------------------------------------------------------------

def test_cli_folder_input(tmp_path, fake_engine):
    write(tmp_path / "2" / "b.txt", "B.")
    write(tmp_path / "1" / "c.jsonl", jsonl({"id": "c1", "text": "C1."}, {"id": "c2", "text": "C2."}))
    write(tmp_path / "a.txt", "A.")
    result = run("extract", str(tmp_path), "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["c1", "c2", "b", "a"]


def test_cli_several_paths_in_order(tmp_path, fake_engine):
    b = write(tmp_path / "b.txt", "B.")
    a = write(tmp_path / "a.txt", "A.")
    result = run("extract", str(b), str(a), "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["b", "a"]


def test_cli_stdin_text(fake_engine):
    result = run("extract", "-", "--format", "jsonl", input=' date 2020-10-06 He said "hi".')
    record = json.loads(result.stdout)
    assert (record["id"], record["date"], record["quotes"][0]["text"]) == ("stdin", "2020-10-06", "hi")


def test_cli_stdin_jsonl(fake_engine):
    data = jsonl({"id": "x", "text": "X."}, {"text": "Y.", "date": "2020-02-02"})
    result = run("extract", "-", "--format", "jsonl", input=data)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["date"]) for r in records] == [("x", None), ("stdin:2", "2020-02-02")]


def test_cli_sample_reads_bundled_articles(tmp_path, fake_engine, monkeypatch):
    write(tmp_path / "samples" / "one.txt", ' date 2020-10-06 He said "hi".')
    monkeypatch.setattr(readers.resources, "files", lambda package: tmp_path)
    result = run("extract", "--sample", "--format", "jsonl")
    assert json.loads(result.stdout)["id"] == "one"


# -- bad input and errors --------------------------------------------------------------

@pytest.mark.parametrize("data, code", [
    (b"", "E014"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "E013"),
    (b"Caf\xe9 society", "E012"),
])
def test_cli_unreadable_file_alone_is_an_error(tmp_path, fake_engine, data, code):
    assert_one_line_error(run("extract", str(write(tmp_path / "bad.txt", data))), code)
    assert fake_engine == []  # failed before the engine was started


def test_cli_missing_path_is_an_error(tmp_path, fake_engine):
    good = write(tmp_path / "good.txt", "Good.")
    assert_one_line_error(run("extract", str(good), str(tmp_path / "nope.txt")), "E010")


def test_cli_malformed_jsonl_line_is_reported_and_skipped(tmp_path, fake_engine):
    path = write(tmp_path / "c.jsonl", '{"id": "a", "text": "A."}\n{"id": "b", "text": \n{"id": "c", "text": "C."}\n')
    result = run("extract", str(path), "--format", "jsonl")
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c"]
    [warning] = result.stderr.splitlines()
    assert warning.startswith("Warning: E015 ") and "c.jsonl, line 2" in warning and warning.endswith("skipped")


def test_cli_bad_file_in_folder_is_reported_and_skipped(tmp_path, fake_engine):
    write(tmp_path / "a.txt", "A.")
    write(tmp_path / "b.txt", b"\x00\x00\x00")
    result = run("extract", str(tmp_path), "--format", "jsonl")
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    assert result.stderr.startswith("Warning: E013 ")


def test_cli_many_bad_lines_are_counted_not_all_printed(tmp_path, fake_engine):
    path = write(tmp_path / "c.jsonl", "oops\n" * 30 + '{"text": "fine"}\n')
    result = run("extract", str(path), "--format", "jsonl")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    warnings = result.stderr.splitlines()
    assert len(warnings) == cli.MAX_WARNINGS + 1
    assert warnings[-1] == f"Warning: {30 - cli.MAX_WARNINGS} more inputs skipped (30 in all)"


def test_cli_nothing_readable_is_an_error(tmp_path, fake_engine):
    path = write(tmp_path / "c.jsonl", "oops\n")
    result = run("extract", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: E018 no readable article in the input (1 skipped)"


def test_cli_empty_stdin_is_an_error(fake_engine):
    assert_one_line_error(run("extract", "-", input=b""), "E014")


def test_cli_model_error_is_one_line(tmp_path, monkeypatch):
    def extract_many(articles, **kwargs):
        raise ModelError(Messages.E002.format(model="en_missing"))
        yield

    monkeypatch.setattr(cli, "extract_many", extract_many)
    assert_one_line_error(run("extract", str(write(tmp_path / "a.txt", "A."))), "E002")


@pytest.mark.parametrize("args", [[], ["--sample", "x.txt"]])
def test_cli_extract_needs_paths_or_sample(args):
    result = run("extract", *args)
    assert result.exit_code == 2 and "--sample" in result.stderr


def test_cli_bad_option_value():
    result = run("extract", "--jobs", "0", "x.txt")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_cli_missing_file_via_subprocess_has_no_traceback(tmp_path):
    out = subprocess.run([Path(sys.executable).with_name("quotegraph"), "extract", str(tmp_path / "nope.txt")],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [f"Error: E010 {tmp_path / 'nope.txt'}: no such file or folder"]


# -- eval ------------------------------------------------------------------------------

def test_cli_eval_missing_gold_is_an_error(tmp_path):
    assert_one_line_error(run("eval", str(tmp_path / "gold.jsonl")), "E010")


def test_cli_eval_folder_is_an_error(tmp_path):
    assert_one_line_error(run("eval", str(tmp_path)), "E011")


def test_cli_eval_grades_predictions(tmp_path):
    text = 'He said "we will win" on Monday.'
    quote = {"start": 9, "end": 20, "type": "direct", "speaker": "He"}
    gold = write(tmp_path / "gold.jsonl", jsonl({"id": "d1", "text": text, "quotes": [quote]}))
    pred = write(tmp_path / "pred.jsonl", jsonl({"id": "d1", "quotes": [dict(quote, speaker_mention=None, cue=None)]}))
    result = run("eval", str(gold), "--pred", str(pred), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["overlap"]["f1"] == 100.0
    report = run("eval", str(gold), "--pred", str(pred))
    assert report.exit_code == 0 and "overlap" in report.stdout


# -- end to end with the real engine ---------------------------------------------------

def check_contract(record: dict, text: str) -> None:
    assert set(record) >= RESULT_KEYS
    for quote in record["quotes"]:
        assert set(quote) >= QUOTE_KEYS
        assert quote["type"] in ("direct", "partial", "indirect")
        assert 0 <= quote["start"] < quote["end"] <= len(text)
        for start, end in quote["spans"]:
            assert quote["start"] <= start < end <= quote["end"]
    for person in record["people"]:
        assert set(person) >= PERSON_KEYS


@pytest.mark.slow
def test_cli_sample_end_to_end():
    texts = {r["id"]: r["text"] for r in readers.read_samples()}
    result = run("extract", "--sample", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == list(texts)
    for record in records:
        check_contract(record, texts[record["id"]])
    assert any(record["quotes"] for record in records)


@pytest.mark.slow
def test_cli_sample_table_end_to_end():
    result = run("extract", "--sample")
    assert result.exit_code == 0, result.output
    assert "quotes" in result.stdout


@pytest.mark.slow
def test_cli_seed_article_end_to_end(shared_dir):
    path = shared_dir / "examples" / "seed-article.txt"
    result = run("extract", str(path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "seed-article" and record["date"] == "2020-10-06"
    check_contract(record, path.read_text(encoding="utf-8"))
    assert record["quotes"]


@pytest.mark.slow
def test_cli_attributions_end_to_end(tmp_path):
    path = write(tmp_path / "a.txt", "Mayor Ilse Varga declined to comment on the ferry strike.")
    speech = json.loads(run("extract", str(path), "--format", "jsonl").stdout)
    every = json.loads(run("extract", str(path), "--format", "jsonl", "--attributions").stdout)
    assert speech["quotes"] == []
    assert [(q["text"], q["speaker"]) for q in every["quotes"]] == [("to comment on the ferry strike", "Ilse Varga")]


@pytest.mark.slow
def test_cli_jobs_do_not_change_results():
    one = run("extract", "--sample", "--format", "jsonl")
    two = run("extract", "--sample", "--format", "jsonl", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
