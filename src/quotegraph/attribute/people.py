"""What the text states about each person: descriptors, age, gender, handles.

Descriptions next to a name ("actress Kate Beckinsale", "John Smith, 47,",
"her husband John Legend", "Jane Doe, the club's president") are attached to
the named entity; the output keeps only what the text itself states.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..lexicon import Lexicon
from ..model import Person
from .mentions import NAME, Mention
from .resolve import Entity, Resolver


def _age(tok: Token) -> int | None:
    if tok.like_num and tok.text.isdigit() and 0 < int(tok.text) < 120:
        return int(tok.text)
    return None


def describe_names(doc: Doc, mentions: list[Mention], resolver: Resolver, lex: Lexicon) -> None:
    """Attach appositions and title-like compounds to the entities of name mentions."""
    for m in mentions:
        if m.kind != NAME or m.entity is None:
            continue
        e = resolver.entities[m.entity]
        head = doc[m.head]
        for child in head.children:
            low = child.lower_
            if child.dep_ == "compound" and child.i < head.i and low in lex.person_nouns:
                resolver.describe(e, low, lex.person_nouns[low], None)
            elif child.dep_ == "appos":
                age = _age(child)
                if age is not None:
                    e.ages[age] += 1
                elif child.lower_ in lex.person_nouns:
                    resolver.describe(e, child.lower_, lex.person_nouns[child.lower_], None)
        if head.dep_ == "appos" and head.head.lower_ in lex.person_nouns:
            noun = head.head.lower_
            resolver.describe(e, noun, lex.person_nouns[noun], None)


def people(resolver: Resolver, speakers: set[int]) -> tuple[list[Person], dict[int, str]]:
    """Output records for the article's named people and its speakers, and entity id -> person id.

    Organisations and unnamed people ("a spokesperson") are listed only when they speak:
    everything else the text mentions in passing would only be noise to a reader.
    """
    out: list[Person] = []
    ids: dict[int, str] = {}
    for e in resolver.entities:
        if not e.mentions or (e.kind != "person" and e.id not in speakers):
            continue
        pid = f"p{len(out) + 1}"
        ids[e.id] = pid
        out.append(_person(e, pid))
    return out, ids


def _person(e: Entity, pid: str) -> Person:
    descriptors = tuple(d for d, _ in e.descriptors.most_common() if d)
    age = e.ages.most_common(1)[0][0] if e.ages else None
    kind = {"person": "person", "organisation": "organisation"}.get(e.kind, "unnamed")
    return Person(
        id=pid, name=e.name, gender=e.gender if kind != "organisation" else None,
        descriptors=descriptors, age=age, handles=tuple(e.handles),
        mentions=tuple(sorted({(m.start, m.end) for m in e.mentions})), kind=kind)
