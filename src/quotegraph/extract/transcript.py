"""Turns of a transcript: a paragraph that opens with a person's name and a colon.

Interviews and debates are printed as ``Jane Doe: We will ...`` with no quotation
marks; the words after the colon are the person's own, a direct quote. Only a
name the entity recogniser reads as a person counts, so section labels
("ENERGY:", "READ MORE:") are never taken for speakers.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .candidate import Candidate
from .direct import trim

_TURN = re.compile(r"([A-Z][\w.'\u2019-]+(?: [A-Z][\w.'\u2019-]+){0,3}):[ \t]+(?![\"'\u201c\u2018\u00ab])(\S)")


def candidates(doc: Doc, text: str, paragraphs: list[tuple[int, int]]) -> list[Candidate]:
    """Direct quotes for the transcript turns among ``paragraphs``."""
    out = []
    for n, (lo, hi) in enumerate(paragraphs):
        m = _TURN.match(text, lo, hi)
        if m is None or m.group(1).isupper():
            continue
        name = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
        if name is None or not len(name) or name[-1].ent_type_ != "PERSON":
            continue
        start, end = trim(text, m.start(2), hi)
        if len(text[start:end].split()) < 3:
            continue
        cand = Candidate([(start, end)], "direct", subject=name[-1].i, paragraph=n,
                         cue_span=(m.end(1), m.end(1) + 1))
        cand.reasons.append(f"transcript turn of '{m.group(1)}'")
        out.append(cand)
    return out
