"""Attribution relations beyond speech, as PARC-style schemes such as PolNeAR annotate them.

News quote datasets annotate what people say; attribution schemes annotate every
relation that ties content to a source. Besides speech (``extract.indirect``)
those are, read from the dependency parse:

* evidence: a poll, record or study as the subject of a verb that reports
  ("polls show a tight race", "the audit found that ..."); the complement is the content;
* intentions: a "to" clause after a verb of wanting or refusing
  ("she declined to comment", "he plans to run");
* stances: the object of a verb of judging, backing or accusing, with the rest of
  the verb's complements ("he called the plan a failure", "they endorsed her"), or
  the subject of its passive with an agent ("the plan was praised by the mayor");
* prepositional cues: the object of "called for", "referring to", "asked about", of
  "critical of" after a copula, and of "attacks on" after an owner ("his attacks on the press");
* evidence in a phrase: "in a new poll, most voters back the plan": the clause
  beside the phrase is the content, the poll its source;
* views without a source: "the plan seems to work", "the pier is expected to reopen":
  the whole clause is the content, and no one is named as its source;
* labelled paragraphs: headlines and transcript lines such as "Poll: Most voters
  back the plan" or "MAYOR: We will not close it", a source, a colon and its words.

The cue word of every pattern comes from a data file of the lexicon. Apart from
views without a source, only clauses that name their source count: the subject
of an active verb, the agent of a passive one.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..attribute.cues import channel, subject
from ..lexicon import Lexicon
from .candidate import Candidate
from .direct import trim

# Dependents of a cue that are not part of its content: the content is everything
# else to the right of the cue ("wrote a post on Facebook in May that ...").
_NOT_OBJECT = {"punct", "cc", "conj", "advcl", "parataxis", "npadvmod", "mark"}


def _span(text: str, children: list[Token]) -> tuple[int, int] | None:
    """Characters from the first to the last of ``children``'s subtrees."""
    if not children:
        return None
    left = min(c.left_edge.i for c in children)
    right = max(c.right_edge.i for c in children)
    doc = children[0].doc
    start, end = trim(text, doc[left].idx, doc[right].idx + len(doc[right]))
    return (start, end) if start < end else None


def _passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


def _evidence(verb: Token, lex: Lexicon) -> Token | None:
    """The evidence noun that is the subject of ``verb`` ("the new poll shows")."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subj if subj is not None and subj.lower_ in lex.evidence_nouns else None


def _prep_object(word: Token, text: str, lex: Lexicon) -> tuple[int, int] | None:
    """The object of the preposition that ``word`` attributes through ("called for X"), with
    what follows it on ``word`` ("called on X to resign")."""
    preps = lex.prep_cues.get(word.lower_, ())
    prep = next((c for c in word.children if c.dep_ == "prep" and c.i > word.i and c.lower_ in preps), None)
    if prep is None:
        return None
    objects = [g for g in prep.children if g.dep_ in {"pobj", "pcomp"}]
    return _span(text, objects + [c for c in word.children if c.i > prep.i and c.dep_ not in _NOT_OBJECT]
                 if objects else [])


def _nominal(word: Token, text: str, lex: Lexicon) -> tuple[tuple[int, int], Token, str] | None:
    """``his attacks on the press``, ``she is critical of the deal``: a noun with its owner,
    or an adjective after a copula with the copula's subject, is the source."""
    if word.tag_.startswith("NN"):
        source = next((c for c in word.children if c.dep_ == "poss"), None)
    elif word.tag_ == "JJ" and word.dep_ == "acomp":
        source = subject(word.head)
    else:
        return None
    span = _prep_object(word, text, lex) if source is not None else None
    return (span, source, "prepositional") if span else None


def _evidence_phrase(prep: Token, text: str, lex: Lexicon) -> tuple[tuple[int, int], Token, str] | None:
    """``In a new poll, most voters back the plan``: the clause beside a phrase that opens the
    sentence or is set off by a comma, its larger side."""
    source = next((c for c in prep.children if c.dep_ == "pobj" and c.lower_ in lex.evidence_nouns), None)
    after = prep.right_edge.i + 1
    if prep.i != prep.sent.start and not (after < len(prep.doc) and prep.doc[after].text == ","):
        return None  # "a lead in state polls for months": only a phrase set off from its clause
    clause = prep.head  # the verb of the clause the phrase belongs to, or the clause's head
    while not clause.tag_.startswith("VB") and clause.dep_ not in {"ROOT", "ccomp", "conj"}:
        clause = clause.head
    if source is None or not clause.tag_.startswith("VB"):
        return None
    words = [t for t in clause.subtree if not t.is_punct]
    left = [t for t in words if t.i < prep.left_edge.i]
    right = [t for t in words if t.i > prep.right_edge.i]
    side = right if len(right) >= len(left) else left
    if len(side) < 3:
        return None
    span = trim(text, side[0].idx, side[-1].idx + len(side[-1]))
    return span, source, "evidence"


def _sourceless(verb: Token, text: str, lex: Lexicon) -> tuple[int, int] | None:
    """The clause of ``the plan seems to work`` or ``the pier is expected to reopen``."""
    low = verb.lower_
    if low not in lex.raising_verbs or (lex.raising_verbs[low] not in {"seem", "appear"} and not _passive(verb)):
        return None
    if not any(c.dep_ in {"xcomp", "ccomp", "oprd", "acomp"} or (c.dep_ == "prep" and c.lower_ == "as")
               for c in verb.children if c.i > verb.i):
        return None
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None:
        return None
    parts = [c for c in verb.children if c.dep_ not in {"punct", "cc", "conj", "advcl", "mark"}
             and (c.i > verb.i or c.i >= subj.i)]
    if subj.lower_ == "it":  # "it seems the party has too many delegates": the clause alone
        parts = [c for c in parts if c.dep_ == "ccomp"]
        return _span(text, parts)
    span = _span(text, parts)
    return (min(span[0], verb.idx), span[1]) if span else None


def _by_agent(verb: Token, text: str, lex: Lexicon) -> tuple[tuple[int, int], Token, str] | None:
    """``The plan was praised by the mayor``: the passive subject is the content, the agent the source."""
    if verb.lower_ not in lex.stance_verbs and verb.lower_ not in lex.speech_verbs:
        return None
    agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    content = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if agent is None or content is None or content.lower_ in {"it", "which", "that", "who"}:
        return None
    span = _span(text, [content])
    return (span, agent, "stance") if span else None


def _content(verb: Token, text: str, lex: Lexicon) -> tuple[tuple[int, int], Token | None, str] | None:
    """The content span, source token (None when no source is named) and kind of the
    frame that ``verb`` heads, if any."""
    if verb.dep_ == "prep" and verb.lower_ == "in":
        return _evidence_phrase(verb, text, lex)
    if not verb.tag_.startswith("VB"):
        return _nominal(verb, text, lex)
    low = verb.lower_
    view = _sourceless(verb, text, lex)
    if view is not None:
        return view, None, "view"
    right = [c for c in verb.children if c.i > verb.i]
    if low in lex.evidence_verbs:
        source = _evidence(verb, lex)
        if source is not None:
            span = _span(text, [c for c in right if c.dep_ not in _NOT_OBJECT])
            return (span, source, "evidence") if span else None
    if _passive(verb):
        return _by_agent(verb, text, lex)
    source = subject(verb)
    if source is None and verb.dep_ == "acl" and verb.tag_ == "VBG":
        source = verb.head  # "voters backing the plan"
    if source is None:
        return None
    if low in lex.intention_verbs:
        to_clause = next((c for c in right if c.dep_ == "xcomp"
                          and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if to_clause is not None:
            span = _span(text, [to_clause])
            return (span, source, "intention") if span else None
    if low in lex.stance_verbs and any(c.dep_ == "dobj" for c in right):
        parts = [c for c in right if c.dep_ not in _NOT_OBJECT]
        span = _span(text, parts)
        return (span, source, "stance") if span else None
    span = _prep_object(verb, text, lex)
    return (span, source, "prepositional") if span else None


# "Poll: ...", "Former mayor at the rally: ...": up to eight words, the first capitalised.
_LABEL = re.compile(r"[\"\u201c]?([A-Z][\w.'\u2019&/-]*(?:[ \t][\w.'\u2019&/-]+){0,7}):[ \t]+(?=\S)")


def _source_like(label: Span, lex: Lexicon) -> bool:
    """A label that names who speaks: a person or organisation ("Jane Doe:", "ACME:"), a
    speaker in capitals whom the article names ("ROE:"), or a document or poll ("Report:",
    "Poll:"); not a section label ("Correction:", "ENERGY:") nor a place ("Iowa:")."""
    root = label.root
    if any(t.tag_.startswith("VB") for t in label):
        return False
    if label.text.isupper():  # "PENCE:" in a transcript, if the article names a Pence; not "ENERGY:"
        return label[-1].lower_ in {t.lower_ for e in label.doc.ents if e.label_ in {"PERSON", "ORG"} for t in e}
    return (root.ent_type_ in {"PERSON", "ORG", "NORP"}
            or root.lower_ in lex.evidence_nouns or root.lower_ in lex.speech_nouns)


def _labelled(doc: Doc, text: str, lo: int, hi: int, lex: Lexicon) -> Candidate | None:
    """The words after the label of a paragraph that opens "Source: ..."."""
    m = _LABEL.match(text, lo, hi)
    if m is None:
        return None
    label = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
    start, end = trim(text, m.end(), hi)
    if label is None or not len(label) or len(text[start:end].split()) < 3 or not _source_like(label, lex):
        return None
    cand = Candidate([(start, end)], "indirect", cue=label.root.i, subject=label.root.i,
                     cue_span=(m.end(1), m.end(1) + 1))
    cand.reasons.append(f"attribution (label): '{m.group(1)}:'")
    return cand


def candidates(doc: Doc, text: str, direct: bytearray, lex: Lexicon,
               paragraphs: list[tuple[int, int]]) -> list[Candidate]:
    """Attributions of evidence, intention, stance and prepositional cues in ``doc``, and
    labelled ``paragraphs``; ``direct`` marks the direct quotes, whose own cues these must not repeat."""
    out: list[Candidate] = [c for lo, hi in paragraphs for c in [_labelled(doc, text, lo, hi, lex)]
                            if c is not None and direct.count(1, c.start, c.end) * 2 <= c.end - c.start]
    for verb in doc:
        if direct[verb.idx] or not verb.tag_.startswith(("VB", "NN", "JJ", "IN")):
            continue
        found = _content(verb, text, lex)
        if found is None:
            continue
        span, source, kind = found
        if direct.count(1, span[0], span[1]) * 2 > span[1] - span[0]:
            continue  # mostly a direct quote: this verb is its cue
        cand = Candidate([span], "indirect", cue=verb.i, subject=source.i if source is not None else None,
                         cue_span=(verb.idx, verb.idx + len(verb)), channel=channel(verb, lex))
        cand.reasons.append(f"attribution ({kind}): '{source.text if source is not None else ''}' {verb.text}")
        out.append(cand)
    return out
