"""``quotegraph.parsing``: the text spaCy sees, and entities found in name windows only.

The selective entity pass must leave the Doc as a full pass would: the same
text and offsets, sentences everywhere, and the same names.
"""
from __future__ import annotations

import pytest

import quotegraph
from quotegraph import nlp as nlp_loader
from quotegraph import parsing
from quotegraph.options import Options
from quotegraph.pipeline import _parse_input

READ_LABELS = {"PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART"}

PARAGRAPHS = [
    'Elsa Marwood, who chairs the harbour board, said the pier would be rebuilt. "We have no choice," she said.',
    "repairs would cost about four million pounds, roughly twice the sum set aside last year.",
    "The council in Dunmarsh said in a statement that it would wait for an engineer's report.",
    "Tomas Reilly, a fisherman, told the Harbour Gazette that the town had let the pier rot.",
]
SEPARATORS = {
    "blank-line": "\n\n",
    "crlf": "\r\n\r\n",
    "spaces-on-blank-line": "\n   \n",
    "tabs-and-nbsp": "\n\t\u00a0\n\n",
    "single-newline": "\n",
}


@pytest.fixture(scope="module")
def nlp():
    return nlp_loader.load(Options().model)


def test_parsing_neutralise_keeps_length_and_short_punctuation():
    text = ' date 2020-01-01 He said: "No!" ' + "-" * 40 + " and " + '"' * 31 + " end."
    out = parsing.neutralise(text, 17)
    assert len(out) == len(text)
    assert out.startswith(" " * 17) and 'He said: "No!" ' in out
    assert "-" not in out and out.count('"') == 2 and out.endswith(" and " + " " * 31 + " end.")


def test_parsing_neutralise_leaves_ordinary_text_alone():
    text = "A dash -- and ... an ellipsis, a URL http://example.com/a_b?c=d, and \u201cquotes\u201d."
    assert parsing.neutralise(text) == text


@pytest.mark.slow
@pytest.mark.parametrize("sep", list(SEPARATORS.values()), ids=list(SEPARATORS))
@pytest.mark.parametrize("frame", [("", ""), ("  \n", "\n\n  "), (" date 2020-01-01 ", "\n")],
                         ids=["bare", "padded", "date-header"])
def test_parsing_selective_doc_keeps_text_sentences_and_entities(nlp, sep, frame):
    text = frame[0] + sep.join(PARAGRAPHS) + frame[1]
    seen = _parse_input(text)
    doc = next(parsing.parse([seen], nlp, selective=True))
    assert doc.text == seen and len(seen) == len(text)
    assert all(seen[t.idx:t.idx + len(t)] == t.text for t in doc)
    starts = [text.index(p) for p in PARAGRAPHS]
    for start, para in zip(starts, PARAGRAPHS, strict=True):
        span = doc.char_span(start, start + len(para), alignment_mode="expand")
        assert span is not None and list(span.sents)
        assert all(t.dep_ for t in span if not t.is_space)
    names = {e.text for e in doc.ents if e.label_ in READ_LABELS}
    assert {"Elsa Marwood", "Tomas Reilly"} <= names
    full = next(parsing.parse([seen], nlp, selective=False))
    assert [(e.start, e.end, e.label_) for e in doc.ents if e.label_ in READ_LABELS] == \
        [(e.start, e.end, e.label_) for e in full.ents if e.label_ in READ_LABELS]


@pytest.mark.slow
def test_parsing_windows_skip_closed_class_words(nlp):
    doc = nlp("The board met. In May I said it would.")
    assert parsing.name_windows(doc, 0) == [(5, 6)]  # only "May"


@pytest.mark.slow
def test_parsing_windows_as_wide_as_the_article_match_a_full_run(nlp):
    text = "\n\n".join(PARAGRAPHS * 3)
    full = next(parsing.parse([text], nlp, selective=False))
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp(text)
    parsing.recognise([doc], nlp.get_pipe("ner"), margin=len(doc))
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(e.start, e.end, e.label_) for e in full.ents]


@pytest.mark.slow
@pytest.mark.parametrize("text", ['"' * 10_000, "_" * 10_000,
                                  'She said "yes". ' + "\u201c\u201d" * 5_000 + " He said \"no\"."],
                         ids=["straight-quotes", "underscores", "curly-run-in-prose"])
def test_parsing_long_punctuation_runs_extract(text):
    result = quotegraph.extract(text)
    assert all(text[q.start:q.end] == q.text for q in result.quotes)
