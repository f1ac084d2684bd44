"""Reading articles from files, folders, JSONL and stdin (no model needed)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from quotegraph import readers
from quotegraph.errors import InputError


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def jsonl(*objects: object) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


def read_all(paths, **kwargs):
    return list(readers.read_inputs([str(p) for p in paths], **kwargs))


def collect(errors: list[str]):
    return lambda error: errors.append(str(error))


# -- text files ------------------------------------------------------------------------

def test_readers_text_file_keeps_the_whole_content(tmp_path):
    content = "\ufeff date 2020-10-06 She said: \u201cYes.\u201d\r\nNext paragraph.\r\n"
    path = write(tmp_path / "beckinsale.txt", content)
    [record] = read_all([path])
    # BOM, CRLF and header untouched: offsets point into the file as decoded.
    assert record == {"id": "beckinsale", "text": content, "date": "2020-10-06"}


def test_readers_text_file_date_from_header(tmp_path):
    [record] = read_all([write(tmp_path / "a.txt", " date 2021-03-04 Text.")])
    assert record == {"id": "a", "text": " date 2021-03-04 Text.", "date": "2021-03-04"}


def test_readers_text_file_without_header_has_no_date(tmp_path):
    [record] = read_all([write(tmp_path / "a.txt", "Just text.")])
    assert record == {"id": "a", "text": "Just text."}


@pytest.mark.parametrize("data, code", [
    (b"", "E014"),
    (b"  \n\t\n", "E014"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E013"),
    ("UTF-16 text".encode("utf-16"), "E013"),
    (b"caf\xe9 au lait", "E012"),
])
def test_readers_unreadable_file_alone_raises(tmp_path, data, code):
    path = write(tmp_path / "bad.txt", data)
    with pytest.raises(InputError, match=code) as info:
        read_all([path])
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_readers_invalid_utf8_names_the_byte(tmp_path):
    path = write(tmp_path / "bad.txt", b"caf\xe9")
    with pytest.raises(InputError, match=r"byte 3"):
        read_all([path])


def test_readers_missing_path_raises_before_reading(tmp_path):
    good = write(tmp_path / "good.txt", "Text.")
    records = readers.read_inputs([str(good), str(tmp_path / "missing.txt")])
    with pytest.raises(InputError, match="E010 .*missing.txt: no such file"):
        next(records)


# -- JSONL -----------------------------------------------------------------------------

def test_readers_jsonl_passes_id_date_and_other_keys(tmp_path):
    path = write(tmp_path / "corpus.jsonl", jsonl(
        {"id": "x1", "date": "2020-01-02", "text": "One.", "url": "u"},
        {"text": "Two."},
        {"id": 7, "text": "Three."},
    ))
    records = read_all([path])
    assert records == [
        {"id": "x1", "date": "2020-01-02", "text": "One.", "url": "u"},
        {"id": "corpus:2", "text": "Two."},
        {"id": 7, "text": "Three."},
    ]


def test_readers_jsonl_line_numbers_count_blank_lines_and_bom(tmp_path):
    path = write(tmp_path / "c.jsonl", b"\xef\xbb\xbf" + b'{"text": "a"}\n\n  \n{"text": "b"}\n')
    assert [r["id"] for r in read_all([path])] == ["c:1", "c:4"]


def test_readers_jsonl_bad_lines_are_reported_and_skipped(tmp_path):
    lines = [
        b'{"id": "ok1", "text": "Fine."}',
        b'{"id": "broken", "text": "no closing brace"',
        b"[1, 2]",
        b'{"id": "no-text"}',
        b'{"text": null}',
        b'{"text": "caf\xe9"}',
        b'{"text": "\\ud800 lone surrogate"}',
        b"[" * 100_000,
        b'{"id": "ok2", "text": "Also fine."}',
    ]
    path = write(tmp_path / "c.jsonl", b"\n".join(lines) + b"\n")
    errors: list[str] = []
    records = read_all([path], on_skip=collect(errors))
    assert [r["id"] for r in records] == ["ok1", "ok2"]
    assert [e[:4] for e in errors] == ["E015", "E016", "E016", "E016", "E012", "E012", "E015"]
    assert "c.jsonl, line 2" in errors[0]
    assert "an array" in errors[1]
    assert 'no "text"' in errors[2]
    assert '"text" as null' in errors[3]
    assert "line 8" in errors[6] and "nested too deeply" in errors[6]


def test_readers_jsonl_bad_line_raises_by_default(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"text": "a"}\nnot json\n')
    records = readers.read_inputs([str(path)])
    assert next(records)["text"] == "a"
    with pytest.raises(InputError, match="E015 .*line 2"):
        next(records)


def test_readers_jsonl_with_no_good_line_raises(tmp_path):
    path = write(tmp_path / "c.jsonl", "oops\nnope\n")
    errors: list[str] = []
    with pytest.raises(InputError, match=r"E018 .*\(2 skipped\)"):
        read_all([path], on_skip=collect(errors))
    assert len(errors) == 2


@pytest.mark.parametrize("data, code", [(b"", "E014"), (b"\n\n", "E014"), (b"\x00\x01{}", "E013")])
def test_readers_unreadable_jsonl_alone_raises(tmp_path, data, code):
    with pytest.raises(InputError, match=code):
        read_all([write(tmp_path / "c.jsonl", data)], on_skip=collect([]))


def test_readers_jsonl_is_streamed():
    def lines():
        yield b'{"text": "first"}\n'
        raise AssertionError("read past the first record")

    records = readers.read_jsonl(lines(), where="s", stem="s")
    assert next(records) == {"id": "s:1", "text": "first"}


# -- folders and batches ---------------------------------------------------------------

def test_readers_folder_is_recursive_sorted_and_skips_others(tmp_path):
    write(tmp_path / "b.txt", "B.")
    write(tmp_path / "a" / "z.txt", "AZ.")
    write(tmp_path / "a" / "y.jsonl", jsonl({"id": "y1", "text": "Y1."}))
    write(tmp_path / "notes.md", "not an article")
    write(tmp_path / ".hidden" / "h.txt", "hidden")
    write(tmp_path / ".h.txt", "hidden")
    assert [r["id"] for r in read_all([tmp_path])] == ["y1", "z", "b"]


def test_readers_folder_bad_file_is_reported_and_skipped(tmp_path):
    write(tmp_path / "a.txt", "A.")
    write(tmp_path / "b.txt", b"")
    write(tmp_path / "c.txt", b"\x00\x00")
    write(tmp_path / "d.txt", "D.")
    errors: list[str] = []
    assert [r["id"] for r in read_all([tmp_path], on_skip=collect(errors))] == ["a", "d"]
    assert [e[:4] for e in errors] == ["E014", "E013"]


def test_readers_empty_folder_alone_raises(tmp_path):
    write(tmp_path / "readme.md", "no articles here")
    with pytest.raises(InputError, match="E017"):
        read_all([tmp_path], on_skip=collect([]))


def test_readers_batch_skips_unreadable_sources(tmp_path):
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    good = write(tmp_path / "good.txt", "Good.")
    bad = write(tmp_path / "bad.txt", b"")
    errors: list[str] = []
    records = read_all([empty_dir, bad, good], on_skip=collect(errors))
    assert [r["id"] for r in records] == ["good"]
    assert [e[:4] for e in errors] == ["E017", "E014"]


# -- stdin -----------------------------------------------------------------------------

def stdin_records(data: bytes, **kwargs):
    return list(readers.read_inputs(["-"], stdin=io.BytesIO(data), **kwargs))


def test_readers_stdin_text_is_one_article():
    text = " date 2020-10-06 He said \"hi\".\n\nMore text.\n"
    assert stdin_records(text.encode()) == [{"id": "stdin", "text": text, "date": "2020-10-06"}]


def test_readers_stdin_jsonl():
    data = ("\n" + jsonl({"id": "a", "text": "A."}, {"text": "B.", "date": "2020-01-01"})).encode()
    assert stdin_records(data) == [
        {"id": "a", "text": "A."},
        {"id": "stdin:3", "text": "B.", "date": "2020-01-01"},
    ]


def test_readers_stdin_jsonl_bad_line_skipped():
    errors: list[str] = []
    records = stdin_records(b'{"text": "A."}\n{oops\n{"text": "C."}\n', on_skip=collect(errors))
    assert [r["text"] for r in records] == ["A.", "C."]
    assert errors and errors[0].startswith("E015 stdin, line 2")


@pytest.mark.parametrize("data, code", [(b"", "E014"), (b"\n \n", "E014"), (b"ab\x00", "E013")])
def test_readers_unreadable_stdin_raises(data, code):
    with pytest.raises(InputError, match=f"{code} stdin"):
        stdin_records(data, on_skip=collect([]))


# -- bundled samples -------------------------------------------------------------------

def test_readers_samples_in_name_order(tmp_path, monkeypatch):
    write(tmp_path / "samples" / "b.txt", " date 2020-01-02 B.")
    write(tmp_path / "samples" / "a.txt", "A.")
    write(tmp_path / "samples" / "__init__.py", "")
    monkeypatch.setattr(readers.resources, "files", lambda package: tmp_path)
    assert list(readers.read_samples()) == [
        {"id": "a", "text": "A."},
        {"id": "b", "text": " date 2020-01-02 B.", "date": "2020-01-02"},
    ]


def test_readers_no_samples_raises(tmp_path, monkeypatch):
    monkeypatch.setattr(readers.resources, "files", lambda package: tmp_path)
    with pytest.raises(InputError, match="E019"):
        list(readers.read_samples())


def test_readers_stdin_absent_raises():
    with pytest.raises(InputError, match="E011 stdin: cannot be read"):
        list(readers.read_inputs(["-"], stdin=None))
