"""Mention finding on parses fixed by hand: the tagger's mistakes that the rules must survive,
independent of what the current model happens to tag in a given sentence."""
from __future__ import annotations

import spacy
from spacy.tokens import Doc

from quotegraph import lexicon
from quotegraph.attribute import mentions


def parsed(words: list[str], tags: list[str], deps: list[str], heads: list[int]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, tags=tags, deps=deps, heads=heads,
               sent_starts=[True] + [False] * (len(words) - 1))


def test_a_first_name_tagged_as_a_modal_stays_in_the_name():
    # "Will Young said cold hurts." with "Will" read as a modal in a compound, and no entity tagged.
    doc = parsed(["Will", "Young", "said", "cold", "hurts", "."],
                 ["MD", "NNP", "VBD", "NN", "VBZ", "."],
                 ["compound", "nsubj", "ROOT", "nsubj", "ccomp", "punct"],
                 [1, 2, 2, 4, 2, 2])
    found = mentions.find(doc, lexicon.load(), bytearray(len(doc.text)), speakers={1})
    speaker = next(m for m in found if m.head == 1)
    assert (speaker.text, speaker.name_tokens) == ("Will Young", ("Will", "Young"))


def test_a_lowercase_compound_is_not_taken_into_a_name():
    doc = parsed(["city", "Okafor", "said", "cold", "hurts", "."],
                 ["NN", "NNP", "VBD", "NN", "VBZ", "."],
                 ["compound", "nsubj", "ROOT", "nsubj", "ccomp", "punct"],
                 [1, 2, 2, 4, 2, 2])
    found = mentions.find(doc, lexicon.load(), bytearray(len(doc.text)), speakers={1})
    assert next(m for m in found if m.head == 1).text == "Okafor"
