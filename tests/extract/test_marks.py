"""Quote marks found from the raw string alone: ``quotegraph.extract.marks``.

``find`` runs before any parse, so these cases need no model and run in
milliseconds. Each case is (text, the content of every quote ``find`` reports,
in order): content means the text between the outer marks, marks excluded.
All sentences are written for these tests.
"""
from __future__ import annotations

import pytest

from quotegraph.extract import marks


def contents(text: str) -> list[str]:
    return [text[q.start:q.end] for q in marks.find(text)]


MARK_CASES = [
    # Double quotes, straight and curly.
    pytest.param('The coach said "we were lucky today" after the match.',
                 ["we were lucky today"], id="straight-double"),
    pytest.param("The coach said \u201cwe were lucky today\u201d after the match.",
                 ["we were lucky today"], id="curly-double"),
    pytest.param('"We were lucky," the coach said, "and we know it."',
                 ["We were lucky,", "and we know it."], id="straight-double-interrupted"),
    pytest.param("\u201cWe were lucky,\u201d the coach said, \u201cand we know it.\u201d",
                 ["We were lucky,", "and we know it."], id="curly-double-interrupted"),
    pytest.param('Residents said "we have had enough" and "nobody listens" at the meeting.',
                 ["we have had enough", "nobody listens"], id="two-quotes-one-sentence"),
    # British single quotes used as quote marks.
    pytest.param("The coach said 'we were lucky today' after the match.",
                 ["we were lucky today"], id="straight-single"),
    pytest.param("The coach said \u2018we were lucky today\u2019 after the match.",
                 ["we were lucky today"], id="curly-single"),
    pytest.param("\u2018We were lucky,\u2019 the coach said.",
                 ["We were lucky,"], id="curly-single-before-attribution"),
    # Apostrophes that are not quote marks.
    pytest.param("It's a pity, don't you think, that the shop won't open?", [],
                 id="apostrophes-its-dont-wont"),
    pytest.param("It\u2019s a pity, don\u2019t you think, that the shop won\u2019t open?", [],
                 id="curly-apostrophes-its-dont-wont"),
    pytest.param("Back in the '90s, the shipyard employed thousands.", [], id="straight-nineties"),
    pytest.param("Back in the \u201990s, the shipyard employed thousands.", [], id="curly-nineties"),
    pytest.param("O'Neill's dog\u2019s bowl is empty again.", [], id="names-and-possessives"),
    pytest.param("Parents pick babies' names early, she said: 'we wait until the last day'.",
                 ["we wait until the last day"], id="plural-possessive-before-single-quote"),
    pytest.param("She said 'it's the parents' choice, and we don't interfere' on Monday.",
                 ["it's the parents' choice, and we don't interfere"],
                 id="apostrophes-inside-straight-single-quote"),
    pytest.param("The organiser said \u2018we will keep fighting for workers\u2019 rights until the end\u2019 "
                 "on Friday.",
                 ["we will keep fighting for workers\u2019 rights until the end"],
                 id="plural-possessive-inside-curly-single-quote"),
    pytest.param("The organiser said \u2018we\u2019ll keep \u2019em talking all night\u2019 at the rally.",
                 ["we\u2019ll keep \u2019em talking all night"], id="elided-em-inside-single-quote"),
    pytest.param("The \u201990s were hard, \u2019tis true, and the players\u2019 union said "
                 "\u2018we will strike\u2019.",
                 ["we will strike"], id="elisions-and-possessive-before-single-quote"),
    pytest.param("She said 'the Joneses' house is next' and pointed.",
                 ["the Joneses' house is next"], id="possessive-s-inside-straight-single"),
    # Guillemets and low-9 marks.
    pytest.param("The mayor said \u00abwe will rebuild the bridge\u00bb on Monday.",
                 ["we will rebuild the bridge"], id="guillemets"),
    pytest.param("\u00abWe will rebuild the bridge,\u00bb the mayor said.",
                 ["We will rebuild the bridge,"], id="guillemets-opening-paragraph"),
    pytest.param("Der Trainer sagte \u00bbwir hatten Gl\u00fcck\u00ab nach dem Spiel.",
                 ["wir hatten Gl\u00fcck"], id="reversed-guillemets-german"),
    pytest.param("Der Trainer sagte \u201ewir hatten Gl\u00fcck\u201c nach dem Spiel.",
                 ["wir hatten Gl\u00fcck"], id="low-9-german"),
    pytest.param("\u201eWir haben gewonnen\u201d, sagte er.", ["Wir haben gewonnen"],
                 id="low-9-closed-by-right-double"),
    pytest.param("Le maire a d\u00e9clar\u00e9 \u00ab nous reconstruirons le pont \u00bb hier.",
                 ["nous reconstruirons le pont"], id="french-spaced-guillemets"),
    pytest.param("Le maire a d\u00e9clar\u00e9 \u00ab\u00a0nous reconstruirons le pont\u00a0\u00bb hier.",
                 ["nous reconstruirons le pont"], id="french-nbsp-guillemets"),
    pytest.param("\u00ab Nous reconstruirons le pont \u00bb, a dit le maire.",
                 ["Nous reconstruirons le pont"], id="french-spaced-guillemets-paragraph-start"),
    # Nesting: the inner quote belongs to the outer one.
    pytest.param("Tomas told reporters: \"He said 'no' to me and walked off.\"",
                 ["He said 'no' to me and walked off."], id="nested-single-in-straight-double"),
    pytest.param("'He said \"no\" to me,' Tomas recalled.", ['He said "no" to me,'],
                 id="nested-double-in-straight-single"),
    pytest.param("\u201cHe said \u2018no\u2019 to me,\u201d Tomas recalled.",
                 ["He said \u2018no\u2019 to me,"], id="nested-curly-single-in-double"),
    pytest.param("\u2018He said \u201cno\u201d to me and left,\u2019 Tomas recalled.",
                 ["He said \u201cno\u201d to me and left,"], id="nested-curly-double-in-single"),
    # Marks that cannot pair are skipped without shifting the real quote.
    pytest.param('He bought a 12" pipe and said "it will do" to the clerk.', ["it will do"],
                 id="inch-mark-before-quote"),
    pytest.param("Rock 'n' roll came back, said the 'band' manager.", ["band"],
                 id="rock-n-roll-elision",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "engine: the two apostrophes of rock 'n' roll are paired as a quote "
                     "and find() reports 'n'"))),
    pytest.param("", [], id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), MARK_CASES)
def test_marks_find_contents(text, expected):
    assert contents(text) == expected


def test_marks_find_quote_over_three_paragraphs_is_one_quote():
    text = ('"The ferry has been late every morning this month and nobody has told us why.\n\n'
            '"We pay for a season ticket and we get a timetable that means nothing.\n\n'
            '"I want the operator to come here and explain it to our faces," said one commuter.')
    found = marks.find(text)
    assert len(found) == 1, contents(text)
    q = found[0]
    content = text[q.start:q.end]
    assert content.startswith("The ferry has been late")
    assert content.endswith("explain it to our faces,")
    assert q.closed
    assert q.paragraphs == 3
    assert q.open_pos == 0 and text[q.close_pos] == '"'


def test_marks_find_curly_quote_over_three_paragraphs_is_one_quote():
    text = ("She told the inquiry: \u201cI warned them in January.\n\n"
            "\u201cI warned them again in March.\n\n"
            "\u201cBy May I had stopped writing.\u201d\n\n"
            "The inquiry resumes on Monday.")
    found = marks.find(text)
    assert [text[q.start:q.end] for q in found] == [
        "I warned them in January.\n\n\u201cI warned them again in March.\n\n\u201cBy May I had stopped writing."]
    assert found[0].paragraphs == 3


def test_marks_find_unclosed_quote_recovered_at_paragraph_end():
    text = ('She began: "This promise was never closed by the writer and runs to the end\n\n'
            "The council meets on Tuesday to set the harbour budget.\n\n"
            'A spokesman said "we will be there" later, and "the doors are open" to all.')
    found = marks.find(text)
    assert contents(text) == [
        "This promise was never closed by the writer and runs to the end",
        "we will be there",
        "the doors are open",
    ]
    assert [q.closed for q in found] == [False, True, True]
    # The recovered quote stops at its own paragraph: the unrelated paragraph is untouched.
    assert "council" not in text[found[0].start:found[0].end]


def test_marks_find_unclosed_quote_before_a_quote_paragraph():
    text = ('"An opener here with plenty of words but never an end\n\n'
            "An unrelated paragraph about the weather follows.\n\n"
            '"A proper quote," she said.')
    assert contents(text) == ["An opener here with plenty of words but never an end", "A proper quote,"]


def test_marks_find_unclosed_short_fragment_is_dropped():
    text = 'The sign said "closed\n\nThe mayor said "we reopen in May" on Monday.'
    assert contents(text) == ["we reopen in May"]


def test_marks_find_stray_mark_does_not_shift_later_paragraphs():
    text = ('A stray " mark sits here in the middle of nothing.\n\n'
            'The mayor said "the bridge reopens in May" on Monday.\n\n'
            'She added: "tolls will stay the same." Then "the buses" were mentioned.')
    assert contents(text) == ["the bridge reopens in May", "tolls will stay the same.", "the buses"]


def test_marks_find_stray_opener_at_paragraph_end_does_not_shift_later_paragraphs():
    text = ('The forecast mentioned "heavy rain and a lost mark at the end of this.\n\n'
            "Nothing else to report today.\n\n"
            'The warden said "stay indoors" and left.\n\n'
            'He added, "Schools stay open."')
    found = contents(text)
    assert found[1:] == ["stay indoors", "Schools stay open."]
    assert found[0].startswith("heavy rain")


def test_marks_find_offsets_exclude_marks():
    text = "He said \u201cyes\u201d twice."
    (q,) = marks.find(text)
    assert text[q.open_pos] == "\u201c" and text[q.close_pos] == "\u201d"
    assert (q.start, q.end) == (q.open_pos + 1, q.close_pos)


def test_marks_find_is_sorted_by_start():
    text = 'One "first quote here" then \u00absecond one\u00bb and \u2018third one\u2019.'
    starts = [q.start for q in marks.find(text)]
    assert starts == sorted(starts) and len(starts) == 3


PARAGRAPH_CASES = [
    pytest.param("", [], id="empty"),
    pytest.param("One paragraph only.", ["One paragraph only."], id="one"),
    pytest.param("Line one\nline two of the same paragraph.", ["Line one\nline two of the same paragraph."],
                 id="single-newline-does-not-break"),
    pytest.param("First.\n\nSecond.\n\n\nThird.", ["First.", "Second.", "Third."], id="blank-lines"),
    pytest.param("First.\n \t\nSecond.", ["First.", "Second."], id="whitespace-only-line"),
    pytest.param("First.\n\u00a0\nSecond.", ["First.", "Second."], id="nbsp-only-line"),
    pytest.param("\n\nLeading blank lines.\n\n", ["Leading blank lines."], id="leading-and-trailing"),
]


@pytest.mark.parametrize(("text", "expected"), PARAGRAPH_CASES)
def test_marks_paragraphs(text, expected):
    ranges = marks.paragraphs(text)
    assert [text[lo:hi] for lo, hi in ranges] == expected
    assert all(0 <= lo < hi <= len(text) for lo, hi in ranges)
    assert [lo for lo, _ in ranges] == sorted(lo for lo, _ in ranges)


def test_marks_paragraphs_crlf():
    text = "First.\r\n\r\nSecond."
    assert [text[lo:hi].strip() for lo, hi in marks.paragraphs(text)] == ["First.", "Second."]
