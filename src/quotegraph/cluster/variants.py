"""How each occurrence of a quote differs from its canonical form, word by word.

A misquote is news, so the differences are sorted into those that leave the
wording alone (spelling, number style, inner punctuation: ``honour/honor``,
``ten/10``, ``times. Each/times; each``) and those that change it (a word
changed, added or dropped inside the quoted stretch). A shorter cut is not a
change: the words outside the stretch an occurrence quotes only make it
*truncated*; nor are words left out at an ellipsis, which marks the cut.

What is never compared: quotation-mark and apostrophe glyphs, case, spacing
and paragraph breaks, the punctuation at either end of the occurrence (a
comma or full stop before the attribution), and the punctuation at the join
of a quote split by its attribution (``SPLIT``), which the interruption
itself puts there.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.distance import Indel, Levenshtein, Opcode

from .same_quote import ELLIPSIS, MIN_WORDS, Word, locate, run_at

KINDS = ("canonical", "verbatim", "spelling_punctuation", "altered", "paraphrase")
# Words of the canonical form looked at beyond the stretch found by alignment,
# so that a changed word at the edge of a cut is still seen as changed.
SLACK = 3
WORDING = frozenset({"changed", "added", "dropped"})
FORM = frozenset({"spelling", "punctuation"})


class Change(NamedTuple):
    """One word-level difference from the canonical form (a NamedTuple, so it serialises as a JSON list).

    op: "changed", "added" or "dropped" (wording), "spelling" or "punctuation"
        (form only), or "omitted" (words left out at an ellipsis).
    canonical: the canonical form's words there ("" when added).
    occurrence: this occurrence's words there ("" when dropped).
    spelling: True when only spelling, number style or punctuation differ.
    """

    op: str
    canonical: str
    occurrence: str
    spelling: bool


@dataclass(frozen=True, slots=True)
class Variant:
    """How one member of a cluster quotes the canonical form.

    key: the occurrence's key.
    kind: one of ``KINDS``.
    truncated: it quotes only part of the canonical wording.
    changes: its differences from the canonical form, in text order.
    """

    key: int
    kind: str
    truncated: bool
    changes: tuple[Change, ...] = ()


def _stretches(member: Sequence[str], canonical: Sequence[str]) -> list[tuple[int, int]]:
    """Stretches of the canonical form to align the member with, tightest first.

    Where the member fits best; that plus ``SLACK`` words, so that a changed
    word at the edge of a cut shows as changed; and the whole canonical form,
    for a member that leaves words out in the middle.
    """
    whole = (0, len(canonical))
    if len(member) >= len(canonical):
        return [whole]
    if len(member) < MIN_WORDS:
        at = run_at(member, canonical)
        return [(at, at + len(member)), whole] if at >= 0 else [whole]
    found = locate(member, canonical)
    if found is None:  # only for texts that share no character at all
        return [whole]
    return [(found.start, found.end),
            (max(0, found.start - SLACK), min(len(canonical), found.end + SLACK)), whole]


def _trimmed(ops: list[Opcode], edge: set[str]) -> list[Opcode]:
    """The alignment without its ``edge`` operations at either end."""
    lo, hi = 0, len(ops)
    while lo < hi and ops[lo].tag in edge:
        lo += 1
    while hi > lo and ops[hi - 1].tag in edge:
        hi -= 1
    return ops[lo:hi]


def _alignment(m: Sequence[str], c: Sequence[str], reported: bool) -> tuple[int, list[Opcode]]:
    """The member's alignment with the canonical form: (offset into it, operations without cut ends).

    Canonical words before the first and after the last matched word are a cut,
    not a change; so are a report's own words around what it restates ("she
    said that ..."). Of the candidate stretches, the alignment that matches
    the most of the member's words wins, then the one that skips the fewest
    canonical words inside, then the tightest: so a repeated word is not split
    off a cut ("... what I was doing. I have given" against "I have given").
    """
    if reported:
        return 0, _trimmed(list(Indel.opcodes(m, c)), {"insert", "delete"})
    options = []
    for lo, hi in _stretches(m, c):
        ops = _trimmed(list(Levenshtein.opcodes(m, c[lo:hi])), {"insert"})
        unmatched = len(m) - sum(op.src_end - op.src_start for op in ops if op.tag == "equal")
        skipped = sum(op.dest_end - op.dest_start for op in ops if op.tag == "insert")
        options.append(((unmatched, skipped), lo, ops))
    _, lo, ops = min(options, key=lambda o: o[0])  # the tight stretch on a tie
    return lo, ops


def _words(ws: Sequence[Word], lo: int, hi: int) -> str:
    return " ".join(w.form for w in ws[lo:hi])


def compare(key: int, member: Sequence[Word], canonical: Sequence[Word], *, reported: bool = False) -> Variant:
    """Classify how ``member`` quotes ``canonical``.

    key (int): the member's occurrence key, copied into the result.
    member, canonical: the two texts' words (``same_quote.words``).
    reported (bool): the member is an indirect report: kind "paraphrase", and
        the alignment is by longest common subsequence, which follows reordered
        and reworded speech better than edit distance.
    RETURNS (Variant): kind, truncated and the changes.
    """
    m, c = [w.norm for w in member], [w.norm for w in canonical]
    lo, ops = _alignment(m, c, reported)
    if not ops:
        return Variant(key, "paraphrase" if reported else "altered", True, ())
    first, last = ops[0].dest_start + lo, ops[-1].dest_end + lo
    truncated = first > 0 or last < len(c)
    changes: list[Change] = []
    for op in ops:
        i0, i1, j0, j1 = op.src_start, op.src_end, op.dest_start + lo, op.dest_end + lo
        if op.tag == "replace":
            changes.append(Change("changed", _words(canonical, j0, j1), _words(member, i0, i1), False))
        elif op.tag == "delete":
            changes.append(Change("added", "", _words(member, i0, i1), False))
        elif op.tag == "insert":
            cut = i0 < len(member) and any(e in member[i0].before for e in ELLIPSIS)
            changes.append(Change("omitted" if cut else "dropped", _words(canonical, j0, j1), "", False))
            truncated = truncated or cut
        else:
            for k in range(i1 - i0):
                mw, cw = member[i0 + k], canonical[j0 + k]
                if mw.form != cw.form:
                    changes.append(Change("spelling", cw.form, mw.form, True))
                if k and not any(e in mw.before or e in cw.before for e in ELLIPSIS) and mw.before != cw.before:
                    changes.append(Change("punctuation", f"{canonical[j0 + k - 1].form}{cw.before} {cw.form}",
                                          f"{member[i0 + k - 1].form}{mw.before} {mw.form}", True))
    ops_seen = {ch.op for ch in changes}
    if reported:
        kind = "paraphrase"
    elif ops_seen & WORDING:
        kind = "altered"
    elif ops_seen & FORM:
        kind = "spelling_punctuation"
    else:
        kind = "verbatim"
    return Variant(key, kind, truncated, tuple(changes))
