"""Attribute each quote: cue, speaker mention, resolved speaker, confidence, evidence.

Direct and partial quotes look for a speech cue next to them in the same
sentences (``"...," she said``, ``said Smith``, ``She wrote on Instagram:``).
Without one, a paragraph that holds only a quote continues the previous
quote's speaker, a partial quote goes to the person its sentence is about, and
a floating quote goes to the most salient person at that point.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..extract.candidate import Candidate
from ..lexicon import Lexicon
from .cues import channel, is_speech_verb, issuer, subject
from .mentions import NAME, NOMINAL, ORG, PRONOUN, Mention
from .resolve import Entity, Resolver

_NEAR_CHARS = 160  # how far from a quote's edge its cue may stand


def _frame_verbs(doc: Doc, cand: Candidate, quoted: bytearray, lex: Lexicon) -> list[Token]:
    """Speech verbs outside every quote, in the sentences where ``cand`` begins or ends."""
    first = doc.char_span(cand.start, cand.start + 1, alignment_mode="expand")
    last = doc.char_span(cand.end - 1, cand.end, alignment_mode="expand")
    if first is None or last is None:
        return []
    sents = {first[0].sent.start: first[0].sent, last[-1].sent.start: last[-1].sent}
    after = last[-1].i + 1
    while after < len(doc) and (doc[after].is_punct or doc[after].is_space) and not doc[after].text.startswith("\n"):
        after += 1
    verbs = [tok for sent in sents.values() for tok in sent if is_speech_verb(tok, lex) and not quoted[tok.idx]]
    if after < len(doc) and doc[after].is_sent_start:
        # '"Will it work?" asked the presenter.': the parser ends the sentence at the question mark.
        # A verb there with words of its own ("While critics say the plan fails, ...") reports
        # those, unless a pronoun says the quote's speaker goes on ("But he said it was fair").
        verbs += [tok for tok in doc[after].sent if is_speech_verb(tok, lex) and not quoted[tok.idx]
                  and (not any(c.dep_ == "ccomp" for c in tok.children) or _pronoun_subject(tok))]
    return verbs


def _pronoun_subject(verb: Token) -> bool:
    """Whether a pronoun speaks for ``verb``: one right after a quote goes on about its speaker."""
    subj = subject(verb)
    return subj is not None and subj.tag_ == "PRP"


def find_cue(doc: Doc, cand: Candidate, quoted: bytearray, lex: Lexicon) -> None:
    """Set the cue, subject and channel of a direct or partial quote, when its text has them."""
    verbs = _frame_verbs(doc, cand, quoted, lex)

    def distance(tok: Token) -> int:
        if tok.idx >= cand.end:
            return tok.idx - cand.end
        if tok.idx < cand.start:
            return cand.start - tok.idx
        return 0  # inside the envelope: it interrupts the quote

    verbs = [v for v in verbs if distance(v) <= _NEAR_CHARS]
    def speaker_of(verb: Token) -> Token | None:
        subj = subject(verb)
        return None if subj is None or quoted[subj.idx] else subj  # "nobody" inside the quote speaks for no one

    ranked = sorted(verbs, key=lambda v: (speaker_of(v) is None, distance(v)))
    for verb in ranked:
        subj = speaker_of(verb)
        cand.cue = verb.i
        cand.cue_span = (verb.idx, verb.idx + len(verb))
        cand.channel = channel(verb, lex)
        if subj is not None:
            cand.subject = subj.i
            cand.reasons.append(f"cue '{verb.text}' with subject '{subj.text}'")
            return
    if cand.cue is not None:
        cand.reasons.append(f"cue '{doc[cand.cue].text}' without a subject")


def sentence_subject(doc: Doc, cand: Candidate) -> Token | None:
    """The subject of the sentence around a partial quote ("Kate had \"collapsed inside\"")."""
    span = doc.char_span(cand.start, cand.start + 1, alignment_mode="expand")
    if span is None:
        return None
    root = span[0].sent.root
    return next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


@dataclass(slots=True)
class Attribution:
    """Who said a candidate quote, and why we think so."""

    entity: Entity | None
    mention: Mention | None
    confidence: float
    partners: list[Mention] = field(default_factory=list)  # "A and B said": B, and anyone after
    entities: list[Entity] = field(default_factory=list)
    # Whose words they are when the text's speaker mention does not name them: the issuer of
    # a document ("the study said"), the first of a group ("A and B said ... they said"). The
    # mention still shows what the text says.
    issuer: Mention | None = None

    @property
    def source(self) -> Mention | None:
        """The mention whose entity is the speaker."""
        return self.issuer or self.mention

    @property
    def speaker(self) -> str | None:
        """The speaker's fullest name; people who speak together are named together."""
        if self.entity is None:
            return None
        return " and ".join([self.entity.name] + [e.name for e in self.entities if e is not self.entity])


def _who(a: Attribution, resolver: Resolver) -> Entity | None:
    """The entity of an attribution, also when its mention was resolved after the quote."""
    if a.entity is None and a.source is not None and a.source.entity is not None:
        return resolver.entities[a.source.entity]
    return a.entity


def _interlocutor(cands: list[Candidate], result: list, k: int, text: str,
                  resolver: Resolver) -> Attribution | None:
    """In an exchange of questions and answers, the speaker whose turn it is after quote ``k``.

    Quote ``k`` answered (or asked) quote ``k - 1`` of another speaker, one of the two
    asked a question, and this paragraph holds only a quote: the turn passes back.
    """
    j = k - 1
    if j < 0 or result[j] is None or result[k] is None or cands[j].type != "direct":
        return None
    a, b = result[j], result[k]
    if _who(a, resolver) is None or _who(b, resolver) in (None, _who(a, resolver)):
        return None
    asked = any(text[c.end - 1:c.end + 1].rstrip("\"'\u201d\u2019").endswith("?") for c in (cands[j], cands[k]))
    return a if asked and cands[k].paragraph - cands[j].paragraph <= 2 else None


def _is_document(head: Token, m: Mention, lex: Lexicon) -> bool:
    """Whether a speaker mention names a thing that speaks for someone (a statement, a report,
    a database), not a person or a body: its issuer, where the text gives one, is the speaker."""
    low = head.lower_
    if low in lex.speech_nouns or low in lex.evidence_nouns:
        return True
    # Any other thing that speaks ("X's public database"); a plural is more likely people
    # the list lacks ("the school's defenders"), not the possessor's documents.
    return (m.kind in (NOMINAL, ORG) and not m.name_tokens and m.age is None and low not in lex.person_nouns
            and low not in lex.org_nouns and head.tag_ == "NN")


def _group(m: Mention, n: int, cands: list[Candidate], result: list) -> Attribution | None:
    """For "they said": the people named together as speakers just before ("A and B said ...")."""
    if m.kind != PRONOUN or not m.plural:
        return None
    for k in range(n - 1, max(-1, n - 4), -1):
        prev = result[k]
        if prev is not None and prev.partners and cands[n].paragraph - cands[k].paragraph <= 2:
            return prev
    return None


def _mention_at(by_token: dict[int, Mention], tok: int | None) -> Mention | None:
    return by_token.get(tok) if tok is not None else None


_CONFIDENCE = {NAME: 0.95, ORG: 0.9, PRONOUN: 0.85, NOMINAL: 0.8}


def assign(doc: Doc, cands: list[Candidate], mentions: list[Mention], resolver: Resolver,
           lex: Lexicon) -> list[Attribution]:
    """Walk mentions and quotes in text order, resolving and attributing as we go."""
    sent_number = {sent.start: n for n, sent in enumerate(doc.sents)}

    def sent_of(pos: int) -> int:
        span = doc.char_span(pos, pos + 1, alignment_mode="expand")
        return sent_number.get(span[0].sent.start, 0) if span is not None and len(span) else 0

    by_token: dict[int, Mention] = {}
    # Names first, then the innermost mention: "union" in "the union's release" is the union.
    for m in sorted(mentions, key=lambda m: (m.kind not in (NAME, ORG) or not m.name_tokens, m.end - m.start)):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        for t in span or ():
            by_token.setdefault(t.i, m)
    speaker_mentions = {id(_mention_at(by_token, c.subject)) for c in cands if c.subject is not None}
    # In text order, mentions before the quote at the same place, and of mentions that start
    # together the inner one first: "their" is resolved before "their son" is (it owns him).
    events: list[tuple[int, int, int, object]] = [(m.start, 0, m.end, m) for m in mentions]
    events += [(c.start, 1, 0, n) for n, c in enumerate(cands)]
    events.sort(key=lambda e: e[:3])
    result: list[Attribution | None] = [None] * len(cands)
    for _, kind, _, item in events:
        if kind == 0:
            m = item
            e = resolver.add(m)
            if e is not None and id(m) in speaker_mentions and not (
                    m.kind == NOMINAL and _is_document(doc[m.head], m, lex)):
                resolver.last_speaker = e  # a document speaks for someone else
            continue
        n = item
        c = cands[n]
        m = _mention_at(by_token, c.subject)
        im = None
        document = m is not None and _is_document(doc[m.head], m, lex)
        if document:
            # "a statement by X said", "according to X's public database": whoever issued it
            by = issuer(doc[m.head])
            im = _mention_at(by_token, by.i) if by is not None else None
            if im is not None:
                c.reasons.append(f"'{m.text}' issued by '{im.text}'")
        if m is not None:
            partners = [p for t in doc[m.head].children if t.dep_ == "conj" and m.kind in (NAME, ORG)
                        and any(w.lower_ == "and" for w in doc[m.head:t.i])
                        for p in [_mention_at(by_token, t.i)] if p is not None and p.kind in (NAME, ORG)]
            group = _group(m, n, cands, result) if not partners else None
            if group is not None:
                c.reasons.append(f"'{m.text}': the people who spoke together just before")
                result[n] = Attribution(group.entity, m, 0.8 * group.confidence, group.partners,
                                        issuer=group.source)
                continue
            who = None
            if document and im is None and m.kind == NOMINAL:
                # "A statement said" with no issuer named: the one who has just been speaking
                last = resolver.last_speaker
                if last is not None and m.sent - last.last_sent <= 1 and last.kind != "unnamed":
                    who = last
                    c.reasons.append(f"'{m.text}' names no issuer: taken as '{last.name}', who spoke just before")
            result[n] = Attribution(who, m, _CONFIDENCE.get((im or m).kind, 0.7), partners, issuer=im)
            continue
        if c.subject is not None:
            result[n] = Attribution(None, None, 0.5)
            continue
        k = next((k for k in range(n - 1, -1, -1) if result[k] is not None and cands[k].type != "partial"), None)
        prev = result[k] if k is not None else None
        if prev is not None and c.type == "direct" and (
                cands[k].paragraph == c.paragraph or (c.quote_only and cands[k].paragraph >= c.paragraph - 1)):
            same = cands[k].paragraph == c.paragraph
            other = _interlocutor(cands, result, k, doc.text, resolver) if c.quote_only and not same else None
            if other is not None:
                c.reasons.append("question-and-answer run: the other speaker's turn")
                result[n] = Attribution(other.entity, other.mention, 0.6 * other.confidence, other.partners,
                                        issuer=other.issuer)
                continue
            c.reasons.append("continues the quote before it in the same paragraph" if same
                             else "paragraph holds only a quote: continues the previous speaker")
            result[n] = Attribution(prev.entity, prev.mention, 0.8 * prev.confidence, prev.partners,
                                    issuer=prev.issuer)
            continue
        if c.type == "partial":
            subj = sentence_subject(doc, c)
            sm = _mention_at(by_token, subj.i) if subj is not None else None
            if sm is not None:
                c.reasons.append(f"partial quote in a sentence about '{sm.text}'")
                result[n] = Attribution(None, sm, 0.7)
                continue
        e = resolver.last_speaker or resolver.salient_at(
            Mention(c.start, c.start, 0, PRONOUN, "", sent=sent_of(c.start)), kinds={"person"})
        if e is not None:
            c.reasons.append("no cue: the most salient speaker at this point")
        result[n] = Attribution(e, None, 0.45 if e is not None else 0.0)
    # Mentions after their quote ("...," she said) were resolved later in the walk.
    for a in result:
        if a is None:
            continue
        if a.entity is None and a.source is not None and a.source.entity is not None:
            a.entity = resolver.entities[a.source.entity]
        a.entities = [resolver.entities[p.entity] for p in a.partners if p.entity is not None]
    out = [a or Attribution(None, None, 0.0) for a in result]
    _repeated(doc.text, cands, out)
    return out


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _repeated(text: str, cands: list[Candidate], result: list[Attribution]) -> None:
    """A quote nobody is named for whose words another, attributed quote repeats takes that
    quote's speaker: a headline quote ("'I was told to stop': engineer speaks out") is
    almost always a cut of a quote the article gives in full, with its speaker."""
    said = [(_letters(text[c.start:c.end]), a) for c, a in zip(cands, result, strict=True)
            if a.entity is not None and c.type == "direct"]
    for c, a in zip(cands, result, strict=True):
        if a.entity is not None or c.type != "direct":
            continue
        words = _letters(text[c.start:c.end])
        source = next((b for full, b in said if len(words) >= 12 and words in full), None)
        if source is not None:
            c.reasons.append(f"repeats the words of a quote by {source.speaker}")
            a.entity, a.entities, a.confidence = source.entity, source.entities, 0.7 * source.confidence


