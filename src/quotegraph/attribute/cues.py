"""Find the speech cue of a quote and the subject that names its speaker.

A cue is a speech verb ("said", "wrote on Instagram", "told reporters") or an
attribution phrase ("according to"). Its grammatical subject is the speaker
mention. Parsers often attach the subject wrongly when an aside in dashes sits
between the subject and the verb ("The model - who has two children - wrote:"),
so that layout gets a rule of its own.
"""
from __future__ import annotations

from spacy.tokens import Token

from .. import lexicon
from ..lexicon import Lexicon

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_CLIMB_DEPS = {"advcl", "conj", "xcomp", "ccomp", "relcl"}
_DASHES = {"-", "\u2013", "\u2014", "--"}
_EXPLETIVES = {"it", "there", "which", "that", "who"}
_RELATIVES = {"who", "that", "which"}
# "the memo obtained by the Courier": whoever holds a document did not write it.
_RECEIVED = {"obtained", "seen", "received", "reviewed", "viewed", "acquired", "quoted", "cited"}


def is_speech_verb(tok: Token, lex: Lexicon, *, beliefs: bool = False) -> bool:
    """Whether ``tok`` is a verb that reports speech (or, with ``beliefs``, a belief)."""
    if not tok.tag_.startswith("VB"):
        return False
    low = tok.lower_
    return low in lex.speech_verbs or (beliefs and low in lex.belief_verbs)


def _dash_subject(verb: Token) -> Token | None:
    """``The model - who has two children - wrote``: the noun before the first dash."""
    sent = verb.sent
    before = [t for t in sent if t.i < verb.i]
    if not before or before[-1].text not in _DASHES:
        return None
    dashes = [t for t in before[:-1] if t.text in _DASHES]
    if not dashes:
        return None
    first = dashes[0]
    if first.i == sent.start:
        return None
    tok = first.doc[first.i - 1]
    while tok.dep_ in {"compound", "amod", "nummod"} and tok.head.i > tok.i:
        tok = tok.head
    return tok if tok.tag_.startswith(("NN", "PRP")) else None


def _appositions(tok: Token) -> list[Token]:
    """Nouns in apposition to ``tok`` or to the object of its preposition ("Keeper of the Seal, X,")."""
    out = [c for c in tok.children if c.dep_ == "appos"]
    for prep in (c for c in tok.children if c.dep_ == "prep"):
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            out += [c for c in obj.children if c.dep_ == "appos"]
    return out


def _named(tok: Token) -> Token:
    """``Keeper of the Seal, Jane Doe, said``: prefer the name in apposition to a title,
    but not a title in apposition to a name (``Jane Doe, Minister of Finance, said``)."""
    if tok.tag_ in {"NNP", "NNPS"} and tok.ent_type_ == "PERSON":
        return tok
    lex = lexicon.load()
    titles = lex.person_nouns
    if tok.tag_ == "NNS" and tok.ent_type_ == "":
        # "their allies, members of the Ferry Party, have said": the apposition says who they are
        # (the parser may call it a conjunct, with no "and")
        apposed = [c for c in tok.children if c.tag_ == "NNS" and (
            c.dep_ == "appos" or (c.dep_ == "conj" and not any(d.dep_ == "cc" for d in tok.children)))]
        for appos in apposed:
            if any(t.tag_ in {"NNP", "NNPS"} for t in appos.subtree):
                return appos
        # "actors and spouses Nick X and Megan Y tell": the parser chains the names as conjuncts
        # of the descriptions; a name that no "and" introduces stands in apposition to them
        for conj in sorted((c for c in tok.children if c.dep_ == "conj"), key=lambda c: c.i):
            before = conj.doc[conj.left_edge.i - 1]
            if conj.ent_type_ == "PERSON" and conj.tag_ == "NNP" and before.dep_ != "cc":
                return conj
    if not tok.tag_.startswith("NNP"):
        for t in tok.subtree:  # "an official in Halden province named Ivo": the parse may hang it lower
            if t.i > tok.i and t.dep_ == "acl" and t.lower_ in lex.naming_verbs:
                name = next((c for c in t.children if c.dep_ in {"oprd", "dobj", "attr"} and c.tag_ == "NNP"), None)
                if name is not None:
                    return name
    for child in _appositions(tok):
        if child.tag_ == "NNP" and child.lower_ not in titles and (
                child.ent_type_ in ("PERSON", "ORG", "") or tok.lower_ in titles):
            return child  # "Lind's dad, Per": a name after a person's description, whatever its tag
    if tok.ent_type_ != "PERSON":  # "Jane Doe, Minister of Finance, said": the parse made the title the subject
        for child in tok.children:
            if child.ent_type_ == "PERSON" and child.i < tok.i and child.dep_ != "poss":
                return child  # but "Vell's lawyers" are not Vell
    return tok


def _inverted_subject(verb: Token) -> Token | None:
    """'"Will it work?" asked presenter Tam Ruddock.': after a question mark the parser starts a
    new sentence at the verb and reads the speaker as its object."""
    if verb.i != verb.sent.start or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "attr", "npadvmod"} and c.i > verb.i), None)
    return _named(obj) if obj is not None and obj.tag_.startswith("NN") else None


def subject(verb: Token) -> Token | None:
    """The token naming who speaks for ``verb``, climbing from participles and conjuncts."""
    dash = _dash_subject(verb)
    if dash is not None:
        return dash
    inverted = _inverted_subject(verb)
    if inverted is not None:
        return inverted
    if verb.dep_ == "acl" and verb.head.i < verb.i and verb.head.tag_ in {"NNP", "NNPS"} and not any(
            c.dep_ in SUBJECT_DEPS or c.dep_ == "agent" for c in verb.children):
        # '"...," Ana Vell, the line's risk officer, mentioned in a commentary': the parser hangs
        # the verb on the name as a participle
        return _named(verb.head)
    lex = lexicon.load()
    if (verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.head.dep_ == "ccomp"
            and is_speech_verb(verb.head.head, lex)):
        # "Lind said the message is that ..., noting that ...": the parser hangs the participle
        # on the reported clause, but whoever reports it is noting too
        return subject(verb.head.head)
    tok = verb
    for _ in range(4):
        for child in tok.children:
            if child.dep_ in SUBJECT_DEPS and child.lower_ in _RELATIVES and tok.dep_ == "relcl":
                return _named(tok.head)  # "O'Malley, who noted that ...": the noun the clause describes
            if child.dep_ in SUBJECT_DEPS and child.lower_ not in _EXPLETIVES and not child.is_punct:
                return _named(child)  # the parser sometimes makes a closing "»" the subject
            if child.dep_ == "agent":  # "was told by the minister"
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if tok.dep_ not in _CLIMB_DEPS or tok.head is tok:
            return None
        tok = tok.head
    return None


def according_to(tok: Token) -> Token | None:
    """For the token "according" of "according to X", return X."""
    if tok.lower_ != "according":
        return None
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    after = [nxt] if nxt is not None and nxt.lower_ == "to" else []
    for prep in [c for c in tok.children if c.lower_ == "to"] + after:
        for grand in prep.children:
            if grand.dep_ == "pobj":
                return _named(grand)
    return None


def channel(verb: Token, lex: Lexicon) -> str | None:
    """Where the words were said: "on Instagram", "in a statement", "told CNN"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in {"on", "in", "via", "through", "during", "at", "to"}:
            for obj in child.children:
                if obj.dep_ != "pobj":
                    continue
                phrase = obj.doc[obj.left_edge.i: obj.i + 1].text.lower()
                for key in (phrase, obj.lower_):
                    if key in lex.channels:
                        return lex.channels[key]
                if obj.ent_type_ == "ORG" and child.lower_ in {"on", "to"}:
                    return obj.doc[obj.left_edge.i: obj.right_edge.i + 1].text
        if child.dep_ in {"dobj", "dative"} and verb.lower_ in {"told", "tell", "tells", "telling"}:
            if child.ent_type_ in {"ORG", "WORK_OF_ART"}:
                return child.doc[child.left_edge.i: child.right_edge.i + 1].text
    return None


def author(noun: Token) -> Token | None:
    """Who stands behind a document that "says" something: ``a statement by X``, ``X's report``."""
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ == "compound" and child.tag_ == "NNP"):
            return child
        if child.dep_ in {"prep", "agent"} and child.lower_ in {"by", "from"}:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
        if child.dep_ in {"acl", "relcl"} and child.lower_ not in _RECEIVED:
            # "a statement sent to the paper by X", "a study which is released today by X"
            found = author(child)
            if found is not None:
                return found
    return None


def _issuer_here(noun: Token, *, loose: bool = False) -> Token | None:
    """Who a document is by, from its own phrase or the clause that brings it in
    ("a report by X", "X's study", "Prosecutors filed a complaint"); ``loose`` also takes
    the writer of a clause that merely cites it ("X wrote in a recent report")."""
    found = author(noun)
    if found is None and noun.dep_ in {"dobj", "nsubjpass"}:
        found = subject(noun.head)
    elif (found is None and loose and noun.dep_ == "pobj" and noun.head.lower_ == "in"
          and noun.head.head.tag_.startswith("VB")):
        found = subject(noun.head.head)
    return found if found is not None and found.i != noun.i else None


# How far back a new document ("says a document titled X") may take the issuer of one just cited.
_NEAR_DOCUMENT = 300


def issuer(noun: Token, *, lookback: int = 3000, _depth: int = 0) -> Token | None:
    """Who stands behind the document ``noun``; for "the complaint said", the issuer given where
    the article brought in a complaint before (within ``lookback`` characters), else where it
    brought in one of the last documents it spoke of ("A study by X found ... the report said"). A
    stated author anywhere ("a report by X") comes before a writer who cites one ("X wrote in a
    report"), and a document issued by a document ("the paper" of "a document titled Paper")
    is that one's."""
    lex = lexicon.load()
    same, latest = [noun], []
    definite = any(c.lower_ in {"the", "this", "that"} for c in noun.children)
    doc = noun.doc
    for i in range(noun.i - 1, -1, -1):
        if noun.idx - doc[i].idx > (lookback if definite else _NEAR_DOCUMENT):
            break
        if definite and doc[i].lower_ == noun.lower_ and doc[i].tag_ in {"NN", "NNS"}:
            same.append(doc[i])  # not the "Paper" of a title ("a document titled White Paper")
        elif len(latest) < 3 and _is_document_noun(doc[i], lex):
            latest.append(doc[i])
    for group in (same, latest):
        for loose in (False, True):
            for tok in group:
                found = _issuer_here(tok, loose=loose)
                if found is not None and _is_document_noun(found, lex):
                    found = issuer(found, lookback=lookback, _depth=_depth + 1) if _depth < 2 else None
                if found is not None:
                    return found
    return None


def _is_document_noun(tok: Token, lex: Lexicon) -> bool:
    """A document brought in as one ("a study", "the union's release"), not "in order to"."""
    return (tok.tag_ in {"NN", "NNS"} and tok.lower_ in lex.speech_nouns
            and any(c.dep_ in {"det", "poss"} for c in tok.children))
