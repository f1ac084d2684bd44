"""Cluster quote occurrences across articles into quotes: ``cluster_quotes``.

The store calls this after every ingest, on every occurrence of the corpus,
and a killed-and-rerun ingest must give the identical database, so the result
depends only on the *set* of occurrences: the input is sorted by key first,
MinHash permutations come from a fixed seed, and every choice breaks ties by
key. No two occurrences are aligned unless an index made them candidates
(MinHash LSH for quotes, exact word runs for fragments, shared words for
reports), each capped against common phrases, so the cost grows near-linearly
with the corpus (``benchmarks/cluster.py``).

Three passes, each adding to the clusters of the one before:

1. *Quoted* occurrences (direct or partial) of at least ``MIN_WORDS`` words,
   longest first. Each is compared with the longer candidates LSH found for
   it (``same_quote.match``, a few per existing cluster). A full-length match
   (a variant of the whole quote) joins the two clusters; otherwise a cut
   joins the cluster of the container it fits best, but only when no other
   cluster fits as well: a phrase that two different quotes share links
   neither to the other.
2. Shorter quoted fragments ("in full", "It's time") match only as an exact
   run of words, and join a cluster only when exactly one cluster contains
   them; fragments of ``REPEATED_WORDS`` words or more also join their exact
   repeats.
3. Indirect reports that quote fragments ("would publish the findings 'in
   full'") join the one cluster whose quotes hold those fragments; other
   reports join the one cluster whose longest quote they paraphrase best
   (``same_quote.paraphrase_score``), their candidates coming from the words
   they share with it, skipping words so common they prove nothing.
   Reports never join each other: without quotation marks, two reports of the
   same event are not one quote.

Then each cluster gets its canonical form, the variants, and a speaker vote.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import Messages
from ..model import Quote
from . import candidates
from .same_quote import (
    MIN_WORDS,
    PARAPHRASE_WORDS,
    SPLIT,
    Word,
    content,
    fragments,
    match,
    paraphrase_score,
    words,
)
from .speakers import vote
from .variants import Variant, compare

TYPES = ("direct", "partial", "indirect")
# Candidates of one cluster aligned with an occurrence before giving up on that cluster.
PER_CLUSTER = 3
# A content word found in more clusters than this proves nothing about a paraphrase.
MAX_POSTINGS = 50
# Fragments (under MIN_WORDS words) with the same words are one quote from this length.
REPEATED_WORDS = 5
# Scores closer than this are a tie between two clusters: the occurrence is ambiguous.
TIE = 1e-9


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One quote as one article gives it.

    key: the store's occurrence id, stable and unique.
    text: the quote's content (``Quote.text``); the pieces of an interrupted quote
        joined by ``" ... "`` (``from_quote`` does that).
    type: "direct", "partial" or "indirect".
    article: the article's key.
    date: the article's ISO date (YYYY-MM-DD), or None.
    outlet: the publishing outlet, or None.
    speaker: the extractor's speaker name, or None.
    confidence: the extractor's confidence in that speaker, in [0, 1].
    """

    key: int
    text: str
    type: str
    article: str
    date: str | None
    outlet: str | None
    speaker: str | None
    confidence: float

    @classmethod
    def from_quote(cls, key: int, quote: Quote, *, article: str, date: str | None = None,
                   outlet: str | None = None) -> Occurrence:
        """The occurrence of a ``quotegraph.Quote``, its pieces joined with ``" ... "``.

        ``Quote.text`` runs from the first piece to the last, the attribution
        between them included, so the pieces are cut out of it by ``spans``.
        """
        pieces = [quote.text[s - quote.start:e - quote.start] for s, e in quote.spans] or [quote.text]
        return cls(key, SPLIT.join(pieces), quote.type, article, date, outlet, quote.speaker, quote.confidence)


@dataclass(frozen=True, slots=True)
class QuoteCluster:
    """One quote and all its occurrences.

    members: occurrence keys, sorted.
    canonical: key of the fullest faithful form: the direct occurrence with the
        most words, unsplit before split, then the earliest (partial, then
        indirect, only when the cluster has no direct occurrence).
    earliest: key of the earliest occurrence (by date, then key; undated last).
    speakers: (speaker, vote share) pairs, best first.
    speaker: the winner, or None when no occurrence names a speaker.
    variants: one per member, in member order.
    altered: some member changes the wording (a misquote).
    """

    members: tuple[int, ...]
    canonical: int
    earliest: int
    speakers: tuple[tuple[str, float], ...]
    speaker: str | None
    variants: tuple[Variant, ...]
    altered: bool


class _Forest:
    """Union-find whose root is always the member that came first in the processing order."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _checked(occurrences: Iterable[Occurrence]) -> list[Occurrence]:
    occs = sorted(occurrences, key=lambda o: o.key)
    for prev, o in itertools.pairwise(occs):
        if prev.key == o.key:
            raise ValueError(Messages.E040.format(key=o.key))
    for o in occs:
        if o.type not in TYPES:
            raise ValueError(Messages.E041.format(key=o.key, type=o.type, types=TYPES))
        if not 0.0 <= o.confidence <= 1.0:
            raise ValueError(Messages.E042.format(key=o.key, confidence=o.confidence))
    return occs


def _link_quoted(quoted: list[int], norms: list[tuple[str, ...]], forest: _Forest, near: list[list[int]]) -> None:
    """Pass 1: quoted occurrences of ``MIN_WORDS`` words or more, indexes 0..n-1, longest first.

    near: for each, the earlier ones (lower index) it is a candidate pair with, sorted.
    """
    for i in quoted:
        by_cluster: dict[int, list[int]] = defaultdict(list)
        for j in near[i]:
            by_cluster[forest.find(j)].append(j)
        full, cuts = [], []
        for root in sorted(by_cluster):
            for j in by_cluster[root][:PER_CLUSTER]:
                m = match(norms[i], norms[j])
                if m is not None:
                    (full if m.full_length else cuts).append((m.score, root, j))
                    break
        if full:
            for _, _, j in full:
                forest.union(i, j)
        elif cuts:
            cuts.sort(key=lambda c: (-c[0], c[1]))
            if len(cuts) == 1 or cuts[1][0] < cuts[0][0] - TIE:
                forest.union(i, cuts[0][2])


def _holders(wanted: Iterable[tuple[str, ...]], pool: list[int], norms: list[tuple[str, ...]],
             forest: _Forest) -> dict[tuple[str, ...], set[int]]:
    """The clusters of ``pool`` whose quotes contain each wanted run of words, at most two each
    (two already make it ambiguous)."""
    holders: dict[tuple[str, ...], set[int]] = {f: set() for f in wanted}
    for n in sorted({len(f) for f in holders}):
        for j in pool:
            seq = norms[j]
            for s in range(len(seq) - n + 1):
                hits = holders.get(seq[s:s + n])
                if hits is not None and len(hits) < 2:
                    hits.add(forest.find(j))
    return holders


def _link_fragments(short: list[int], quoted: list[int], norms: list[tuple[str, ...]], forest: _Forest) -> None:
    """Pass 2: fragments under ``MIN_WORDS`` words.

    A fragment joins the one cluster whose quotes contain its words as a run;
    when several clusters do, it cannot say which it quotes and stays out of
    all. Fragments with the same words join each other when they have at
    least ``REPEATED_WORDS`` words; shorter ones ("No comment") are said by too
    many people to be one quote.
    """
    first: dict[tuple[str, ...], int] = {}
    for i in short:
        j = first.setdefault(norms[i], i)
        if j != i and len(norms[i]) >= REPEATED_WORDS:
            forest.union(i, j)
    holders = _holders(first, quoted, norms, forest)
    for i in short:
        hits = holders[norms[i]]
        if len(hits) == 1:
            forest.union(i, next(iter(hits)))


def _link_reports(reports: list[int], quoted: list[int], short: list[int], texts: list[str],
                  norms: list[tuple[str, ...]], forest: _Forest) -> None:
    """Pass 3: indirect reports join a quote by the fragments they quote, else by paraphrase.

    A report that puts some of its words in quotation marks ("it would publish
    the findings 'in full'") gives those words verbatim, so it joins the one
    cluster whose quotes (``quoted`` and ``short`` fragments alike) hold every
    one of its fragments as a run; a fragment held by two clusters proves nothing.
    Fragments shorter than ``REPEATED_WORDS`` words in all are common
    phrases, so they count only with ``PARAPHRASE_WORDS`` content words in
    common too. Any other report joins the cluster whose longest quote it
    paraphrases best (``same_quote.paraphrase_score``).
    """
    given = {i: found for i in reports if (found := [f for f in fragments(texts[i]) if len(f) > 1])}
    pool = quoted + short
    holders = _holders({f for found in given.values() for f in found}, pool, norms, forest)
    longest: dict[int, int] = {}
    for j in pool:  # in processing order: the first member seen is the longest
        longest.setdefault(forest.find(j), j)
    quoted_set = set(quoted)
    postings: dict[str, list[int]] = defaultdict(list)
    for root, j in longest.items():
        if j not in quoted_set:
            continue  # paraphrases are measured against quotes long enough to restate
        for w in sorted(content(norms[j])):
            postings[w].append(root)
    for i in reports:
        hits = [holders[f] for f in given.get(i, ())]
        if hits and all(len(h) == 1 for h in hits) and len(holding := set.union(*hits)) == 1:
            root = next(iter(holding))
            if (sum(map(len, given[i])) >= REPEATED_WORDS
                    or len(content(norms[i]) & content(norms[longest[root]])) >= PARAPHRASE_WORDS):
                forest.union(i, root)
                continue
        shared: dict[int, int] = defaultdict(int)
        for w in sorted(content(norms[i])):
            roots = postings.get(w, [])
            if len(roots) <= MAX_POSTINGS:
                for root in roots:
                    shared[root] += 1
        scored = sorted(((paraphrase_score(norms[i], norms[longest[root]]), root)
                         for root, n in shared.items() if n >= PARAPHRASE_WORDS), key=lambda s: (-s[0], s[1]))
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0] - TIE):
            forest.union(i, scored[0][1])


def _canonical(members: list[Occurrence], texts: dict[int, tuple[Word, ...]]) -> Occurrence:
    def rank(o: Occurrence) -> tuple:
        return (TYPES.index(o.type), -len(texts[o.key]), SPLIT in o.text, o.date is None, o.date or "", o.key)
    return min(members, key=rank)


def build_cluster(members: list[Occurrence], texts: dict[int, tuple[Word, ...]]) -> QuoteCluster:
    """One quote from its occurrences (sorted by key): canonical form, variants, speaker vote.

    texts: each member's ``words``, by key. The Spark job (``quotegraph.spark.cluster``)
    builds its clusters with this too, so both paths describe a quote alike.
    """
    canon = _canonical(members, texts)
    earliest = min(members, key=lambda o: (o.date is None, o.date or "", o.key))
    variants = tuple(
        Variant(o.key, "canonical", False, ()) if o is canon
        else compare(o.key, texts[o.key], texts[canon.key], reported=o.type == "indirect")
        for o in members)
    speakers = vote((o.speaker, o.confidence) for o in members)
    return QuoteCluster(
        members=tuple(o.key for o in members), canonical=canon.key, earliest=earliest.key,
        speakers=speakers, speaker=speakers[0][0] if speakers else None, variants=variants,
        altered=any(v.kind == "altered" for v in variants))


def _near(quoted: list[int], occs: list[Occurrence], norms: list[tuple[str, ...]],
          given: Mapping[int, Iterable[int]] | None) -> list[list[int]]:
    """Each quoted occurrence's earlier candidates: found by MinHash LSH here, or taken from ``given``."""
    if given is None:
        return candidates.pairs([norms[i] for i in quoted])
    index = {occs[i].key: i for i in quoted}
    return [sorted(j for k in given.get(occs[i].key, ()) if (j := index.get(k, i)) < i) for i in quoted]


def cluster_quotes(occurrences: Iterable[Occurrence], *,
                   near: Mapping[int, Iterable[int]] | None = None) -> list[QuoteCluster]:
    """Group occurrences of the same quote across articles; every occurrence is in one cluster.

    occurrences: the whole corpus's occurrences, in any order (keys unique).
    near: the candidate pairs of pass 1, as each key's partners (either way round); None
        finds them here (``candidates.pairs``). The Spark job clusters one connected piece
        of a corpus at a time and passes the pairs LSH found over the whole corpus, so
        that each piece comes out as it would within the whole.
    RETURNS: the clusters, singletons included, sorted by their smallest key.
    Raises ValueError (E040-E042) on a repeated key, an unknown type or a confidence outside [0, 1].
    """
    occs = _checked(occurrences)
    parsed = [words(o.text) for o in occs]
    long = [o.type != "indirect" and len(ws) >= MIN_WORDS for o, ws in zip(occs, parsed, strict=True)]
    # Processing order: long quoted occurrences longest first, then the rest; ties by key.
    # Cluster roots are always the first member in this order (see _Forest).
    order = sorted(range(len(occs)), key=lambda i: (0, -len(parsed[i]), i) if long[i] else (1, 0, i))
    occs = [occs[i] for i in order]
    texts = [parsed[i] for i in order]
    norms = [tuple(w.norm for w in ws) for ws in texts]
    forest = _Forest(len(occs))
    quoted = list(range(sum(long)))
    short = [i for i in range(len(quoted), len(occs)) if occs[i].type != "indirect" and norms[i]]
    reports = [i for i in range(len(quoted), len(occs)) if occs[i].type == "indirect" and norms[i]]

    _link_quoted(quoted, norms, forest, _near(quoted, occs, norms, near))
    _link_fragments(short, quoted, norms, forest)
    _link_reports(reports, quoted, short, [o.text for o in occs], norms, forest)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(occs)):
        groups[forest.find(i)].append(i)
    by_key = {occs[i].key: texts[i] for i in range(len(occs))}
    clusters = [build_cluster(sorted((occs[i] for i in g), key=lambda o: o.key), by_key) for g in groups.values()]
    return sorted(clusters, key=lambda c: c.members[0])
