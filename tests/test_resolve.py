"""The resolver on mentions given by hand: how it links what the recogniser tagged
inconsistently, whatever the current model happens to tag in a given sentence."""
from __future__ import annotations

from quotegraph import lexicon
from quotegraph.attribute.mentions import NAME, ORG, Mention
from quotegraph.attribute.resolve import Resolver


def name(text: str, sent: int, kind: str, *, label: str = "", weak: bool = False) -> Mention:
    return Mention(0, len(text), 0, kind, text, sent, name_tokens=tuple(text.split()), label=label, weak=weak)


def test_the_agency_is_a_company_the_recogniser_tagged_only_once():
    resolver = Resolver(lexicon.load())
    resolver.add(name("Halden Tramways", 0, ORG, label="ORG"))
    tagged = resolver.add(name("FerryLink", 1, ORG, label="ORG"))
    untagged = resolver.add(name("FerryLink", 2, NAME, weak=True))  # the same company, an untagged proper noun
    assert untagged is tagged
    agency = Mention(0, 10, 0, ORG, "The agency", 3, anaphor=True, noun="agency")
    assert resolver.add(agency) is tagged


def test_a_relative_the_recogniser_called_an_organisation_is_a_person():
    resolver = Resolver(lexicon.load())
    resolver.add(name("Per Lind", 0, NAME, label="PERSON"))
    daughter = resolver.add(name("Ana Lind", 3, ORG, label="ORG"))
    assert daughter.kind == "person"
    assert resolver.add(name("Hydro Quebec", 4, ORG, label="ORG")).kind == "organisation"
