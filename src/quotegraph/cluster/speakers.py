"""Who said a quote, by a confidence-weighted vote over its occurrences (as Quotebank does).

Each occurrence votes for the speaker the extractor gave it, with the
extractor's confidence as the weight; a speaker's share is their votes over
all votes. An occurrence with no speaker does not vote, so a quote that one
outlet attributes and three leave unattributed still has its speaker.

Names are compared as ``people.normalise_name`` folds them, and a one-word
name ("Varholm") counts for the one multi-word candidate of the same quote
whose first or last word it is ("Ines Varholm"): within one quote the
surname alone means that person, as an article's later mentions do.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .people import normalise_name


def vote(ballots: Iterable[tuple[str | None, float]]) -> tuple[tuple[str, float], ...]:
    """Vote shares per speaker, best first (ties by name); empty when no occurrence names one.

    ballots: (speaker name or None, confidence in [0, 1]) per occurrence, in a fixed order
        (the clustering passes them in key order, so float sums are reproducible).
    RETURNS: (name as most weightily written, share) pairs; the shares add up to 1.
        When every named occurrence has confidence 0, each counts as one vote.
    """
    named = [(name, confidence) for name, confidence in ballots if normalise_name(name)]
    if named and not any(c > 0 for _, c in named):
        named = [(name, 1.0) for name, _ in named]
    weight: dict[str, float] = defaultdict(float)
    spellings: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for name, confidence in named:
        norm = normalise_name(name)
        weight[norm] += confidence
        spellings[norm][name or ""] += confidence
    full = [n for n in weight if " " in n]
    for norm in [n for n in weight if " " not in n]:
        meant = [f for f in full if norm in (f.split()[0], f.split()[-1])]
        if len(meant) == 1:
            weight[meant[0]] += weight.pop(norm)
    total = sum(weight.values())
    shares = [(_display(spellings[n]), w / total) for n, w in weight.items()]
    return tuple(sorted(shares, key=lambda p: (-p[1], p[0])))


def _display(spellings: dict[str, float]) -> str:
    """The spelling of a name with the most weight behind it (then the longest, then the first)."""
    return min(spellings, key=lambda s: (-spellings[s], -len(s), s))
