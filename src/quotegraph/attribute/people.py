"""The people of an article as output records: what the text states about each one.

Descriptors, ages and genders are gathered while resolving (``mentions._describe``
reads them next to names); this module only decides who is listed and how.
"""
from __future__ import annotations

from ..model import Person
from .resolve import Entity, Resolver


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
