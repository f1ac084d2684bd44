"""The same quote across outlets, and the same person across articles: pure functions, no database.

``cluster_quotes`` groups quote occurrences into quotes, with a canonical form,
wording variants and a speaker vote; ``merge_people`` groups per-article person
records into people. Both are deterministic and independent of input order,
so a store can recompute them after every ingest. What counts as "the same
quote" is defined once, in ``quotegraph.cluster.same_quote``.
"""
from .people import PersonRecord, merge_people
from .quotes import Occurrence, QuoteCluster, cluster_quotes
from .variants import Change, Variant

__all__ = ["Change", "Occurrence", "PersonRecord", "QuoteCluster", "Variant", "cluster_quotes", "merge_people"]
