"""Candidate pairs of occurrences by MinHash LSH over word windows, in near-linear time.

Each text is cut into windows (``same_quote.windows``); each window gets a
datasketch ``MinHash`` of its telling word bigrams (fixed seed, so every run
draws the same permutations), and windows whose signatures agree on all
``ROWS`` rows of some band share a bucket. Texts with a window in a common bucket are
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

import functools
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash
from numpy.lib.stride_tricks import sliding_window_view

from .same_quote import BANDS, NUM_PERM, ROWS, SEED, WINDOW, bigrams, window_starts

MAX_BUCKET = 20
NEIGHBOURS = 3
# Odd multiplier (2^64 / golden ratio) that folds a band's rows into one 64-bit key.
_FOLD = np.uint64(0x9E3779B97F4A7C15)


@functools.lru_cache(maxsize=1)
def _minhash() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED)


@functools.lru_cache(maxsize=1 << 16)
def _permuted(shingle: bytes) -> np.ndarray:
    """The MinHash of the one-shingle set {shingle}: its hash under every permutation.

    A window's MinHash is the element-wise minimum of its shingles' (that is all
    ``MinHash.update_batch`` computes), so each shingle is hashed once, however
    many windows and texts it is in, and windows are reduced with numpy.
    """
    m = _minhash()
    m.clear()
    m.update(shingle)
    return m.hashvalues.copy()


def window_signatures(seq: Sequence[str]) -> np.ndarray:
    """datasketch MinHash signatures of the windows of one text (``same_quote.windows``), windows x NUM_PERM.

    seq: the text's normalised words (``same_quote.norms``), not empty.
    """
    pairs = bigrams(seq)
    if not pairs:
        return _permuted(seq[0].encode())[None, :]
    every = np.stack([_permuted(b) for b, _ in pairs])
    telling = np.array([t for _, t in pairs])
    only = np.where(telling[:, None], every, np.iinfo(every.dtype).max)  # never below a real minimum
    span = WINDOW - 1  # bigrams in a full window
    if len(pairs) <= span:
        return (only if telling.any() else every).min(axis=0, keepdims=True)
    starts = window_starts(len(seq))
    some = sliding_window_view(telling, span).any(axis=-1)[starts]
    return np.where(some[:, None], sliding_window_view(only, span, axis=0).min(axis=-1)[starts],
                    sliding_window_view(every, span, axis=0).min(axis=-1)[starts])


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """One 64-bit key per window and band (windows x BANDS); equal rows give equal keys."""
    rows = sigs.astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    keys = np.zeros((len(sigs), BANDS), dtype=np.uint64)
    for r in range(ROWS):
        keys = keys * _FOLD + rows[:, :, r]  # wraps modulo 2^64, as intended
    return keys


def _band_pairs(keys: np.ndarray, owners: np.ndarray, n: int) -> list[np.ndarray]:
    """Pairs of texts sharing a bucket in one band, encoded ``later * n + earlier``.

    Members of a bucket are sorted by text index; a pair is two members at most
    ``d`` places apart, for every ``d`` below the bucket's size, or at most
    ``NEIGHBOURS`` apart in a bucket over ``MAX_BUCKET``.
    """
    order = np.lexsort((owners, keys))
    k, o = keys[order], owners[order]
    keep = np.ones(len(k), dtype=bool)
    keep[1:] = (k[1:] != k[:-1]) | (o[1:] != o[:-1])  # one entry per text and bucket
    k, o = k[keep], o[keep]
    first = np.ones(len(k), dtype=bool)
    first[1:] = k[1:] != k[:-1]
    bucket = np.cumsum(first) - 1
    size = np.bincount(bucket)[bucket]
    big = size > MAX_BUCKET
    small_sizes = size[~big]
    reach = max(int(small_sizes.max()) - 1 if len(small_sizes) else 0, NEIGHBOURS if big.any() else 0)
    out = []
    for d in range(1, reach + 1):
        same = bucket[d:] == bucket[:-d]
        if d > NEIGHBOURS:
            same &= ~big[d:]
        if same.any():
            out.append(o[d:][same] * n + o[:-d][same])
    return out


def pairs(texts: Sequence[Sequence[str]]) -> list[list[int]]:
    """For each text, the earlier texts (lower index) it shares an LSH bucket with, sorted.

    texts: normalised words, ordered by rank (the clustering passes longest first),
        so "earlier" means "at least as long" and buckets are paired in rank order.
    """
    n = len(texts)
    if n == 0:
        return []
    # Only the band keys are kept: 8 bytes a band and window, a quarter of the signature.
    per_text = [band_keys(window_signatures(seq)) for seq in texts]
    owners = np.repeat(np.arange(n, dtype=np.int64), [len(k) for k in per_text])
    keys = np.concatenate(per_text)
    del per_text
    # A pair recurs in many windows and bands: drop repeats within each band first,
    # so memory holds each band's distinct pairs, not every collision.
    per_band = [np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *_band_pairs(keys[:, band], owners, n)]))
                for band in range(BANDS)]
    codes = np.unique(np.concatenate(per_band))
    later, earlier = codes // n, codes % n  # sorted by later, then earlier
    bounds = np.searchsorted(later, np.arange(n + 1))
    return [earlier[bounds[i]:bounds[i + 1]].tolist() for i in range(n)]
