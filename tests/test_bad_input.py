"""Input nobody should send, which ``quotegraph.extract`` must survive.

Each text must give a result (or, for a wrong type, ``InputError``) and the
result must be sane: JSON-serialisable, every offset slicing the text given,
speakers pointing at people. No test measures time; a slow case is reported to
the engine's owner, not worked around here. Texts are written for these tests.
"""
from __future__ import annotations

import json
import random

import pytest

import quotegraph
from quotegraph.errors import InputError
from quotegraph.model import QUOTE_TYPES, ArticleResult

QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"


def sanity_problems(text: str, result: ArticleResult) -> list[str]:
    """What is wrong with ``result`` as an answer about ``text`` (empty when sane)."""
    if not isinstance(result, ArticleResult):
        return [f"not an ArticleResult: {type(result).__name__}"]
    problems = []
    try:
        json.dumps(result.to_dict())
    except (TypeError, ValueError) as exc:
        problems.append(f"to_dict() is not JSON-serialisable: {exc}")
    ids = {p.id: p for p in result.people}
    for q in result.quotes:
        if not (0 <= q.start < q.end <= len(text)) or text[q.start:q.end] != q.text:
            problems.append(f"quote {q.start},{q.end} does not slice the text to its text")
        if not q.spans or q.spans[0][0] != q.start or q.spans[-1][1] != q.end:
            problems.append(f"quote {q.start},{q.end}: spans {q.spans} not enveloped")
        if any(not (q.start <= a < b <= q.end) for a, b in q.spans):
            problems.append(f"quote {q.start},{q.end}: a span lies outside it")
        if q.type not in QUOTE_TYPES:
            problems.append(f"quote {q.start},{q.end}: type {q.type!r}")
        for label, span in (("speaker_mention", q.speaker_mention), ("cue", q.cue)):
            if span is not None and text[span.start:span.end] != span.text:
                problems.append(f"quote {q.start},{q.end}: {label} does not slice the text")
        if q.speaker_id is not None and q.speaker_id not in ids:
            problems.append(f"quote {q.start},{q.end}: speaker_id {q.speaker_id} is no person")
    for p in result.people:
        if not p.name.strip():
            problems.append(f"person {p.id} has an empty name")
        if any(not (0 <= a < b <= len(text)) for a, b in p.mentions):
            problems.append(f"person {p.id}: a mention lies outside the text")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("text", ["", " ", "   \n\n\t  \n", "\n" * 50, "\u00a0\u2003\u3000"],
                         ids=["empty", "space", "mixed-whitespace", "newlines", "unicode-spaces"])
def test_bad_input_blank_text_gives_empty_result(text):
    result = quotegraph.extract(text)
    assert result.quotes == () and result.people == ()
    assert not sanity_problems(text, result)


@pytest.mark.slow
def test_bad_input_nul_and_control_bytes():
    text = ("The harbour\x00 master, Elsa Marwood, said: \"We will rebuild the pier before the summer.\"\x00\n\n"
            "\x01\x02\x7f\x1b[0m Boats \x00\x00 stayed in port \ufffd all week.\x0c\x0b")
    result = quotegraph.extract(text)
    assert not sanity_problems(text, result)
    assert [q.text for q in result.quotes] == ["We will rebuild the pier before the summer."]


@pytest.mark.slow
def test_bad_input_lone_surrogates():
    text = 'The mayor said "we will \ud800 rebuild the bridge" on Monday \udfff.\n\nTraffic resumed.'
    try:
        result = quotegraph.extract(text)
    except InputError:
        return  # refusing such a text with a clear error is acceptable
    assert not sanity_problems(text, result)


PROSE = [
    "The harbour board met on Thursday evening to discuss the north pier, which has been closed "
    "since the winter storms tore away part of its railing.",
    '"We cannot keep patching it every spring," said Elsa Marwood, who chairs the board. '
    '"Either we rebuild it properly or we close it for good."',
    "Fishermen who use the pier say the closure has cost them weeks of work, and several have moved "
    "their boats along the coast for the season.",
    "Repairs would cost about four million pounds, according to the board's own figures, roughly "
    "twice the sum set aside last year.",
    "Tomas Reilly, 58, has fished from the harbour for forty years. He said the town had "
    "\u201clet the pier rot\u201d while the money went elsewhere.",
    "The council said in a statement that it would consider a grant once an engineer's report "
    "had been published, probably in the autumn.",
    "\u2018It\u2019s the families I worry about,\u2019 said Morag Dunlin, who runs the caf\u00e9 by "
    "the slipway. \u2018They\u2019ve had a hard enough year.\u2019",
]


def five_megabyte_article() -> str:
    paras, size, i = [], 0, 0
    while size < 5_000_000:
        para = f"{PROSE[i % len(PROSE)]} ({i})"
        paras.append(para)
        size += len(para) + 2
        i += 1
    return "\n\n".join(paras)


@pytest.mark.slow
def test_bad_input_five_megabyte_article():
    text = five_megabyte_article()
    assert len(text) >= 5_000_000
    result = quotegraph.extract(text)
    assert not sanity_problems(text, result)
    # The whole text was read, not only its first megabyte.
    assert result.quotes and max(q.end for q in result.quotes) > 4_000_000
    assert any(p.name == "Elsa Marwood" for p in result.people)


@pytest.mark.slow
def test_bad_input_ten_thousand_straight_quotes():
    text = '"' * 10_000
    result = quotegraph.extract(text)
    assert not sanity_problems(text, result)
    assert result.quotes == () and result.people == ()  # no words, nothing said


def marks_mixed_with_words() -> str:
    """10,000 quote marks of every family glued to words at random: unbalanced, with full stops."""
    rng = random.Random(2026)
    words = "the harbour board met on Thursday to discuss pier said she added residents council bridge".split()
    out = []
    for i in range(10_000):
        word, mark = rng.choice(words), rng.choice(QUOTE_MARKS)
        out.append(mark + word if i % 2 else word + mark)
        if i % 12 == 11:
            out[-1] += "."
    return " ".join(out)


@pytest.fixture(scope="module")
def mixed_marks():
    text = marks_mixed_with_words()
    return text, quotegraph.extract(text)


@pytest.mark.slow
def test_bad_input_ten_thousand_marks_mixed_with_words(mixed_marks):
    text, result = mixed_marks
    assert sum(text.count(m) for m in QUOTE_MARKS) == 10_000
    assert not sanity_problems(text, result)
    assert len(result.quotes) <= 5_000  # at most one quote per pair of marks


@pytest.mark.slow
def test_bad_input_mixed_marks_people_have_plain_names(mixed_marks):
    _, result = mixed_marks
    odd = [p.name for p in result.people if any(m in p.name for m in QUOTE_MARKS)]
    assert not odd, odd[:10]


@pytest.mark.parametrize("value", [None, 42, 3.5, b"The mayor said yes.", ["The mayor said yes."],
                                   {"text": "The mayor said yes."}],
                         ids=["None", "int", "float", "bytes", "list", "dict"])
def test_bad_input_wrong_type_raises_input_error(value):
    with pytest.raises(InputError, match="E001"):
        quotegraph.extract(value)
