"""Turn quoted stretches into direct and partial quote candidates.

Marks alone over-report: titles, nicknames and scare quotes are also set in
marks. A stretch counts as a *direct* quote when it stands as speech of its own
(it opens a paragraph, follows a colon or a comma, or sits next to a speech
cue), as a *partial* quote when it is a fragment of several words inside the
writer's sentence, and as nothing when it is one word, a title or a name.
An attribution that interrupts a quote (``"A," she said, "B."``) joins both
pieces into one quote with two spans.
"""
from __future__ import annotations

import re

from ..lexicon import Lexicon
from .candidate import Candidate
from .marks import Quoted, paragraph_of

_TRAILING = " \t\n,;:"
_ALNUM = re.compile(r"[^\W_]")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_MAX_GAP_WORDS = 8  # longest attribution that may interrupt a quote
_MAX_JOIN_WORDS = 30  # with join_all: "A," said Jo Roe, who ran the club for years. "B."


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces and trailing commas, which are not content."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end


def _prev_char(text: str, pos: int, floor: int) -> str:
    i = pos - 1
    while i >= floor and text[i] in " \t":
        i -= 1
    return text[i] if i >= floor else "\n"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _title_like(words: list[str]) -> bool:
    """"The Crown", "Hall of Fame": every content word capitalised."""
    small = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "with", "or"}
    return bool(words) and all(w[0].isupper() or w.isdigit() or w in small for w in words) and words[0][0].isupper()


def _gap_is_attribution(gap: str, lex: Lexicon, longest: int = _MAX_GAP_WORDS) -> bool:
    words = [w.lower() for w in _words(gap)]
    if not words or len(words) > longest:
        return False
    return any(w in lex.speech_verbs for w in words) and not any(c in gap for c in "\n")


def candidates(text: str, quoted: list[Quoted], para_starts: list[int], lex: Lexicon, *,
               join_all: bool = False) -> list[Candidate]:
    """Classify the quoted stretches of ``text`` and join interrupted ones.

    join_all: also join two quoted sentences around a sentence-final attribution
        (``"A," she said. "B."``), however long the attribution (up to
        ``_MAX_JOIN_WORDS``), as PolNeAR does; by default only a sentence a short
        attribution cuts in two (``"A," she said, "b."``) becomes one quote.
    """
    out: list[Candidate] = []
    for q in quoted:
        start, end = trim(text, q.start, q.end)
        if start >= end:
            continue
        content = text[start:end]
        words = _words(content)
        if not words:
            continue
        para = paragraph_of(para_starts, q.open_pos)
        floor = para_starts[para]
        before = _prev_char(text, q.open_pos, floor)
        after_text = text[q.close_pos + 1: q.close_pos + 40]
        stands_alone = before in "\n:,.!?;\u2014\u2013-([" or q.open_pos == floor
        ends_like_speech = text[q.start:q.end].rstrip()[-1:] in ",.?!\u2026" and len(words) >= 3
        cue_next = any(w.lower() in lex.speech_verbs for w in _words(after_text)[:3])
        cue_before = _words(text[max(floor, q.open_pos - 30):q.open_pos])[-1:]
        stands_alone = stands_alone or (bool(cue_before) and cue_before[0].lower() in lex.speech_verbs)
        if stands_alone or (ends_like_speech and cue_next) or (len(words) >= 8 and ends_like_speech):
            kind = "direct"
        elif len(words) >= 2 and not _title_like(words):
            kind = "partial"
        else:
            continue  # scare quotes, titles, nicknames
        if kind == "direct" and len(words) <= 6 and _title_like(words) and not cue_next and before != ":":
            continue
        cand = Candidate([(start, end)], kind, paragraph=para,
                         quote_only=_quote_only(text, q, para_starts, para))
        prev = out[-1] if out else None
        if prev is not None and prev.type == "direct" and kind == "direct" and prev.paragraph == para:
            gap = text[prev.end: q.open_pos]
            gap_core = gap.strip(_TRAILING + "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb")
            continued = gap.rstrip().rstrip("\"'\u201c\u2018\u00ab").rstrip().endswith(",") or content[:1].islower()
            if join_all and _gap_is_attribution(gap_core, lex, _MAX_JOIN_WORDS) or (
                    continued and _gap_is_attribution(gap_core, lex)):
                prev.spans.append((start, end))
                prev.reasons.append("interrupted by its attribution")
                continue
        out.append(cand)
    return out


def _quote_only(text: str, q: Quoted, para_starts: list[int], para: int) -> bool:
    """Whether the paragraph holds nothing but this quote (a continuation paragraph)."""
    lo = para_starts[para]
    hi = para_starts[para + 1] if para + 1 < len(para_starts) else len(text)
    return not (_ALNUM.search(text, lo, q.open_pos) or _ALNUM.search(text, q.close_pos + 1, max(hi, q.close_pos + 1)))
