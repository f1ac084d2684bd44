"""Parse articles with spaCy, running the entity recogniser only where names can be.

Why: the entity recogniser is half of the pipeline's time (it has its own
embedding and network), yet quotegraph reads only entities that name people,
organisations, places and groups, and those contain a capitalised word.
So after tagging and parsing whole articles, the recogniser runs on windows of
``MARGIN`` tokens either side of every capitalised open-class word, about two
thirds of the tokens of news text. A window is built with the article's
sentence starts and token norms, which are all the recogniser reads besides the
words; with windows as wide as the article the entities are identical to a
full run, and with ``MARGIN`` tokens of context (the recogniser's embedding
sees four either side) they differ in a few lowercase fragments per thousand
entities, none of which quotegraph reads (``tests/test_parsing.py``).

The text spaCy sees is the article with two harmless edits of the same length,
so every offset still points into the original: the ``date`` header blanked,
and long runs of punctuation blanked, on which spaCy's tokenizer takes time
quadratic in the run's length (10,000 quote marks take half a minute).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.attrs import NORM, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

MARGIN = 6
# Tags of closed-class words: capitalised, they start a sentence ("The", "In")
# or are "I", and name no one.
_CLOSED_TAGS = frozenset({"DT", "PDT", "PRP", "PRP$", "IN", "CC", "WP", "WP$", "WDT", "WRB",
                          "MD", "EX", "TO", "UH"})
# Runs of this many non-alphanumeric, non-space characters or more are blanked.
_LONG_PUNCT = re.compile(r"(?:[^\w\s]|_){31,}")


_SURROGATE = re.compile("[\ud800-\udfff]")
# Invisible format characters (zero-width space, joiners, BOM) at a word's edge: the tagger
# reads "Traeger\u200b" as punctuation, so the name and its clause are lost.
_INVISIBLE = "[\u200b-\u200f\u2060\ufeff]+"
_INVISIBLE_EDGE = re.compile(rf"{_INVISIBLE}(?=\s|$)|(?<=\s){_INVISIBLE}|\A{_INVISIBLE}")
_PIECE_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"[.!?]\s"), re.compile(r"\s"))


def neutralise(text: str, header_end: int = 0) -> str:
    """The text spaCy sees: ``text`` with its header, long punctuation runs and invisible
    characters at word edges turned to spaces.

    Lone surrogates (from broken decoding upstream) become U+FFFD, which spaCy can hash.
    header_end (int): where the article body starts (0 without a header).
    RETURNS (str): a string of the same length, so offsets carry over unchanged.
    """
    body = text[header_end:]
    if _LONG_PUNCT.search(body):
        body = _LONG_PUNCT.sub(lambda m: " " * len(m.group()), body)
    if _INVISIBLE_EDGE.search(body):
        body = _INVISIBLE_EDGE.sub(lambda m: " " * len(m.group()), body)
    if _SURROGATE.search(body):
        body = _SURROGATE.sub("\ufffd", body)
    return " " * header_end + body


def pieces(text: str, max_chars: int) -> list[str]:
    """Cut ``text`` into consecutive pieces of at most ``max_chars``, at paragraph breaks where
    possible, else after a sentence, else at a space: ``"".join(pieces(t, n)) == t``."""
    out, pos = [], 0
    while len(text) - pos > max_chars:
        limit = pos + max_chars
        cut = None
        for pattern in _PIECE_BREAKS:
            for m in pattern.finditer(text, pos + max_chars // 2, limit):
                cut = m.end()
            if cut is not None:
                break
        cut = cut or limit
        out.append(text[pos:cut])
        pos = cut
    out.append(text[pos:])
    return out


def parse(texts: Iterable[str], nlp: Language, *, selective: bool = True,
          batch_size: int = 16, max_chars: int | None = None) -> Iterator[Doc]:
    """Parse ``texts`` with ``nlp``, in order.

    selective (bool): run the entity recogniser on name windows only (see the
        module docstring); False runs every component over every token.
    max_chars (int): texts longer than this are parsed in pieces (see ``pieces``)
        and joined into one Doc, so memory stays bounded and no spaCy length limit applies.
    """
    if max_chars is None:
        yield from _parse(texts, nlp, selective, batch_size)
        return
    short: list[str] = []
    for text in texts:
        if len(text) <= max_chars:
            short.append(text)
            if len(short) >= batch_size:
                yield from _parse(short, nlp, selective, batch_size)
                short = []
            continue
        yield from _parse(short, nlp, selective, batch_size)
        short = []
        parts = list(_parse(pieces(text, max_chars), nlp, selective, 1))
        yield Doc.from_docs(parts, ensure_whitespace=False)
    yield from _parse(short, nlp, selective, batch_size)


def _parse(texts: Iterable[str], nlp: Language, selective: bool, batch_size: int) -> Iterator[Doc]:
    if not selective or "ner" not in nlp.pipe_names:
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    ner = nlp.get_pipe("ner")
    batch: list[Doc] = []
    for doc in nlp.pipe(texts, batch_size=batch_size, disable=["ner"]):
        batch.append(doc)
        if len(batch) >= batch_size:
            yield from recognise(batch, ner)
            batch = []
    if batch:
        yield from recognise(batch, ner)


def name_windows(doc: Doc, margin: int = MARGIN) -> list[tuple[int, int]]:
    """Token ranges within ``margin`` of a capitalised open-class word, merged, in order."""
    out: list[list[int]] = []
    n = len(doc)
    for tok in doc:
        if not tok.text[:1].isupper() or tok.tag_ in _CLOSED_TAGS:
            continue
        lo, hi = max(0, tok.i - margin), min(n, tok.i + margin + 1)
        if out and lo <= out[-1][1]:
            out[-1][1] = hi
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def _window_doc(doc: Doc, arr, lo: int, hi: int) -> Doc:
    """A Doc of ``doc[lo:hi]`` with what the recogniser reads: words, spaces, norms, sentence starts."""
    words = [t.text for t in doc[lo:hi]]
    spaces = [bool(t.whitespace_) for t in doc[lo:hi]]
    sub = Doc(doc.vocab, words=words, spaces=spaces)
    values = arr[lo:hi].copy()
    values[0, 1] = 1  # a window starts a sentence, as a whole article does
    sub.from_array([NORM, SENT_START], values)
    return sub


def recognise(docs: list[Doc], ner, margin: int = MARGIN) -> list[Doc]:
    """Set entities on parsed ``docs`` by running ``ner`` on their name windows only."""
    subs: list[Doc] = []
    where: list[tuple[int, int]] = []
    for n, doc in enumerate(docs):
        arr = doc.to_array([NORM, SENT_START])
        for lo, hi in name_windows(doc, margin):
            subs.append(_window_doc(doc, arr, lo, hi))
            where.append((n, lo))
    found: list[list[Span]] = [[] for _ in docs]
    for sub, (n, lo) in zip(ner.pipe(subs, batch_size=256), where, strict=True):
        doc = docs[n]
        found[n].extend(Span(doc, e.start + lo, e.end + lo, label=e.label) for e in sub.ents)
    for doc, ents in zip(docs, found, strict=True):
        doc.set_ents(ents, default="outside")
    return docs
