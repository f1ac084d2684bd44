"""People across articles: which per-article person records are one person.

Within an article the engine already resolved "Dr Halina Osterby", "Osterby"
and "she" to one person; across articles only the name and the evidence
around it are left. A wrong merge puts one person's words in another's mouth,
which is worse than a missed one, so the rules are strict:

- records merge by *full name* (two words or more), compared without case,
  accents, punctuation or honorifics ("Dr. José Núñez" = "jose nunez");
- and only with compatible evidence: stated genders must agree, and two
  records that both list social handles must share one; descriptors never
  contradict (an actress can be a director) but choose between namesakes;
- people who only share a surname never merge ("Ines Varholm" and "Jonas
  Varholm");
- a bare one-word name ("Osterby") merges only when exactly one full-named
  person in the corpus could be meant, and that person's evidence is
  compatible; otherwise it stays alone;
- a record named by a handle ("@wexmoorwalker") joins the one person who lists
  that handle, else the other records with the same handle.

The result is deterministic: records are taken in key order and ties go to
the group with the smallest key.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .. import lexicon
from ..errors import Messages

_NOT_WORD = re.compile(r"[^\w@]+")


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person as one article knows them (a row of the store's per-article people).

    key: the store's per-article person row id, unique.
    article: the article's key.
    name, gender, descriptors, handles: as ``quotegraph.Person`` gives them.
    """

    key: int
    article: str
    name: str
    gender: str | None = None
    descriptors: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()


def normalise_name(name: str | None) -> str:
    """A name without case, accents, punctuation or honorifics: "Dr. José Núñez" -> "jose nunez"."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    bare = bare.replace("'", "").replace("’", "")
    honorifics = lexicon.load().honorifics
    words = _NOT_WORD.sub(" ", bare).split()
    while len(words) > 1 and (words[0] in honorifics or words[0] + "." in honorifics):
        words.pop(0)
    return " ".join(words)


def _handle(h: str) -> str:
    return "@" + h.casefold().lstrip("@")


class _Person:
    """A growing group of records taken for one person, with the evidence they carry."""

    __slots__ = ("descriptors", "genders", "handles", "keys")

    def __init__(self) -> None:
        self.keys: list[int] = []
        self.genders: set[str] = set()
        self.handles: set[str] = set()
        self.descriptors: set[str] = set()

    def compatible(self, r: PersonRecord) -> bool:
        if r.gender and self.genders and r.gender not in self.genders:
            return False
        handles = {_handle(h) for h in r.handles}
        return not (handles and self.handles and not handles & self.handles)

    def affinity(self, r: PersonRecord) -> int:
        """Shared evidence: handles count more than descriptors."""
        handles = {_handle(h) for h in r.handles}
        return 2 * len(handles & self.handles) + len({d.casefold() for d in r.descriptors} & self.descriptors)

    def add(self, r: PersonRecord) -> None:
        self.keys.append(r.key)
        if r.gender:
            self.genders.add(r.gender)
        self.handles |= {_handle(h) for h in r.handles}
        self.descriptors |= {d.casefold() for d in r.descriptors}


def _best(people: list[_Person], r: PersonRecord) -> _Person | None:
    """The compatible person with the most shared evidence (the earliest on a tie)."""
    fits = [p for p in people if p.compatible(r)]
    return max(fits, key=lambda p: (p.affinity(r), -p.keys[0])) if fits else None


def merge_people(records: Iterable[PersonRecord]) -> list[tuple[int, ...]]:
    """Group per-article person records into people.

    records: every person record of the corpus (each key once).
    RETURNS: groups of record keys, each sorted, the groups sorted by their first key;
        every record is in exactly one group.
    Raises ValueError (E043) when two records share a key.
    """
    rows = sorted(records, key=lambda r: r.key)
    keys = [r.key for r in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(Messages.E043)
    named: dict[str, list[_Person]] = defaultdict(list)
    bare: list[tuple[PersonRecord, str]] = []
    handled: list[tuple[PersonRecord, str]] = []
    alone: list[PersonRecord] = []
    for r in rows:
        name = normalise_name(r.name)
        if not name:
            alone.append(r)
        elif name.startswith("@") and " " not in name:
            handled.append((r, name))
        elif " " not in name:
            bare.append((r, name))
        else:
            person = _best(named[name], r)
            if person is None:
                person = _Person()
                named[name].append(person)
            person.add(r)

    # Who a one-word name could be: every full-named person with that first or last name.
    by_word: dict[str, list[_Person]] = defaultdict(list)
    by_handle: dict[str, list[_Person]] = defaultdict(list)
    for name in sorted(named):
        words = name.split()
        for person in named[name]:
            for w in {words[0], words[-1]}:
                by_word[w].append(person)
            for h in sorted(person.handles):
                by_handle[h].append(person)
    groups: list[list[int]] = []
    for r, word in bare:
        could_be = by_word.get(word, [])
        if len(could_be) == 1 and could_be[0].compatible(r):
            could_be[0].add(r)
        else:
            groups.append([r.key])
    own_handles: dict[str, list[int]] = defaultdict(list)
    for r, handle in handled:
        could_be = by_handle.get(handle, [])
        if len(could_be) == 1:
            could_be[0].add(r)
        else:
            own_handles[handle].append(r.key)
    groups += list(own_handles.values())
    groups += [p.keys for people in named.values() for p in people]
    groups += [[r.key] for r in alone]
    return sorted((tuple(sorted(g)) for g in groups), key=lambda g: g[0])
