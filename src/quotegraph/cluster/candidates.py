"""Candidate pairs of occurrences by MinHash LSH over word windows, in near-linear time.

Each text is cut into windows (``same_quote.windows``); each window gets a
datasketch ``MinHash`` of its word bigrams (fixed seed, so every run draws the
same permutations), and windows whose signatures agree on all ``ROWS`` rows
of some band share a bucket. Texts with a window in a common bucket are
candidates; ``same_quote.match`` then confirms or rejects them.

The banding is done here, by sorting band keys with numpy, rather than by
``datasketch.MinHashLSH``, for two reasons: a bucket's size must be known
before its members are paired up, to guard against the quadratic blow-up of
boilerplate ("I don't know what", "at the end of the day" shared by thousands
of quotes); and a few bytes a band per window keep 1M occurrences in memory.

The guard: a bucket of more than ``MAX_BUCKET`` texts pairs each member only
with the ``NEIGHBOURS`` members next to it in rank order (longest first), so
its cost is linear in its size. A quote repeated by hundreds of outlets still
chains together through its neighbours; distinct quotes that merely share a
phrase are compared a few times each instead of with everyone.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from datasketch import MinHash

from .same_quote import BANDS, NUM_PERM, ROWS, SEED, windows

MAX_BUCKET = 50
NEIGHBOURS = 3
# Odd multiplier (2^64 / golden ratio) that folds a band's rows into one 64-bit key.
_FOLD = np.uint64(0x9E3779B97F4A7C15)


def signatures(texts: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of every window of every text, and the text each window belongs to.

    texts: normalised words of each text (``same_quote.norms``), none empty.
    RETURNS: (windows x NUM_PERM uint32 signatures, owner index per window).
    """
    shingles: list[list[bytes]] = []
    owners: list[int] = []
    for i, seq in enumerate(texts):
        ws = windows(seq)
        shingles.extend(ws)
        owners.extend([i] * len(ws))
    if not shingles:
        return np.zeros((0, NUM_PERM), dtype=np.uint32), np.zeros(0, dtype=np.int64)
    sigs = np.vstack([m.hashvalues for m in MinHash.generator(shingles, num_perm=NUM_PERM, seed=SEED)])
    return sigs, np.asarray(owners, dtype=np.int64)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """One 64-bit key per window and band (windows x BANDS); equal rows give equal keys."""
    rows = sigs.astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    keys = np.zeros((len(sigs), BANDS), dtype=np.uint64)
    for r in range(ROWS):
        keys = keys * _FOLD + rows[:, :, r]  # wraps modulo 2^64, as intended
    return keys


def _bucket_pairs(members: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (earlier, later) within one bucket of distinct text indexes, sorted."""
    n = len(members)
    if n <= MAX_BUCKET:
        return [(int(members[a]), int(members[b])) for b in range(1, n) for a in range(b)]
    return [(int(members[a]), int(members[b])) for b in range(1, n) for a in range(max(0, b - NEIGHBOURS), b)]


def pairs(texts: Sequence[Sequence[str]]) -> list[list[int]]:
    """For each text, the earlier texts (lower index) it shares an LSH bucket with, sorted.

    texts: normalised words, ordered by rank (the clustering passes longest first),
        so "earlier" means "at least as long" and buckets are paired in rank order.
    """
    found: list[set[int]] = [set() for _ in texts]
    sigs, owners = signatures(texts)
    if len(sigs) == 0:
        return [[] for _ in texts]
    keys = band_keys(sigs)
    for band in range(BANDS):
        order = np.lexsort((owners, keys[:, band]))
        k, o = keys[order, band], owners[order]
        bounds = np.flatnonzero(np.diff(k)) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [len(k)]))
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            members = np.unique(o[s:e])  # sorted, one per text
            if len(members) > 1:
                for a, b in _bucket_pairs(members):
                    found[b].add(a)
    return [sorted(f) for f in found]
