"""Find quoted stretches of text from quotation marks alone.

This stage works on the raw string, before any parse, so it is fast and its
behaviour is easy to test. It knows every common quotation-mark style: straight
and curly double and single marks, guillemets and low-9 marks, with nesting.

Why paragraphs matter: news quotes that run over several paragraphs open each
paragraph with a mark and close only the last one, and a stray or missing mark
should never shift the pairing of every later quote. So marks are paired one
paragraph at a time; an unclosed quote only continues into the next paragraph
when that paragraph opens with a mark of the same family, and otherwise ends at
its own paragraph's end (or is dropped when it does not look like speech).
Everything is linear in the length of the text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

DOUBLE = "double"
SINGLE = "single"

# mark -> (family, can open, can close); straight marks are decided by context.
_MARKS: dict[str, tuple[str, bool, bool]] = {
    '"': (DOUBLE, True, True),
    "\u201c": (DOUBLE, True, True),   # “ opens in English, closes after „ (German style)
    "\u201d": (DOUBLE, True, True),   # ” closes; Swedish and sloppy typing also open with it
    "\u201e": (DOUBLE, True, False),  # „
    "\u201f": (DOUBLE, True, False),  # ‟
    "\u00ab": (DOUBLE, True, True),   # «
    "\u00bb": (DOUBLE, True, True),   # »
    "\u2033": (DOUBLE, True, True),   # ″ used as a straight double mark by some CMSs
    "'": (SINGLE, True, True),
    "\u2018": (SINGLE, True, False),  # ‘
    "\u2019": (SINGLE, False, True),  # ’ also the apostrophe
    "\u201a": (SINGLE, True, False),  # ‚
    "\u2039": (SINGLE, True, True),   # ‹
    "\u203a": (SINGLE, True, True),   # ›
}
MARK_CHARS = "".join(_MARKS)
_MARK_RE = re.compile("[" + re.escape(MARK_CHARS) + "]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")

_OPEN_CONTEXT = set("([{\u2014\u2013-/:") | set(MARK_CHARS)
_CLOSE_CONTEXT = set(".,;:!?)]}\u2014\u2013-/\u2026") | set(MARK_CHARS)


@dataclass(frozen=True, slots=True)
class Mark:
    """One quotation mark in the text, with what its context allows it to be."""

    pos: int
    char: str
    family: str
    can_open: bool
    can_close: bool


@dataclass(slots=True)
class Quoted:
    """A stretch between an opening and a closing mark (content offsets, marks excluded).

    closed: False when the quote was recovered at a paragraph end with no closing mark.
    paragraphs: how many paragraphs the quote runs over.
    """

    start: int
    end: int
    open_pos: int
    close_pos: int
    family: str
    closed: bool = True
    paragraphs: int = 1


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the paragraphs of ``text`` (blank lines separate them)."""
    out, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def paragraph_of(starts: list[int], pos: int) -> int:
    """Index of the paragraph holding ``pos``, given the paragraphs' start offsets."""
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _classify(text: str, i: int, lo: int, hi: int) -> Mark | None:
    """Decide from its neighbours whether the mark at ``i`` may open or close a quote."""
    ch = text[i]
    family, may_open, may_close = _MARKS[ch]
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    left_space = prev.isspace() or prev in _OPEN_CONTEXT
    right_space = nxt.isspace() or nxt in _CLOSE_CONTEXT
    if family == SINGLE:
        if prev.isalnum() and nxt.isalpha():
            return None  # it's, don't, O'Neill
        if ch in "'\u2019" and left_space and nxt.isdigit():
            return None  # '90s
        if ch == "\u2019" and (prev.isspace() or prev in "([{") and nxt.isalnum():
            return None  # ’em, ’tis: an elision, never an opener
    opens = may_open and left_space and not nxt.isspace()
    closes = may_close and right_space and not prev.isspace()
    if ch in "\u00ab\u00bb\u2039\u203a":  # guillemets point the way, and French sets them apart with spaces
        opens = opens or (ch in "\u00ab\u2039" and left_space)
        closes = closes or (ch in "\u00bb\u203a" and right_space)
    if ch == "\u201c" and not opens:
        closes = closes or (not prev.isspace())
    if not opens and not closes:
        # Glued on both sides ("word"word) or floating between spaces: use the mark's own shape.
        if ch in "\u201c\u201e\u201f\u00ab\u2018\u201a" and not nxt.isspace():
            opens = True
        elif ch in "\u201d\u00bb\u2019" and not prev.isspace():
            closes = True
        elif ch == '"' and not nxt.isspace() and not prev.isspace():
            opens = closes = True
    if not opens and not closes:
        return None
    return Mark(i, ch, family, opens, closes)


def marks(text: str, lo: int = 0, hi: int | None = None) -> list[Mark]:
    """Every mark of ``text[lo:hi]`` that may open or close a quote."""
    hi = len(text) if hi is None else hi
    out = []
    for m in _MARK_RE.finditer(text, lo, hi):
        mark = _classify(text, m.start(), lo, hi)
        if mark is not None:
            out.append(mark)
    return out


def _possessive(text: str, mark: Mark, later: list[Mark]) -> bool:
    """``workers’ rights`` inside a single-quoted quote: an apostrophe, not the close."""
    i = mark.pos
    if mark.family != SINGLE or text[i - 1:i].lower() != "s":
        return False
    follow = text[i + 1:i + 3]
    if len(follow) < 2 or not follow[0].isspace() or not follow[1].islower():
        return False
    return any(m.family == SINGLE and m.can_close for m in later)


def _pairs(text: str, ms: list[Mark], carry: Mark | None) -> tuple[list[tuple[Mark, Mark]], Mark | None]:
    """Pair the marks of one paragraph; return top-level pairs and an opener left open.

    ``carry`` is the opener of a quote continued from the previous paragraph.
    """
    stack: list[Mark] = [carry] if carry else []
    out: list[tuple[Mark, Mark]] = []
    for k, m in enumerate(ms):
        depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d].family == m.family), None)
        if m.can_close and depth is not None:
            if _possessive(text, m, ms[k + 1:]):
                continue
            opener = stack[depth]
            del stack[depth:]
            if not stack:
                out.append((opener, m))
            continue
        if m.can_open:
            if m.family == SINGLE and m.char in "'\u2019" and stack and stack[0].family == DOUBLE and not m.can_close:
                stack.append(m)
            elif depth is not None:
                # A second opener of a family already open: the first one was stray.
                del stack[depth:]
                stack.append(m)
            else:
                stack.append(m)
    return out, (stack[0] if stack else None)


def _inside(text: str, start: int, end: int) -> tuple[int, int]:
    """Content offsets without the spaces some typography sets inside the marks (« x »)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _speechlike(text: str, start: int, end: int) -> bool:
    """Whether an unclosed stretch reads like speech rather than a stray mark."""
    return len(text[start:end].split()) >= 4


def find(text: str) -> list[Quoted]:
    """All top-level quoted stretches of ``text``, in order."""
    out: list[Quoted] = []
    carry: Mark | None = None
    carry_paras = 0
    paras = paragraphs(text)
    for n, (lo, hi) in enumerate(paras):
        ms = marks(text, lo, hi)
        if carry is not None:
            if ms and ms[0].pos == lo and ms[0].can_open and ms[0].family == carry.family:
                ms = ms[1:]  # the mark that reopens a continued quote
                carry_paras += 1
            else:
                prev_end = paras[n - 1][1]
                if _speechlike(text, carry.pos + 1, prev_end):
                    out.append(Quoted(carry.pos + 1, prev_end, carry.pos, prev_end, carry.family,
                                      closed=False, paragraphs=carry_paras))
                carry = None
        pairs, left_open = _pairs(text, ms, carry)
        for opener, closer in pairs:
            n_paras = carry_paras if carry is not None and opener is carry else 1
            start, end = _inside(text, opener.pos + 1, closer.pos)
            out.append(Quoted(start, end, opener.pos, closer.pos, opener.family, paragraphs=n_paras))
        if left_open is not carry or carry is None:
            carry_paras = 1
        carry = left_open
    if carry is not None:
        end = paras[-1][1]
        if _speechlike(text, carry.pos + 1, end):
            out.append(Quoted(carry.pos + 1, end, carry.pos, end, carry.family, closed=False,
                              paragraphs=carry_paras))
    out.sort(key=lambda q: q.start)
    return out


def mask(length: int, spans: list[tuple[int, int]]) -> bytearray:
    """One byte a character, 1 inside any of ``spans``: an O(1) "is this inside a quote?"."""
    out = bytearray(length + 1)
    for s, e in spans:
        out[s:e] = b"\x01" * (e - s)
    return out
