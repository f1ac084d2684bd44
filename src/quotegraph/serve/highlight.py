"""An article's text cut into pieces to draw: plain text, quotes, speaker mentions and cues.

The pages show an article with each quote marked in its speaker's colour.
Spans may nest or touch (a quote inside a longer one, a cue between the two
pieces of a split quote), so the text is cut at every span boundary and each
piece takes the innermost span covering it: the one that starts last. The
pieces are plain strings; the template escapes them like all article text.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

COLOURS = 8  # speaker colour classes c0 ... c7 in static/style.css


def speaker_colours(quotes: Sequence[dict[str, Any]]) -> dict[str | None, int]:
    """A colour number per speaker id, in order of first quote; None (no speaker) has none."""
    colours: dict[str | None, int] = {}
    for q in quotes:
        if q.get("speaker_id") and q["speaker_id"] not in colours:
            colours[q["speaker_id"]] = len(colours) % COLOURS
    return colours


def legend(quotes: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(colour class, speaker) for each speaker in order, and ``cnone`` for quotes without one."""
    colours = speaker_colours(quotes)
    names = {q["speaker_id"]: q.get("speaker") or q["speaker_id"] for q in quotes if q.get("speaker_id")}
    out = [(f"c{colour}", names[pid]) for pid, colour in colours.items() if pid is not None]
    if any(not q.get("speaker_id") for q in quotes):
        out.append(("cnone", "unattributed"))
    return out


def tip(quote: dict[str, Any]) -> str:
    """What hovering or focusing a quote shows: speaker, cue, mention, evidence, one a line."""
    lines = [f"Speaker: {quote.get('speaker') or 'unattributed'} ({quote.get('confidence', 0):.0%} confident)"]
    if quote.get("cue"):
        lines.append(f"Cue: {quote['cue']['text']}")
    if quote.get("speaker_mention"):
        lines.append(f"Mention: {quote['speaker_mention']['text']}")
    if quote.get("channel"):
        lines.append(f"Channel: {quote['channel']}")
    lines.append(f"Type: {quote.get('type')}")
    if quote.get("evidence"):
        lines.append(f"Evidence: {quote['evidence']}")
    return "\n".join(lines)


def segments(text: str, quotes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``text`` as consecutive pieces ``{"text", "quote", "role", "first"}``: ``quote`` the index in
    ``quotes`` of the span covering the piece (None for plain text), ``role`` ``quote``, ``mention`` or
    ``cue``, ``first`` whether the piece opens that quote (it gets the focus stop and the anchor).

    quotes: data-contract quotes (``spans`` or ``start``/``end``, ``speaker_mention``, ``cue``);
    spans outside the text are ignored.
    """
    marks: list[tuple[int, int, int, str]] = []
    for i, q in enumerate(quotes):
        for start, end in q.get("spans") or [[q["start"], q["end"]]]:
            marks.append((start, end, i, "quote"))
        for role, span in (("mention", q.get("speaker_mention")), ("cue", q.get("cue"))):
            if span and span.get("start") is not None:
                marks.append((span["start"], span["end"], i, role))
    marks = [m for m in marks if 0 <= m[0] < m[1] <= len(text)]
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    pieces: list[dict[str, Any]] = []
    opened: set[int] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m[0] <= a and b <= m[1]]
        if covering:
            # The innermost span; a quote's own words before the mention or cue inside them.
            start, _, index, role = max(covering, key=lambda m: (m[0], m[3] == "quote"))
            first = role == "quote" and index not in opened
            if first:
                opened.add(index)
            piece = {"text": text[a:b], "quote": index, "role": role, "first": first}
        else:
            piece = {"text": text[a:b], "quote": None, "role": None, "first": False}
        if pieces and not piece["first"] and (pieces[-1]["quote"], pieces[-1]["role"]) == (piece["quote"],
                                                                                           piece["role"]):
            pieces[-1]["text"] += piece["text"]
        else:
            pieces.append(piece)
    return pieces
