"""Word lists that drive extraction, read from ``quotegraph/data/*.txt``.

Cue words live in data files, not in code, so they can be reviewed and extended
without touching the logic. Each list is read once per process.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("quotegraph.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _forms(name: str) -> dict[str, str]:
    """Map every listed form to its lemma (the first word of its line)."""
    out: dict[str, str] = {}
    for line in _lines(name):
        words = line.split()
        for w in words:
            out.setdefault(w, words[0])
    return out


def _after(name: str) -> dict[str, frozenset[str]]:
    """Map every word to the prepositions of the lines that list it ("for call calls ...")."""
    out: dict[str, set[str]] = {}
    for line in _lines(name):
        prep, *forms = line.split()
        for f in forms:
            out.setdefault(f, set()).add(prep)
    return {f: frozenset(preps) for f, preps in out.items()}


def _gendered(name: str) -> dict[str, str | None]:
    """Map a word or phrase to the gender it states ("female", "male" or None)."""
    genders = {"f": "female", "m": "male", "-": None}
    out: dict[str, str | None] = {}
    for line in _lines(name):
        *words, g = line.split()
        out[" ".join(words)] = genders[g]
    return out


@dataclass(frozen=True)
class Lexicon:
    """All word lists, keyed by lowercase form."""

    speech_verbs: dict[str, str]
    belief_verbs: dict[str, str]
    intention_verbs: dict[str, str]
    stance_verbs: dict[str, str]
    evidence_verbs: dict[str, str]
    evidence_nouns: dict[str, str]
    prep_cues: dict[str, frozenset[str]]
    raising_verbs: dict[str, str]
    speech_nouns: frozenset[str]
    person_nouns: dict[str, str | None]
    org_nouns: frozenset[str]
    pronouns: dict[str, tuple[str | None, str]]
    honorifics: dict[str, str | None]
    channels: dict[str, str]
    credit_words: frozenset[str]
    org_anaphors: frozenset[str]
    teasers: frozenset[str]
    naming_verbs: frozenset[str]
    place_bodies: frozenset[str]


@functools.lru_cache(maxsize=1)
def load() -> Lexicon:
    """The lexicon bundled with quotegraph."""
    pronouns = {}
    for line in _lines("pronouns.txt"):
        word, g, number = line.split()
        pronouns[word] = ({"f": "female", "m": "male", "-": None}[g], number)
    channels = {}
    for line in _lines("channels.txt"):
        phrase, _, label = line.partition("\t")
        channels[phrase.strip()] = label.strip()
    return Lexicon(
        speech_verbs=_forms("speech_verbs.txt"),
        belief_verbs=_forms("belief_verbs.txt"),
        intention_verbs=_forms("intention_verbs.txt"),
        stance_verbs=_forms("stance_verbs.txt"),
        evidence_verbs=_forms("evidence_verbs.txt"),
        evidence_nouns=_forms("evidence_nouns.txt"),
        prep_cues=_after("prep_cues.txt"),
        raising_verbs=_forms("raising_verbs.txt"),
        speech_nouns=frozenset(_lines("speech_nouns.txt")),
        person_nouns=_gendered("person_nouns.txt"),
        org_nouns=frozenset(_lines("org_nouns.txt")) | frozenset(_lines("org_anaphors.txt")),
        pronouns=pronouns,
        honorifics=_gendered("honorifics.txt"),
        channels=channels,
        credit_words=frozenset(_lines("credit_words.txt")),
        org_anaphors=frozenset(_lines("org_anaphors.txt")),
        teasers=frozenset(_lines("teasers.txt")),
        naming_verbs=frozenset(_lines("naming_verbs.txt")),
        place_bodies=frozenset(_lines("place_bodies.txt")),
    )
