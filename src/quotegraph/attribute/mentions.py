"""Find the mentions that can name a speaker: names, pronouns, descriptions, handles.

A mention is a stretch of text that refers to a person or an organisation. This
stage only finds and describes mentions; ``resolve`` decides who each one is.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..extract.marks import MARK_CHARS
from ..lexicon import Lexicon

NAME, PRONOUN, NOMINAL, HANDLE, ORG, LATTER, FORMER = (
    "name", "pronoun", "nominal", "handle", "org", "latter", "former")

_AGE = re.compile(r"^(\d{1,3})-year-old$")
_GLUED_AGE = re.compile(r",\d{1,3}$")  # "Lind,60": the tokenizer kept the age on the name
# A possessive ending, with any apostrophe a writer or a keyboard may use ("Schumer‘s").
_POSSESSIVE = re.compile("[\'\u2019\u2018`\u00b4]s?$")
_DETERMINERS = {"the", "a", "an", "this", "that", "another", "one"}
_QUANTIFIERS = {"many", "several", "numerous"}
_SPEAKING_LABELS = {"PERSON"}
_ORG_LABELS = {"ORG", "NORP", "GPE"}


@dataclass(slots=True)
class Mention:
    """One reference to a person or organisation.

    head: index of the token that carries the mention's syntactic role.
    name_tokens: for names, the words of the name (honorifics and 's removed).
    definite: for descriptions, whether it refers back ("the actress") rather
        than introduces someone new ("a spokesperson").
    """

    start: int
    end: int
    head: int
    kind: str
    text: str
    sent: int
    gender: str | None = None
    plural: bool = False
    name_tokens: tuple[str, ...] = ()
    descriptor: str | None = None
    age: int | None = None
    definite: bool = True
    weak: bool = False  # a proper noun no recogniser tagged: a mention only if it names someone known
    in_quote: bool = False
    subject: bool = False
    role: str = "other"
    speaker: bool = False  # the subject of a speech cue
    label: str = ""  # the entity recogniser's label, for names
    anaphor: bool = False  # "the company": stands for the organisation just named
    governor: Mention | None = None  # for "Lind says he has lost weight": the mention "Lind"
    owner: Mention | None = None  # for "Vell's staff": the mention "Vell", who is not the staff
    opens_sentence: bool = False  # the sentence's first words ("Justice Jane Doe directed ...")
    apposed: bool = False  # a description in apposition follows it ("Ivo Lind, the president of X,")
    document: bool = False  # "the complaint", "a statement": speaks for its issuer, is nobody itself
    cataphor: Mention | None = None  # "the commissioner said ... Commissioner Ana Vell": the name it is
    main: bool = False  # the subject of its sentence's main clause
    apart: list[Mention] = field(default_factory=list)  # "Kim and their son": each is not the other
    related: bool = False  # "Lind's father, Per": a first name given with whose relative they are
    noun: str = ""  # a description's head noun, lowercased: "sources" names "sources familiar with the talks" again
    entity: int | None = field(default=None)


def _marked(tok: Token) -> bool:
    """Whether a token holds a quotation mark; the possessive "’s" of "Vell’s staff" does not."""
    return tok.tag_ != "POS" and any(ch in MARK_CHARS for ch in tok.text)


def _unmarked(doc: Doc, first: int, head: int, last: int) -> tuple[int, int] | None:
    """Token bounds of a description without quotation marks; None if the head itself has one."""
    if _marked(doc[head]):
        return None
    for i in range(head - 1, first - 1, -1):
        if _marked(doc[i]):
            first = i + 1
            break
    for i in range(head + 1, last + 1):
        if _marked(doc[i]):
            last = i - 1
            break
    return first, last


def _span_text(doc: Doc, i: int, j: int) -> tuple[int, int, str]:
    span = doc[i:j]  # Span.text costs its own length; Doc.text would cost the whole article
    return span.start_char, span.end_char, span.text


def _proper(tok: Token, lex: Lexicon) -> bool:
    return (tok.tag_ == "NNP" and tok.text[:1].isupper() and tok.ent_type_ in ("", "PERSON", "ORG")
            and tok.lower_ not in lex.honorifics and tok.lower_ not in lex.person_nouns)


def _extend(span: Span, lex: Lexicon) -> Span:
    """Grow a person entity over proper nouns the tagger glued to it ("Chrissy" + "Teigen")."""
    doc, start, end = span.doc, span.start, span.end
    while True:
        if start > 0 and _proper(doc[start - 1], lex) and doc[start - 1].head.i in range(start, end + 1):
            start -= 1
        elif start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ \
                and not doc[start - 1].whitespace_ and doc[start - 2].tag_ == "NNP":
            start -= 2  # "SNC-Lavalin": the recogniser kept only the part after the hyphen
        else:
            break
    while end < len(doc) and _proper(doc[end], lex) and doc[end - 1].head.i == end:
        end += 1
    if end < len(doc) and doc[end].like_num and doc[end].head.i in range(start, end) and span.label_ == "ORG":
        end += 1  # "UFCW Local 832"
    if span.label_ == "ORG" and doc[end - 1].lower_ == "of":
        end -= 1  # the recogniser stopped at "of": "[the City of] Kesterby"
    if span.label_ == "ORG" and end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end].head.i in range(start, end):
        after = end + 1  # "the Catholic Diocese of Halden", "the City of Kesterby"
        while after < len(doc) and doc[after].tag_ == "NNP" and doc[after].text[:1].isupper():
            after += 1
        if after > end + 1:
            end = after
    return doc[start:end]


_NAME_BREAKS = {"/", "|", "\\", "(", ")", "[", "]", ":", ";", "\u2022", "\u00b7"}


def _drop_nickname(toks: list[Token]) -> list[Token]:
    """Leave out a nickname in quotation marks, and the marks, from a name."""
    out, inside = [], False
    for t in toks:
        if t.text in MARK_CHARS:
            inside = not inside
        elif not inside and any(ch.isalnum() for ch in t.text):
            out.append(t)
    return out


def _name_mention(span: Span, lex: Lexicon, sent_of: list[int], kind: str) -> Mention | None:
    """A name mention from an entity span, with honorifics and the possessive stripped."""
    span = _extend(span, lex)
    toks = [t for t in span if any(ch.isalnum() for ch in t.text) or t.text in _NAME_BREAKS or t.text == "-"]
    if len(toks) < len(span) and kind == NAME and any(t.text in MARK_CHARS for t in span):
        toks = _drop_nickname(list(span))  # Riefian “Ifan” Fajarsyah
    credit = [k for k, t in enumerate(toks) if t.lower_ in lex.credit_words]
    if credit and len(toks) - credit[-1] > 2:
        toks = toks[credit[-1] + 1:]  # "The Canadian Press Ana Maria Vell": a caption credit
        kind = NAME
    breaks = [k for k, t in enumerate(toks) if t.text in _NAME_BREAKS]
    if breaks:  # "Instagram / Jane Doe", a photo credit glued to a name: keep the part with the root
        pieces, lo = [], 0
        for k in breaks + [len(toks)]:
            pieces.append(toks[lo:k])
            lo = k + 1
        toks = max(pieces, key=lambda p: (any(t.i == span.root.i for t in p), len(p)))
    gender = None
    while toks and (toks[-1].tag_ == "POS" or _POSSESSIVE.fullmatch(toks[-1].text)):
        toks.pop()
    owned = [k for k, t in enumerate(toks) if t.tag_ == "POS"]
    if owned and not any(t.lower_ in lex.org_nouns for t in toks[:owned[-1]]):
        # "Brandt's Kelda": the name is Kelda's, not its owner's; but "the University of
        # Halden's School of Law" is the school's whole name
        toks = toks[owned[-1] + 1:]
    titles = []
    while toks and (toks[0].lower_ in lex.honorifics or toks[0].lower_ == "the"
                    or (kind == NAME and toks[0].lower_ in lex.person_nouns and len(toks) > 1)):
        low = toks[0].lower_
        if kind == ORG and low == "the":
            break
        gender = gender or lex.honorifics.get(low) or lex.person_nouns.get(low)
        if low in lex.person_nouns:
            titles.append(low)
        toks.pop(0)
    if not toks:
        return None
    words = []
    for k, t in enumerate(toks):
        w = "".join(ch for ch in t.text if unicodedata.category(ch) != "Cf")  # zero-width spaces, joiners
        w = _POSSESSIVE.sub("", w) or w
        w = _GLUED_AGE.sub("", w) or w
        if k and toks[k - 1].i + 1 == t.i and not toks[k - 1].whitespace_:
            words[-1] += w  # "Elwin-Hart", "O'Neill": tokens written together are one word
        else:
            words.append(w)
    if kind == NAME and not any(w[:1].isupper() for w in words):
        return None
    i, j = toks[0].i, toks[-1].i + 1
    start, end, text = _span_text(span.doc, i, j)
    head = span.root.i if i <= span.root.i < j else toks[-1].i
    return Mention(start, end, head, kind, text, sent_of[head], gender=gender,
                   name_tokens=tuple(words), descriptor=titles[-1] if titles else None)


def _title(tok: Token) -> str:
    """A description's words as a title: "prime minister" for "the Prime Minister", so that it
    tells a prime minister from a minister of transport; lowercase descriptions keep the head."""
    words = [tok.lower_]
    if tok.text[:1].isupper():
        for left in sorted((c for c in tok.children if c.dep_ == "compound" and c.i < tok.i),
                           key=lambda c: -c.i):
            if left.i != tok.i - len(words) or not left.text[:1].isupper() or left.ent_type_ == "PERSON":
                break
            words.insert(0, left.lower_)
    return " ".join(words)


def _describe(m: Mention, doc: Doc, lex: Lexicon) -> None:
    """Read what the words around a name state: "actress Kate X", "Kate X, 47,", "her husband,
    John X", "Yuni, a resident of Lampung". Known while resolving, "the actress" finds Kate X;
    and an untagged name the text calls a resident or a minister is a person's name."""
    head = doc[m.head]
    nouns = [c for c in head.children if c.dep_ == "compound" and c.i < head.i]
    for child in head.children:
        if child.dep_ != "appos":
            continue
        if child.like_num and child.text.isdigit() and 0 < int(child.text) < 120:
            m.age = m.age if m.age is not None else int(child.text)
        elif any(g.dep_ == "appos" and g.tag_ in {"NNP", "NNPS"} for g in child.children):
            continue  # "Ana Lind, 8; her brother, Ivo Lind": the brother is Ivo
        else:
            nouns.append(child)
            m.apposed = m.apposed or child.lower_ in lex.person_nouns
    if head.dep_ == "appos":
        nouns.append(head.head)
        # "Lind's father, Per,": the text introduces someone by their relation to another
        m.related = len(m.name_tokens) == 1 and head.head.lower_ in lex.person_nouns and any(
            c.dep_ == "poss" for c in head.head.children)
    noun = next((n for n in nouns if n.lower_ in lex.person_nouns), None)
    if noun is None:
        return
    m.descriptor = m.descriptor or _title(noun)
    m.gender = m.gender or lex.person_nouns[noun.lower_]
    m.weak = False


def _nominal(tok: Token, lex: Lexicon, sent_of: list[int]) -> Mention | None:
    """A description such as "the 47-year-old actress" or "the club's president"."""
    low = tok.lower_
    is_org = low in lex.org_nouns
    if low not in lex.person_nouns and not is_org:
        return None
    if tok.tag_ not in {"NN", "NNP", "NNS"} or tok.dep_ == "compound":
        return None
    if any(c.dep_ == "appos" and c.tag_ in {"NNP", "NNPS"} for c in tok.children):
        return None  # "her husband John Legend": the name carries the description
    det = [c for c in tok.children if c.dep_ in {"det", "poss"} and c.i < tok.i]
    if not det:
        return None
    first = min(c.left_edge.i if c.dep_ == "poss" else c.i for c in det)
    mods = [c for c in tok.children if c.i < tok.i and c.dep_ in {"amod", "compound", "nummod", "npadvmod"}]
    if mods:
        first = min(first, min(c.left_edge.i for c in mods))
    doc = tok.doc
    bounds = _unmarked(doc, first, tok.i, _right_edge(tok, lex))
    if bounds is None:
        return None
    start, end, text = _span_text(doc, bounds[0], bounds[1] + 1)
    age = None
    m = re.search(r"(\d{1,3})-year-old", text)
    if m:
        age = int(m.group(1))
    definite = any(c.lower_ in {"the", "this", "that"} or c.dep_ == "poss" for c in det)
    return Mention(start, end, tok.i, ORG if is_org else NOMINAL, text, sent_of[tok.i],
                   gender=None if is_org else lex.person_nouns.get(low), plural=tok.tag_ == "NNS",
                   descriptor=_title(tok), age=age, definite=definite, noun=low,
                   anaphor=definite and low in lex.org_anaphors and all(  # "the (Halden-based) company"
                       t.text.islower() or t.dep_ != "compound" for t in doc[bounds[0] + 1:tok.i]))


def _party_member(ent: Span, sent_of: list[int]) -> Mention | None:
    """A description such as "the Kentucky Republican" or "the Democrat": a party or a
    nationality (NORP) as a singular noun after "the" is one of its members, not the body."""
    root = ent.root
    if ent.label_ != "NORP" or root.tag_ != "NNP" or root.dep_ in {"compound", "amod"} or root.lower_.endswith("s"):
        return None  # "the Greens", "the Liberals" (often tagged NNP): the party, not a member
    det = [c for c in root.children if c.dep_ == "det" and c.lower_ == "the"]
    if not det:
        return None
    start, end, text = _span_text(ent.doc, det[0].i, root.i + 1)
    return Mention(start, end, root.i, NOMINAL, text, sent_of[root.i], descriptor=root.lower_)


def _subject_mention(tok: Token, lex: Lexicon, sent_of: list[int], name_words: set[str]) -> Mention | None:
    """A mention for a speaker the entity recogniser missed: "Okafor said", "officials said".

    name_words: the words of the names found in the article, so that a surname the tagger
    takes for a common noun where it opens a sentence ("Aalders says") is still a name.
    """
    doc = tok.doc
    capitalised = tok.text[:1].isupper() and (tok.i > tok.sent.start or tok.text in name_words) \
        and tok.lower_ not in lex.person_nouns and tok.lower_ not in lex.org_nouns
    if tok.tag_ in {"NNP", "NNPS"} or (tok.tag_.startswith("NN") and capitalised):
        left = tok.i
        # The words of the name before it; a capitalised one the tagger took for another
        # part of speech too ("Will Young": a modal can not be a compound, so it is a name).
        while left > 0 and doc[left - 1].dep_ == "compound" and doc[left - 1].head.i >= left and (
                doc[left - 1].tag_ == "NNP" or (doc[left - 1].text.istitle() and doc[left - 1].is_alpha)):
            left -= 1
        m = _name_mention(doc[left:tok.i + 1], lex, sent_of, NAME)
        if m is not None and tok.ent_type_ in ("ORG", "GPE", "NORP"):
            m.kind = ORG
        return m
    aged = tok.lower_ == "old" and tok.i >= 2 and doc[tok.i - 2].lower_ == "year"  # "the 36-year-old said"
    # "one of the players says", "some in the community say", "all those involved say"
    quantity = tok.tag_ in {"DT", "CD"} and tok.lower_ not in _DETERMINERS - {"one"} and any(
        (c.i > tok.i and c.dep_ in {"prep", "acl", "amod"}) or c.lower_ in {"those", "these"} for c in tok.children)
    if not tok.tag_.startswith("NN") and not aged and not quantity:
        return None
    left = min([tok.i] + [c.left_edge.i for c in tok.children if c.i < tok.i])
    while left < tok.i and doc[left].lower_ in _QUANTIFIERS and doc[left].head.i == tok.i:
        left += 1  # "many Green supporters said": the supporters are the speaker
    bounds = _unmarked(doc, left, tok.i, _right_edge(tok, lex))
    if bounds is None:
        return None
    start, end, text = _span_text(doc, bounds[0], bounds[1] + 1)
    low = tok.lower_
    definite = any(c.dep_ == "poss" or c.lower_ in {"the", "this", "that"} for c in tok.children)
    age = re.search(r"(\d{1,3})-year-old", text)
    return Mention(start, end, tok.i, ORG if low in lex.org_nouns else NOMINAL, text, sent_of[tok.i],
                   gender=lex.person_nouns.get(low), plural=tok.tag_ == "NNS" or (quantity and low != "one"),
                   definite=definite, descriptor=low if low in lex.person_nouns else None,
                   age=int(age.group(1)) if age else None, document=low in lex.speech_nouns, noun=low)


def _right_edge(tok: Token, lex: Lexicon) -> int:
    """Where a description ends: "a member of the public", not its relative clause, nor the
    name it goes on to give ("an official named Jhon Doe")."""
    right = tok.i
    for child in tok.children:
        if child.i > tok.i and (child.dep_ == "prep" or (child.dep_ == "acl" and child.tag_ == "VBN")):
            right = max(right, child.right_edge.i)  # "an official with X", "an expert cited in Y"
        elif child.i > tok.i and child.dep_ in {"amod", "compound"} and child.i == right + 1:
            right = child.right_edge.i
    doc = tok.doc
    i = tok.i + 1
    while i <= right:  # never into a relative clause or an aside
        if doc[i].text == "(" and i + 2 < len(doc) and doc[i + 1].text.isupper() and doc[i + 2].text == ")":
            right = max(right, i + 2)  # but "members of the Democratic Unionist Party (DUP)"
            i += 3
            continue
        joined = doc[i].text == "-" and not doc[i].whitespace_ and not doc[i - 1].whitespace_  # "working-class"
        if (doc[i].is_punct and not joined) or doc[i].lower_ in {"who", "which", "that", "whose", "whom", "but"} or (
                doc[i].dep_ == "acl" and doc[i].lower_ in lex.naming_verbs):
            return i - 1
        i += 1
    return right


def find(doc: Doc, lex: Lexicon, in_quote: bytearray, speakers: set[int] = frozenset()) -> list[Mention]:
    """Every mention in ``doc``, in text order, flagged when it lies inside a quote.

    in_quote: ``marks.mask`` of the quoted stretches, marks included.
    speakers: heads of cue subjects; each gets a mention even where no name or
        description list knows it, because the text says this word speaks.
    """
    sent_of = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for t in sent:
            sent_of[t.i] = n
    out: list[Mention] = []
    taken: set[int] = set()
    for ent in doc.ents:
        kind = NAME if ent.label_ in _SPEAKING_LABELS else ORG if ent.label_ in _ORG_LABELS else None
        if kind is None or ent.text.lower() in lex.channels or ent.start in taken:
            continue
        member = _party_member(ent, sent_of)
        if member is not None:  # "the Kentucky Republican": a person, described by party
            out.append(member)
            taken.update(range(ent.start, ent.end))
            continue
        if kind == ORG and ent.root.dep_ == "appos" and ent.root.head.lower_ in lex.person_nouns:
            kind = NAME  # "Lind's dad, Per," tagged a place: the description says it is a person
        m = _name_mention(ent, lex, sent_of, kind)
        if m is not None:
            m.label = ent.label_
            out.append(m)
            taken.update(range(ent.start, ent.end))
    for tok in doc:
        if tok.i in taken:
            continue
        low = tok.lower_
        if tok.text.startswith("@") and len(tok.text) > 2:
            out.append(Mention(tok.idx, tok.idx + len(tok), tok.i, HANDLE, tok.text, sent_of[tok.i],
                               name_tokens=(tok.text,)))
        elif low in lex.pronouns and tok.tag_ in {"PRP", "PRP$"}:
            gender, number = lex.pronouns[low]
            out.append(Mention(tok.idx, tok.idx + len(tok), tok.i, PRONOUN, tok.text, sent_of[tok.i],
                               gender=gender, plural=number == "p"))
        elif low in {"latter", "former"} and tok.dep_ not in {"amod", "compound"} and any(
                c.lower_ == "the" for c in tok.children):
            first = tok.i - 1 if tok.i > 0 and doc[tok.i - 1].lower_ == "the" else tok.i
            start, end, text = _span_text(doc, first, tok.i + 1)
            out.append(Mention(start, end, tok.i, LATTER if low == "latter" else FORMER, text, sent_of[tok.i]))
        elif _proper(tok, lex) and tok.ent_type_ == "" and tok.text.isalpha():
            m = _name_mention(doc[tok.i:tok.i + 1], lex, sent_of, NAME)
            if m is not None:
                m.weak = True
                out.append(m)
        else:
            m = _nominal(tok, lex, sent_of)
            if m is not None:
                out.append(m)
    covered = {t.i for m in out if not m.weak for t in doc.char_span(m.start, m.end, alignment_mode="expand") or ()}
    out = [m for m in out if not (m.weak and m.head in speakers)]
    name_words = {w for m in out if m.kind == NAME and not m.weak for w in m.name_tokens}
    for i in sorted(speakers - covered):
        m = _subject_mention(doc[i], lex, sent_of, name_words)
        if m is not None:
            out.append(m)
    seen: set[tuple[int, int]] = set()
    unique = []
    for m in out:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            unique.append(m)
    out = unique
    token_at = {t.idx: t for t in doc}
    for m in out:
        first = token_at.get(m.start)
        m.opens_sentence = first is not None and all(  # titles aside: "Justice Jane Doe directed"
            t.is_punct or t.is_space or t.lower_ in lex.honorifics or t.lower_ in lex.person_nouns
            for t in doc[first.sent.start:first.i])
        if m.kind == NAME:
            _describe(m, doc, lex)
        dep = doc[m.head].dep_
        m.subject = dep in {"nsubj", "nsubjpass"} or m.head in speakers
        m.main = dep in {"nsubj", "nsubjpass"} and doc[m.head].head.i == doc[m.head].sent.root.i
        m.speaker = m.head in speakers
        m.role = ("subject" if m.subject else "possessive" if dep == "poss"
                  else "modifier" if dep in {"compound", "amod", "nmod", "npadvmod"} else "other")
        m.in_quote = bool(in_quote[m.start] and in_quote[m.end - 1])
    out.sort(key=lambda m: (m.start, -m.end))
    _link_governors(doc, out)
    _link_cataphors(out)
    _keep_conjuncts_apart(doc, out)
    return out


def _keep_conjuncts_apart(doc: Doc, mentions: list[Mention]) -> None:
    """Two people named together ("Kim and their son stayed") are never one: each conjunct is
    kept apart from the mention it is joined to."""
    at = {m.head: m for m in mentions}
    for m in mentions:
        head = doc[m.head]
        first = at.get(head.head.i) if head.dep_ == "conj" else None
        if first is not None and first is not m:
            m.apart.append(first)
            first.apart.append(m)


def _link_cataphors(mentions: list[Mention]) -> None:
    """Note the name a description speaks ahead of: "the league commissioner said ... league
    commissioner Ana Vell said in a statement" (the next two sentences, the same title)."""
    for k, m in enumerate(mentions):
        if m.kind != NOMINAL or not m.definite or m.plural or not m.descriptor or m.in_quote or m.owner:
            continue
        for later in mentions[k + 1:]:
            if later.sent > m.sent + 2:
                break
            if later.kind == NAME and not later.in_quote and later.descriptor == m.descriptor:
                m.cataphor = later
                break


def _link_governors(doc: Doc, mentions: list[Mention]) -> None:
    """Note who owns a description ("Vell's staff"), and give a possessive pronoun, or the
    subject of a subordinate clause, the nearest clause subject before it: in "X says he is
    happy", "X, whose injury kept her home, opted" and "X, the partner with his
    father, says", the pronoun is X unless the text says otherwise, far more often than
    salience alone would guess. Objects ("told him") are
    left to salience: they rarely mean their own clause's subject."""
    at = {m.head: m for m in mentions}
    for m in mentions:
        tok = doc[m.head]
        if m.kind == NOMINAL:
            m.owner = next((at[c.i] for c in tok.children if c.dep_ == "poss" and c.i in at), None)
        if m.kind != PRONOUN or m.plural:
            continue
        if tok.tag_ == "PRP$":
            clause = tok.head
        elif tok.dep_ == "nsubj" and tok.head.dep_ in {"ccomp", "advcl", "conj", "relcl"}:
            clause = tok.head.head
        else:
            continue
        for _ in range(6):
            subj = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < tok.i), None)
            if subj is not None and subj.i != tok.i:
                if subj.i in at and at[subj.i].kind in (NAME, NOMINAL, PRONOUN):
                    m.governor = at[subj.i]
                break
            if clause.head is clause:
                break
            clause = clause.head
