"""The spaCy component: quotegraph inside a pipeline someone already runs."""
import pytest
import spacy

from quotegraph.model import ArticleResult
from quotegraph.options import DEFAULT_MODEL

pytestmark = pytest.mark.slow

TEXT = (
    "Mara Lindqvist opened the new library in Harwick on Saturday.\n\n"
    '"Books are the cheapest ticket out of town," the mayor said. "Use them."\n\n'
    "She added that the council would keep it open on Sundays."
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("quotegraph")  # found through the package's spacy_factories entry point
    return nlp


def test_components_add_pipe_by_name(nlp):
    assert nlp.pipe_names[-1] == "quotegraph"


def test_components_results_on_the_doc(nlp):
    doc = nlp(TEXT)
    result = doc._.quotegraph
    assert isinstance(result, ArticleResult)
    quotes = {q.text: q for q in result.quotes}
    direct = next(q for q in result.quotes if q.text.startswith("Books are"))
    assert direct.type == "direct" and direct.speaker == "Mara Lindqvist"
    reported = next(q for q in result.quotes if q.type == "indirect")
    assert reported.text.startswith("the council would keep it open")
    assert reported.speaker == "Mara Lindqvist", quotes
    for q in result.quotes:
        assert all(doc.text[s:e] for s, e in q.spans)
        assert q.text == doc.text[q.start:q.end]


def test_components_pipe_many_docs(nlp):
    docs = list(nlp.pipe([TEXT, "Nothing was said here."]))
    assert docs[0]._.quotegraph.quotes
    assert docs[1]._.quotegraph.quotes == ()
