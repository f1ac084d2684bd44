"""Reported speech and, with ``Options(attributions=True)``, every PARC-style attribution relation.

Each row is a fictional sentence, the content the engine must report and the
speaker mention it must give. Attribution relations beyond speech (evidence,
intentions, stances, prepositional cues, beliefs) are reported only with
``attributions=True``: quote datasets annotate speech alone, so by default they are not.
"""
from __future__ import annotations

import pytest

import quotegraph
from quotegraph.options import Options

pytestmark = pytest.mark.slow

PARC = Options(attributions=True)

# (sentence, content, speaker mention, cue)
ATTRIBUTIONS = [
    ("A new survey of harbour residents shows that most of them want the ferry back.",
     "that most of them want the ferry back", "A new survey of harbour residents", "shows"),
    ("Port records show a sharp rise in cancelled sailings.",
     "a sharp rise in cancelled sailings", "Port records", "show"),
    ("Mayor Ilse Varga declined to comment on the proposal.",
     "to comment on the proposal", "Ilse Varga", "declined"),
    ("The shipping firm Brantwell plans to close two depots next spring.",
     "to close two depots next spring", "Brantwell", "plans"),
    ("Councillor Odran Pike called the new timetable a disaster for commuters.",
     "the new timetable a disaster for commuters", "Odran Pike", "called"),
    ("Senator Maribel Oyelaran accused the ministry of hiding the cost of the bridge.",
     "the ministry of hiding the cost of the bridge", "Maribel Oyelaran", "accused"),
    ("The new timetable was criticized by Councillor Odran Pike.",
     "The new timetable", "Councillor Odran Pike", "criticized"),
    ("Ruth Calloway called for an inquiry into the closure of the ferry.",
     "an inquiry into the closure of the ferry", "Ruth Calloway", "called"),
    ("Speaking to reporters, Tomas Brenner referred to the storm damage of last winter.",
     "the storm damage of last winter", "Tomas Brenner", "referred"),
    ("Councillor Odran Pike is critical of the new timetable.",
     "the new timetable", "Odran Pike", "critical"),
    ("Ilse Varga won the seat. Her attacks on the shipping firm made her famous.",
     "the shipping firm", "Her", "attacks"),
    ("Ruth Calloway stressed the need for a second ferry.",
     "the need for a second ferry", "Ruth Calloway", "stressed"),
    ("In a new survey by the harbour trust, most residents backed the plan.",
     "most residents backed the plan", "a new survey by the harbour trust", "In"),
    ("Poll: Most harbour residents back a second ferry\n\nThe harbour board met on Tuesday.",
     "Most harbour residents back a second ferry", "Poll", ":"),
    ("Residents backing the ferry plan packed the hall on Tuesday.",
     "the ferry plan", "Residents", "backing"),
    ("The inspectors found that the pier was unsafe.",
     "that the pier was unsafe", "The inspectors", "found"),
    ("Tomas Brenner believes the pier can be saved.",
     "the pier can be saved", "Tomas Brenner", "believes"),
]


def _only_quote(text: str, options: Options):
    quotes = quotegraph.extract(text, options=options).quotes
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


@pytest.mark.parametrize(("text", "content", "mention", "cue"), ATTRIBUTIONS,
                         ids=[row[3] + "-" + row[1].split()[1] for row in ATTRIBUTIONS])
def test_indirect_attribution_relations_with_attributions(text, content, mention, cue):
    q = _only_quote(text, PARC)
    assert (q.type, q.text) == ("indirect", content)
    assert q.speaker_mention is not None and q.speaker_mention.text == mention
    assert q.cue is not None and q.cue.text == cue


@pytest.mark.parametrize("text", [row[0] for row in ATTRIBUTIONS],
                         ids=[row[3] + "-" + row[1].split()[1] for row in ATTRIBUTIONS])
def test_indirect_attribution_relations_are_not_speech_by_default(text):
    assert quotegraph.extract(text).quotes == ()


def test_indirect_section_label_is_not_a_source():
    assert quotegraph.extract("Correction: An earlier version of this story misspelled a name.",
                              options=PARC).quotes == ()


def test_indirect_label_in_capitals_is_a_source_only_when_the_article_names_it():
    text = ("Mayor Jan Roe met the harbour board.\n\n"
            "ROE: We will keep the ferry running all winter.\n\n"
            "ENERGY: Fuel prices rose for the third week in a row.")
    q = _only_quote(text, PARC)
    assert q.text.startswith("We will keep the ferry") and q.speaker == "Jan Roe"


@pytest.mark.parametrize("options", [Options(), PARC], ids=["default", "attributions"])
def test_indirect_belief_inside_a_report_is_not_a_second_quote(options):
    q = _only_quote("Tomas Brenner said he thought that the pier could be saved.", options)
    assert q.text == "he thought that the pier could be saved" and q.speaker == "Tomas Brenner"


# Reported speech, reported by default: (sentence, content, speaker).
SPEECH = [
    ("Ruth Calloway said that what the harbour needs most is a second ferry.",
     "what the harbour needs most is a second ferry", "Ruth Calloway"),
    ("Odran Pike won the seat by saying that the ferry would run all winter.",
     "the ferry would run all winter", "Odran Pike"),
    ("That is not just a problem for the islanders, said Odran Pike.",
     "That is not just a problem for the islanders", "Odran Pike"),
]


@pytest.mark.parametrize(("text", "content", "speaker"), SPEECH, ids=["that-what", "by-saying", "subject-that"])
def test_indirect_reported_speech(text, content, speaker):
    q = _only_quote(text, Options())
    assert (q.type, q.text, q.speaker) == ("indirect", content, speaker)


def test_indirect_complementiser_kept_only_with_attributions():
    text = "Ruth Calloway said that the ferry would run all winter."
    assert _only_quote(text, Options()).text == "the ferry would run all winter"
    assert _only_quote(text, PARC).text == "that the ferry would run all winter"


@pytest.mark.parametrize(("text", "content"), [
    ("The pier is expected to reopen in May.", "The pier is expected to reopen in May"),
    ("It seems the harbour trust has too few members.", "the harbour trust has too few members"),
])
def test_indirect_view_without_a_source(text, content):
    q = _only_quote(text, PARC)
    assert q.text == content and q.speaker_mention is None
    assert quotegraph.extract(text).quotes == ()
