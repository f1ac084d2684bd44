"""A quote found but not yet attributed, shared by the extraction and attribution stages."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Candidate:
    """A quote under construction.

    spans: content pieces (character offsets, marks excluded).
    cue: token index of the speech cue, when one was found.
    subject: token index of the speaker mention's head, when the cue has one.
    continues: for a quote-only paragraph, the index of the quote it continues.
    reasons: evidence collected on the way, joined into the result's ``evidence``.
    """

    spans: list[tuple[int, int]]
    type: str
    cue: int | None = None
    cue_span: tuple[int, int] | None = None
    subject: int | None = None
    channel: str | None = None
    paragraph: int = 0
    quote_only: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]
