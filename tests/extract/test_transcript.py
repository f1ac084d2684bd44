"""Transcript turns: "Name: words" paragraphs are direct quotes of that person."""
import pytest

import quotegraph

pytestmark = pytest.mark.slow

TRANSCRIPT = (
    "The two candidates met on the regional radio debate on Tuesday evening.\n\n"
    "Mara Okonkwo: We have to reopen the ferry terminal before the winter, whatever it costs.\n\n"
    "Daniel Freece: The terminal is a distraction from the hospital waiting lists.\n\n"
    "ENERGY: Fuel prices rose for the third week in a row.\n\n"
    "READ MORE: Ferry terminal closure explained"
)


def test_transcript_turns_are_direct_quotes_of_the_named_person():
    result = quotegraph.extract(TRANSCRIPT)
    by_text = {q.text: q for q in result.quotes}
    first = by_text["We have to reopen the ferry terminal before the winter, whatever it costs."]
    assert first.type == "direct" and first.speaker == "Mara Okonkwo"
    second = by_text["The terminal is a distraction from the hospital waiting lists."]
    assert second.speaker == "Daniel Freece"


def test_transcript_section_labels_are_not_speakers():
    result = quotegraph.extract(TRANSCRIPT)
    assert not any(q.text.startswith(("Fuel prices", "Ferry terminal")) for q in result.quotes)
