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


if not Doc.has_extension("quotegraph"):
    Doc.set_extension("quotegraph", default=None)


class QuoteAttributor:
    """The whole of quotegraph as a pipeline component, for people who already run spaCy.

    It needs a tagger, a parser and an entity recogniser earlier in the pipeline,
    and stores the article's ``ArticleResult`` (quotes and people, offsets into
    ``doc.text``) in ``doc._.quotegraph``.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from .pipeline import analyse  # the pipeline imports this module to load models

        doc._.quotegraph = analyse(doc)
        return doc


@Language.factory("quotegraph", requires=["token.dep", "token.tag", "doc.ents"],
                  assigns=["doc._.quotegraph"])
def make_quote_attributor(nlp: Language, name: str) -> QuoteAttributor:
    """Create the ``quotegraph`` component: ``nlp.add_pipe("quotegraph")``."""
    return QuoteAttributor(nlp, name)
