"""Candidate pairs by MinHash LSH over word windows: ``quotegraph.cluster.candidates``."""
from __future__ import annotations

import random

import numpy as np
from datasketch import MinHash

from quotegraph.cluster import candidates
from quotegraph.cluster.same_quote import NUM_PERM, SEED, norms, windows

STATEMENT = norms("We will not back down. Our members have kept this service running through storms and a "
                  "pandemic, and they deserve to be treated with honour, not handed a pay cut.")


def test_candidates_signatures_are_datasketch_minhashes():
    """Each row is what datasketch's MinHash gives the window's shingles (same_quote.windows)."""
    texts = [STATEMENT, STATEMENT[:5], ("alone",), ("i", "was", "in", "the"),
             ("of", "the", "boats", "in", "the", "of", "a", "to", "the", "in", "it")]
    for seq in texts:
        expected = []
        for shingles in windows(seq):
            m = MinHash(num_perm=NUM_PERM, seed=SEED)
            m.update_batch(shingles)
            expected.append(m.hashvalues)
        assert np.array_equal(candidates.window_signatures(seq), np.vstack(expected))


def test_candidates_find_cuts_and_variants_not_strangers():
    texts = [STATEMENT, STATEMENT[10:22], norms("Nothing here is like the other texts at all, not one word pair."),
             tuple(w if w != "honor" else "respect" for w in STATEMENT)]
    found = candidates.pairs(texts)
    assert found[1] == [0]
    assert found[2] == []
    assert 0 in found[3]


def test_candidates_deterministic():
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(50)]
    texts = [tuple(rng.choice(vocab) for _ in range(rng.randint(5, 30))) for _ in range(200)]
    assert candidates.pairs(texts) == candidates.pairs(list(texts))


def test_candidates_boilerplate_grows_linearly():
    """Texts sharing a boilerplate window: pairs grow with their number, not its square."""
    boiler = norms("at the end of the day we all know")

    def total(n: int) -> int:
        found = candidates.pairs([boiler + (f"own{i}a", f"own{i}b") for i in range(n)])
        assert all(found[i] for i in range(1, n))  # each still chained to some other
        return sum(map(len, found))

    small, large = total(300), total(1200)
    assert large < 4.5 * small  # all pairs would be 16 times as many
    assert large < 1200 * candidates.MAX_BUCKET
