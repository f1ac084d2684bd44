"""Reported speech from the dependency parse.

``X said (that) ...``, ``X revealed on social media that ...``, ``X asked
whether ...``, ``..., X said``, ``according to X, ...`` and ``X's statement
that ...``. The content is the reported clause. A clause whose words are mostly
a direct quote is that quote's cue, not a second quote; quoted fragments inside
a reported clause belong to it (one indirect quote).

With ``attributions`` (``Options.attributions``) every PARC attribution relation is
reported too: beliefs (``X thinks that ...``) here, the others in ``frames``.
A relation nested inside another report ("X said he thought that ...") is
dropped, as attribution schemes annotate only the outer one; without that rule
half of what the belief verbs found on PolNeAR was such a nested relation.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..attribute.cues import according_to, channel, is_speech_verb, subject
from ..lexicon import Lexicon
from . import frames
from .candidate import Candidate
from .direct import trim
from .marks import paragraph_of

_CLAUSE_DEPS = {"ccomp"}
_LEADING = {",", ":", "-", "\u2014", "\u2013"}
_COMPLEMENTISERS = {"that", "whether", "if"}
_MIN_TOKENS = 3


def _clause_span(doc: Doc, text: str, head: Token, stop: Token | None = None, *,
                 keep_mark: bool = False) -> tuple[int, int] | None:
    """Characters of the clause under ``head``, without leading punctuation and, unless
    ``keep_mark`` (PARC's convention), without its complementiser ("that", "whether")."""
    leading = _LEADING if keep_mark else _LEADING | _COMPLEMENTISERS
    left, right = head.left_edge.i, head.right_edge.i
    if stop is not None and left < stop.i < right:
        return None
    while left <= right and doc[left].lower_ in leading and (
            doc[left].lower_ not in _COMPLEMENTISERS or doc[left].dep_ == "mark"):
        left += 1  # "That is not a problem, argued X": a subject "that" stays
    if right - left + 1 < _MIN_TOKENS:
        return None
    start, end = doc[left].idx, doc[right].idx + len(doc[right])
    return trim(text, start, end)


_ASKING = {"ask", "wonder", "question", "inquire", "enquire"}
_WH = {"what", "which", "who", "whom", "whose", "why", "how", "when", "where"}
_TO_VERBS = {"promise", "vow", "pledge", "threaten", "urge", "warn", "tell", "ask", "advise", "beg",
             "implore", "demand", "agree"}


def _reported(doc: Doc, text: str, verb: Token, subj: Token, lex: Lexicon, *,
              attributions: bool = False) -> list[tuple[int, int]]:
    """The spans of what ``verb`` reports: its clause, or, for a parenthetical cue ("Ferries,
    Vell says, run late"), the sentence around it; with ``attributions``, also
    its "to" clause ("urged the council to act"), which PARC annotates and quote datasets,
    which take it for an intention rather than a statement, do not."""
    clause = next((c for c in verb.children if c.dep_ in _CLAUSE_DEPS), None)
    if clause is None:  # "said in a statement that ...": the parser hangs the clause on the noun
        clause = next((g for c in verb.children if c.dep_ == "prep" for n in c.children
                       if n.dep_ == "pobj" and n.lower_ in lex.speech_nouns
                       for g in n.children if g.dep_ in {"acl", "ccomp"}
                       and any(m.dep_ == "mark" and m.lower_ == "that" for m in g.children)), None)
    if clause is not None:
        if clause.i < verb.i and not _set_off(doc, clause.right_edge.i + 1):
            return []  # "READ MORE: X says ...": a clause before its cue is set off by a comma or dash
        span = _clause_span(doc, text, clause, stop=verb, keep_mark=attributions)
        return [span] if span else []
    lemma = _lemma(verb, lex)
    to_clause = next((c for c in verb.children if c.dep_ == "xcomp"
                      and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
    if to_clause is not None and lemma in _TO_VERBS and attributions:
        span = _clause_span(doc, text, to_clause, stop=verb)
        return [span] if span else []
    if verb.dep_ == "parataxis" and subj.i > verb.head.left_edge.i:
        cue = set(range(verb.left_edge.i, verb.right_edge.i + 1))
        runs: list[list[Token]] = [[]]
        for t in verb.head.subtree:
            if t.i in cue:
                runs.append([])
            elif not (t.is_punct and not runs[-1]):
                runs[-1].append(t)
        spans = []
        for run in runs:
            words = [t for t in run if not t.is_punct]
            if len(words) >= _MIN_TOKENS:
                spans.append(trim(text, run[0].idx, run[-1].idx + len(run[-1])))
        return spans
    return []


def _speaker_nearby(verb: Token) -> Token | None:
    """Who speaks in "she won by saying that ...", where the parser gives "saying" no subject:
    the subject of the verb the phrase hangs on."""
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        return subject(verb.head.head)
    return None


def _set_off(doc: Doc, i: int) -> bool:
    return i < len(doc) and (doc[i].text in {",", "\u2014", "\u2013", "-", "--"} or doc[i].is_quote)


def _lemma(verb: Token, lex: Lexicon) -> str:
    return lex.speech_verbs.get(verb.lower_, verb.lower_)


def _question_ok(doc: Doc, verb: Token, start: int, lex: Lexicon) -> bool:
    """Wh-clauses are reported questions only after verbs of asking ("asked why ..."),
    unless a "that" opens them ("said that what the town needs is a ferry")."""
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    if first is None or first[0].lower_ not in _WH or (first[0].i and doc[first[0].i - 1].lower_ == "that"):
        return True
    return _lemma(verb, lex) in _ASKING


def _covered(span: tuple[int, int], direct: bytearray) -> float:
    """Share of ``span`` that lies inside direct quotes."""
    s, e = span
    return direct.count(1, s, e) / (e - s) if e > s else 0.0


def candidates(doc: Doc, text: str, direct: bytearray, para_starts: list[int], lex: Lexicon, *,
               attributions: bool = False) -> list[Candidate]:
    """Indirect quotes of ``doc`` (parsed from ``text``, of the same length); ``direct`` marks
    (``marks.mask``) the direct quotes with their marks.

    attributions: report every PARC attribution relation (``frames``), not only speech, with
        PARC's content boundaries: a reported clause keeps its "that" or "whether".
    """
    out: list[Candidate] = []
    beliefs_held: list[Candidate] = []  # what people think: kept only outside other reports

    def inside_direct(tok: Token) -> bool:
        return bool(direct[tok.idx])

    for tok in doc:
        if inside_direct(tok):
            continue
        cand = None
        if is_speech_verb(tok, lex, beliefs=attributions):
            subj = subject(tok) or _speaker_nearby(tok)
            if subj is None:
                continue
            spans = _reported(doc, text, tok, subj, lex, attributions=attributions)
            if not spans or _covered((spans[0][0], spans[-1][1]), direct) > 0.5:
                continue
            if not _question_ok(doc, tok, spans[0][0], lex):
                continue
            cand = Candidate(spans, "indirect", cue=tok.i, subject=subj.i,
                             cue_span=(tok.idx, tok.idx + len(tok)), channel=channel(tok, lex))
            if tok.lower_ not in lex.speech_verbs:
                cand.reasons.append(f"attribution (belief): subject of '{tok.text}'")
                beliefs_held.append(cand)
                continue
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
            span = trim(text, side[0].idx, side[-1].idx + len(side[-1]))
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
            span = _clause_span(doc, text, clause, keep_mark=attributions)
            if span is None or _covered(span, direct) > 0.5:
                continue
            cand = Candidate([span], "indirect", cue=tok.i, subject=owner.i,
                             cue_span=(tok.idx, tok.idx + len(tok)))
            cand.reasons.append(f"reported speech: '{owner.text}'s {tok.text} that'")
        if cand is not None:
            out.append(cand)
    if attributions:
        cues = {c.cue for c in out}
        paragraphs = list(zip(para_starts, [*para_starts[1:], len(text)], strict=True))
        held = beliefs_held + [c for c in frames.candidates(doc, text, direct, lex, paragraphs) if c.cue not in cues]
        out += _outermost(held, out)
    for cand in out:
        cand.paragraph = paragraph_of(para_starts, cand.start)
    return sorted(out, key=lambda c: c.start)


def _outermost(cands: list[Candidate], reports: list[Candidate]) -> list[Candidate]:
    """Drop a candidate whose content lies inside another's ("X said Y called for Z"):
    attribution schemes annotate the outer report, not each relation nested in it."""
    every = cands + reports
    return [c for c in cands if not any(o is not c and o.start <= c.start and c.end <= o.end
                                        and o.end - o.start > c.end - c.start for o in every)]
