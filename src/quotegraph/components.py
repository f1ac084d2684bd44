"""spaCy components quotegraph adds to a pipeline, registered in one place.

spaCy forbids dots in factory names, so versions are not part of the names here;
the package version recorded in a saved pipeline says which behaviour it had.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("quotegraph_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every blank line, before the parser runs.

    A headline or caption has no full stop, and the parser would otherwise read
    it and the next paragraph as one sentence and hand its subject to the wrong verb.
    """
    for tok in doc[:-1]:
        if tok.is_space and "\n\n" in tok.text.replace("\r", ""):
            doc[tok.i + 1].is_sent_start = True
    return doc
