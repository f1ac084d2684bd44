"""Turn what a user points quotegraph at into article records, one at a time.

A record is a dict with ``id`` and ``text`` and, when known, ``date``; a JSONL
line keeps its other keys too. The text is kept exactly as given (decoded as
UTF-8, line breaks, a byte-order mark and any ``date`` header untouched),
because every offset in a result points into it.

Records are streamed: JSONL is read line by line, so a corpus of any size costs
the memory of one article.

Bad input becomes an ``InputError``. Whether it stops the run depends on what
the user asked for:

- a path that does not exist stops it (most likely a typo), before any work;
- a file, folder or stdin given alone that cannot be read stops it;
- in a batch (several paths, the files in a folder, the lines of a JSONL) the
  bad item goes to ``on_skip`` and reading goes on;
- input that yields no article at all stops it.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError, Messages
from .pipeline import parse_date_header

Record = dict[str, Any]
OnSkip = Callable[[InputError], None]

STDIN = "-"
ARTICLE_SUFFIXES = (".txt", ".jsonl")
BOM = b"\xef\xbb\xbf"
# How much of a JSONL file is checked for NUL bytes before it is read as text.
SNIFF_BYTES = 8192
JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number",
              float: "a number", bool: "a boolean", type(None): "null"}


def _raise(error: InputError) -> None:
    raise error


def check_paths(paths: Iterable[str]) -> None:
    """Raise ``InputError`` (E010) for the first path that does not exist; ``-`` is stdin."""
    for path in paths:
        if path != STDIN and not Path(path).exists():
            raise InputError(Messages.E010.format(where=path))


def read_inputs(paths: Sequence[str], *, stdin: BinaryIO | None = None,
                on_skip: OnSkip = _raise) -> Iterator[Record]:
    """Yield the articles of text files, folders, JSONL files and ``-`` (stdin), in order.

    paths (list of str): what the user named; every path is checked before anything is read.
    stdin (BinaryIO): the byte stream that ``-`` reads; None when there is none.
    on_skip (callable): receives the ``InputError`` of each bad item of a batch; the default raises.
    RETURNS (iterator of dict): records ``{"id", "text", "date"?, ...}``.
    """
    check_paths(paths)
    skipped = 0

    def skip(error: InputError) -> None:
        nonlocal skipped
        skipped += 1
        on_skip(error)

    # A source given alone is the whole job: failing to read it is an error, not a warning.
    source_skip = _raise if len(paths) == 1 else skip
    found = 0
    for path in paths:
        for record in _read_source(path, stdin, source_skip, skip):
            found += 1
            yield record
    if not found:
        raise InputError(Messages.E018.format(skipped=skipped))


def _read_source(path: str, stdin: BinaryIO | None, source_skip: OnSkip,
                 item_skip: OnSkip) -> Iterator[Record]:
    if path == STDIN:
        if stdin is None:
            raise InputError(Messages.E011.format(where="stdin", reason="no standard input"))
        yield from _guarded(read_stream(stdin, on_skip=item_skip), source_skip)
        return
    folder = Path(path)
    if not folder.is_dir():
        yield from _guarded(_read_file(folder, on_skip=item_skip), source_skip)
        return
    files = article_files(folder)
    if not files:
        source_skip(InputError(Messages.E017.format(where=folder)))
    for file in files:
        yield from _guarded(_read_file(file, on_skip=item_skip), item_skip)


def _guarded(records: Iterator[Record], on_skip: OnSkip) -> Iterator[Record]:
    """Yield ``records``; an ``InputError`` ends them and goes to ``on_skip``."""
    try:
        yield from records
    except InputError as error:
        on_skip(error)


def _read_file(path: Path, *, on_skip: OnSkip) -> Iterator[Record]:
    if path.suffix == ".jsonl":
        yield from read_jsonl_file(path, on_skip=on_skip)
    else:
        yield read_text_file(path)


def article_files(folder: Path) -> list[Path]:
    """The ``*.txt`` and ``*.jsonl`` files under ``folder`` at any depth, sorted; hidden ones left out."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if (path.suffix in ARTICLE_SUFFIXES and path.is_file()
                and not any(part.startswith(".") for part in relative.parts)):
            found.append(relative)
    return [folder / relative for relative in sorted(found, key=lambda r: r.parts)]


def read_text_file(path: Path) -> Record:
    """Read one article: the whole file is the text. Its id is the file name without suffix."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Messages.E011.format(where=path, reason=exc.strerror or exc)) from exc
    return text_record(data, where=str(path), id=path.stem)


def text_record(data: bytes, *, where: str, id: str) -> Record:
    """Decode one article's bytes into a record, its ``date`` taken from a ``date`` header if any.

    Raises ``InputError`` for NUL bytes (a binary or UTF-16 file), invalid UTF-8, or no text.
    """
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(Messages.E013.format(where=where, pos=nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Messages.E012.format(where=where, detail=f"byte {exc.start}")) from exc
    if not text.strip():
        raise InputError(Messages.E014.format(where=where))
    record: Record = {"id": id, "text": text}
    date, _ = parse_date_header(text.removeprefix("\ufeff"))
    if date:
        record["date"] = date
    return record


def read_jsonl_file(path: Path, *, on_skip: OnSkip = _raise) -> Iterator[Record]:
    """Stream the articles of a JSONL file; a line without a record goes to ``on_skip``.

    Raises ``InputError`` when the file as a whole cannot be read, looks binary, or holds no line.
    """
    try:
        file = path.open("rb")
    except OSError as exc:
        raise InputError(Messages.E011.format(where=path, reason=exc.strerror or exc)) from exc
    with file:
        nul = file.peek(SNIFF_BYTES)[:SNIFF_BYTES].find(b"\0")
        if nul >= 0:
            raise InputError(Messages.E013.format(where=path, pos=nul))
        yield from read_jsonl(file, where=str(path), stem=path.stem, on_skip=on_skip)


def read_jsonl(lines: Iterable[bytes], *, where: str, stem: str,
               on_skip: OnSkip = _raise) -> Iterator[Record]:
    """Yield a record for each non-blank line; a line missing an ``id`` gets ``"<stem>:<line>"``."""
    seen = False
    for number, raw in enumerate(lines, 1):
        if number == 1:
            raw = raw.removeprefix(BOM)
        if not raw.strip():
            continue
        seen = True
        try:
            record = _jsonl_record(raw, where=f"{where}, line {number}")
        except InputError as error:
            on_skip(error)
            continue
        if record.get("id") is None:
            record["id"] = f"{stem}:{number}"
        yield record
    if not seen:
        raise InputError(Messages.E014.format(where=where))


def _jsonl_record(raw: bytes, *, where: str) -> Record:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(Messages.E012.format(where=where, detail=f"byte {exc.start}")) from exc
    except json.JSONDecodeError as exc:
        raise InputError(Messages.E015.format(where=where, reason=f"{exc.msg} at column {exc.colno}")) from exc
    except RecursionError as exc:
        raise InputError(Messages.E015.format(where=where, reason="nested too deeply")) from exc
    if not isinstance(obj, dict):
        raise InputError(Messages.E016.format(where=where, got=JSON_TYPES.get(type(obj), "something else")))
    text = obj.get("text")
    if not isinstance(text, str):
        got = 'no "text"' if "text" not in obj else f'"text" as {JSON_TYPES.get(type(text), "something else")}'
        raise InputError(Messages.E016.format(where=where, got=got))
    try:
        # JSON escapes can smuggle in lone surrogates, which no output can encode.
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(Messages.E012.format(
            where=where, detail=f"unpaired surrogate in \"text\" at character {exc.start}")) from exc
    return obj


def read_stream(stream: BinaryIO, *, name: str = "stdin", on_skip: OnSkip = _raise) -> Iterator[Record]:
    """Read a byte stream as JSONL when its first non-blank line starts with ``{``, else as one article.

    Deciding on the first line keeps JSONL streamed; an article never starts with ``{``.
    """
    head: list[bytes] = []
    for line in stream:
        head.append(line)
        if line.removeprefix(BOM).strip():
            break
    rest = iter(stream)
    if head and head[-1].removeprefix(BOM).lstrip().startswith(b"{"):
        yield from read_jsonl(chain(head, rest), where=name, stem=name, on_skip=on_skip)
    else:
        yield text_record(b"".join(chain(head, rest)), where=name, id=name)


def read_samples() -> Iterator[Record]:
    """Yield the sample articles shipped in ``quotegraph/samples/*.txt``, in name order."""
    folder = resources.files("quotegraph").joinpath("samples")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".txt")),
                     key=lambda e: e.name) if folder.is_dir() else []
    if not entries:
        raise InputError(Messages.E019.format(where=folder))
    for entry in entries:
        yield text_record(entry.read_bytes(), where=f"sample {entry.name}", id=entry.name[:-4])
