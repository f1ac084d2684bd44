"""The only place that loads spaCy pipelines.

Components quotegraph does not read (the lemmatizer and the attribute ruler)
are excluded at load time: their output is never used, so running them would
only cost time.
"""
from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the components)
from .errors import Messages, ModelError

log = logging.getLogger(__name__)

NEEDED = ("tok2vec", "tagger", "parser", "ner")
SKIPPED = ("lemmatizer", "attribute_ruler", "senter")


@functools.lru_cache(maxsize=4)
def load(name: str) -> Language:
    """Load (once per process) the spaCy pipeline ``name`` with only what quotegraph reads."""
    try:
        nlp = spacy.load(name, exclude=list(SKIPPED))
    except OSError as exc:
        raise ModelError(Messages.E002.format(model=name)) from exc
    missing = [c for c in ("tagger", "parser", "ner") if c not in nlp.pipe_names]
    if missing:
        raise ModelError(Messages.E003.format(model=name, missing=", ".join(missing)))
    nlp.add_pipe("quotegraph_paragraphs", before="parser")
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp
