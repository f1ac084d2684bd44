"""Reported speech from the dependency parse.

``X said (that) ...``, ``X revealed on social media that ...``, ``X asked
whether ...``, ``..., X said``, ``according to X, ...`` and ``X's statement
that ...``. The content is the reported clause. A clause whose words are mostly
a direct quote is that quote's cue, not a second quote; quoted fragments inside
a reported clause belong to it (one indirect quote).
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..attribute.cues import according_to, is_speech_verb, subject
from ..lexicon import Lexicon
from .candidate import Candidate
from .direct import trim

_CLAUSE_DEPS = {"ccomp"}
_LEADING = {"that", "whether", "if", ",", ":", "-", "\u2014", "\u2013"}
_MIN_TOKENS = 3


def _clause_span(doc: Doc, head: Token, stop: Token | None = None) -> tuple[int, int] | None:
    """Characters of the clause under ``head``, without a leading complementiser."""
    left, right = head.left_edge.i, head.right_edge.i
    if stop is not None and left < stop.i < right:
        return None
    while left <= right and doc[left].lower_ in _LEADING:
        left += 1
    if right - left + 1 < _MIN_TOKENS:
        return None
    start, end = doc[left].idx, doc[right].idx + len(doc[right])
    return trim(doc.text, start, end)


def _covered(span: tuple[int, int], direct: list[tuple[int, int]]) -> float:
    """Share of ``span`` that lies inside direct quotes."""
    s, e = span
    if e <= s:
        return 0.0
    inside = sum(max(0, min(e, de) - max(s, ds)) for ds, de in direct)
    return inside / (e - s)


def candidates(doc: Doc, direct: list[tuple[int, int]], para_of, lex: Lexicon, *,
               beliefs: bool = False) -> list[Candidate]:
    """Indirect quotes of ``doc``; ``direct`` are the direct quotes' marked stretches."""
    out: list[Candidate] = []

    def inside_direct(tok: Token) -> bool:
        return any(s <= tok.idx < e for s, e in direct)

    for tok in doc:
        if inside_direct(tok):
            continue
        cand = None
        if is_speech_verb(tok, lex, beliefs=beliefs):
            clause = next((c for c in tok.children if c.dep_ in _CLAUSE_DEPS), None)
            subj = subject(tok)
            if clause is None or subj is None:
                continue
            span = _clause_span(doc, clause, stop=tok)
            if span is None or _covered(span, direct) > 0.5:
                continue
            cand = Candidate([span], "indirect", cue=tok.i, subject=subj.i,
                             cue_span=(tok.idx, tok.idx + len(tok)))
            cand.reasons.append(f"reported speech: subject of '{tok.text}'")
        elif tok.lower_ == "according":
            source = according_to(tok)
            if source is None:
                continue
            phrase = (tok.i, source.right_edge.i)
            sent = tok.sent
            left = [t for t in sent if t.i < phrase[0] and not t.is_punct]
            right = [t for t in sent if t.i > phrase[1] and not t.is_punct]
            side = right if len(right) >= len(left) else left
            if len(side) < _MIN_TOKENS:
                continue
            span = trim(doc.text, side[0].idx, side[-1].idx + len(side[-1]))
            if _covered(span, direct) > 0.5:
                continue
            cue_end = doc[tok.i + 1] if tok.i + 1 < len(doc) else tok
            cand = Candidate([span], "indirect", cue=tok.i, subject=source.i,
                             cue_span=(tok.idx, cue_end.idx + len(cue_end)))
            cand.reasons.append("reported speech: 'according to'")
        elif tok.lower_ in lex.speech_nouns and tok.tag_.startswith("NN"):
            clause = next((c for c in tok.children if c.dep_ in {"acl", "ccomp", "appos"}
                           and any(g.lower_ == "that" and g.dep_ == "mark" for g in c.children)), None)
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            if clause is None or owner is None:
                continue
            span = _clause_span(doc, clause)
            if span is None or _covered(span, direct) > 0.5:
                continue
            cand = Candidate([span], "indirect", cue=tok.i, subject=owner.i,
                             cue_span=(tok.idx, tok.idx + len(tok)))
            cand.reasons.append(f"reported speech: '{owner.text}'s {tok.text} that'")
        if cand is not None:
            cand.paragraph = para_of(cand.start)
            out.append(cand)
    return out
