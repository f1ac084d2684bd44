"""Turn what a user points quotegraph at into article records, one at a time.

A record is a dict with ``id`` and ``text`` and, when known, ``date``; a JSONL
line keeps its other keys too. The text is kept exactly as given (decoded as
UTF-8, line breaks, a byte-order mark and any ``date`` header untouched),
because every offset in a result points into it.

Records are streamed: JSONL is read line by line, so a corpus of any size costs
the memory of one article.

Which files are read, and how, is a table of file-name endings: ``FORMATS``
(``*.txt``, ``*.jsonl``) is what ``quotegraph extract`` reads, and
``quotegraph.ingest.sources.FORMATS`` adds gzipped JSONL, HTML and WARC.

Bad input becomes an ``InputError``. Whether it stops the run depends on what
the user asked for:

- a path that does not exist stops it (most likely a typo), before any work;
- a file, folder or stdin given alone that cannot be read stops it;
- in a batch (several paths, the files in a folder, the lines of a JSONL) the
  bad item goes to ``on_skip`` and reading goes on;
- input that yields no article at all stops it.
"""
from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError, Messages
from .pipeline import parse_date_header

Record = dict[str, Any]
OnSkip = Callable[[InputError], None]
FileReader = Callable[[BinaryIO, str, str, OnSkip], Iterator[Record]]
"""Reads the articles of one open file: ``(file, where, stem, on_skip)``, ``where`` naming it in
messages and ``stem`` (its name without the format's ending) making ids; raises ``InputError``
when the whole file is bad and sends each bad item of it to ``on_skip``."""

STDIN = "-"
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


class Inputs:
    """The articles of what the user named, read lazily, and how far reading has got.

    Iterating checks every path, lists the folders, then reads the files one by
    one. Once iteration has begun, ``total`` is the size in bytes of every file
    to read (None when stdin is among them: its size is unknown) and ``done``
    the bytes read so far, so a caller can show how much is left without
    holding more than one article.

    paths (list of str): what the user named; every path is checked before anything is read.
    stdin (BinaryIO): the byte stream that ``-`` reads; None when there is none.
    on_skip (callable): receives the ``InputError`` of each bad item of a batch; the default raises.
    formats (dict): file-name ending to ``FileReader``; a folder yields only files with these
        endings, and a file named alone with another ending is read as one text article.
    """

    def __init__(self, paths: Sequence[str], *, stdin: BinaryIO | None = None,
                 on_skip: OnSkip = _raise, formats: Mapping[str, FileReader] | None = None) -> None:
        self.paths = list(paths)
        self.stdin = stdin
        self.on_skip = on_skip
        # Longest ending first, so "a.warc.gz" is not taken for a ".gz" file.
        self.formats = dict(sorted((formats or FORMATS).items(), key=lambda item: -len(item[0])))
        self.total: int | None = None
        self.done = 0
        self.skipped = 0

    def __iter__(self) -> Iterator[Record]:
        check_paths(self.paths)
        # A source given alone is the whole job: failing to read it is an error, not a warning.
        source_skip = _raise if len(self.paths) == 1 else self._skip
        sources = [(path, self._files(path, source_skip)) for path in self.paths]
        if STDIN not in self.paths:
            self.total = sum(_size(file) for _, (files, _) in sources for file in files)
        found = 0
        for path, (files, on_error) in sources:
            if path == STDIN:
                if self.stdin is None:
                    raise InputError(Messages.E011.format(where="stdin", reason="no standard input"))
                records = _guarded(read_stream(self.stdin, on_skip=self._skip), source_skip)
            else:
                records = chain.from_iterable(_guarded(self._read_file(file), on_error) for file in files)
            for record in records:
                found += 1
                yield record
        if not found:
            raise InputError(Messages.E018.format(skipped=self.skipped))

    def _skip(self, error: InputError) -> None:
        self.skipped += 1
        self.on_skip(error)

    def _files(self, path: str, source_skip: OnSkip) -> tuple[list[Path], OnSkip]:
        """The files that ``path`` names, and where the error of one of them goes."""
        if path == STDIN:
            return [], source_skip
        folder = Path(path)
        if not folder.is_dir():
            return [folder], source_skip
        files = article_files(folder, tuple(self.formats))
        if not files:
            patterns = " or ".join(f"*{ending}" for ending in sorted(self.formats))
            source_skip(InputError(Messages.E017.format(where=folder, patterns=patterns)))
        return files, self._skip

    def _read_file(self, path: Path) -> Iterator[Record]:
        start = self.done
        ending = next((e for e in self.formats if path.name.endswith(e)), None)
        reader = self.formats[ending] if ending else _read_text
        stem = path.name[:-len(ending)] if ending else path.stem
        try:
            file = path.open("rb")
        except OSError as exc:
            raise InputError(Messages.E011.format(where=path, reason=exc.strerror or exc)) from exc
        try:
            with file:
                for record in reader(file, str(path), stem, self._skip):
                    self.done = start + file.tell()
                    yield record
        finally:
            self.done = start + _size(path)


def read_inputs(paths: Sequence[str], *, stdin: BinaryIO | None = None,
                on_skip: OnSkip = _raise) -> Iterator[Record]:
    """Yield the articles of text files, folders, JSONL files and ``-`` (stdin), in order.

    paths (list of str): what the user named; every path is checked before anything is read.
    stdin (BinaryIO): the byte stream that ``-`` reads; None when there is none.
    on_skip (callable): receives the ``InputError`` of each bad item of a batch; the default raises.
    RETURNS (iterator of dict): records ``{"id", "text", "date"?, ...}``.
    """
    yield from Inputs(paths, stdin=stdin, on_skip=on_skip)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reading it will report why


def _guarded(records: Iterator[Record], on_skip: OnSkip) -> Iterator[Record]:
    """Yield ``records``; an ``InputError`` ends them and goes to ``on_skip``."""
    try:
        yield from records
    except InputError as error:
        on_skip(error)


def article_files(folder: Path, endings: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` at any depth whose names end in ``endings``, sorted; hidden ones left out."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if (path.name.endswith(endings) and path.is_file()
                and not any(part.startswith(".") for part in relative.parts)):
            found.append(relative)
    return [folder / relative for relative in sorted(found, key=lambda r: r.parts)]


def _read_text(file: BinaryIO, where: str, stem: str, on_skip: OnSkip) -> Iterator[Record]:
    """A text file is one article: its whole content. Its id is the file name without its ending."""
    yield text_record(file.read(), where=where, id=stem)


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


def _read_jsonl(file: BinaryIO, where: str, stem: str, on_skip: OnSkip) -> Iterator[Record]:
    """Stream the articles of a JSONL file; a line without a record goes to ``on_skip``.

    Raises ``InputError`` when the file as a whole looks binary or holds no line.
    """
    nul = file.peek(SNIFF_BYTES)[:SNIFF_BYTES].find(b"\0")  # type: ignore[attr-defined]
    if nul >= 0:
        raise InputError(Messages.E013.format(where=where, pos=nul))
    yield from read_jsonl(file, where=where, stem=stem, on_skip=on_skip)


def read_jsonl_gz(file: BinaryIO, where: str, stem: str, on_skip: OnSkip) -> Iterator[Record]:
    """Stream the articles of a gzipped JSONL file, decompressing as it goes."""
    try:
        with gzip.GzipFile(fileobj=file) as unzipped:
            yield from _read_jsonl(unzipped, where, stem, on_skip)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(Messages.E021.format(where=where, reason=exc)) from exc


FORMATS: dict[str, FileReader] = {".txt": _read_text, ".jsonl": _read_jsonl}
"""What ``quotegraph extract`` reads: file-name ending to reader."""


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
