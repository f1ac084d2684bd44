"""Corpus query results as text for people reading a terminal (``--format table``).

The query commands' JSON is the ``Corpus`` methods' dicts as they are; this
module only lays them out. The one thing computed here is the inline word
diff of a variant (``word_diff``), which is a way of showing the differences
clustering already classified, not a new judgement.
"""
from __future__ import annotations

import difflib
import itertools
import textwrap
from collections.abc import Sequence
from typing import Any

from .cluster.same_quote import WORD, Word, words
from .tables import shorten

WIDTH = 100
# Quotes in lists are cut to this many characters; `quote ID` shows them whole.
SHORT = 160
VARIANT_LABELS = {"canonical": "canonical", "verbatim": "verbatim", "spelling_punctuation": "spelling/punctuation",
                  "altered": "ALTERED", "paraphrase": "paraphrase"}


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent)


def _where(occurrence: dict[str, Any]) -> str:
    return f"{occurrence['date'] or 'undated'}  {occurrence['outlet'] or occurrence['article']}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _shown(text: str) -> list[tuple[Word, str]]:
    """Each word of ``text`` as compared, and as written with the punctuation that follows it."""
    starts = [m.start() for m in WORD.finditer(text)] + [len(text)]
    return list(zip(words(text), (text[s:e].strip() for s, e in itertools.pairwise(starts)), strict=True))


def word_diff_parts(canonical: str, occurrence: str) -> list[tuple[str, str, str]]:
    """``occurrence`` against ``canonical`` word by word, as (op, canonical words, its words) parts:
    op is ``equal``, ``delete`` (dropped), ``insert`` (added), ``replace`` or ``cut``.

    Words compare as clustering compares them (case, accents, quote marks and
    British/American spelling aside), so only altered wording is marked.
    Canonical words outside the stretch the occurrence quotes are a cut, not a
    change: one ``cut`` part each side.
    """
    a, b = _shown(canonical), _shown(occurrence)
    ops = difflib.SequenceMatcher(None, [w.norm for w, _ in a], [w.norm for w, _ in b],
                                  autojunk=False).get_opcodes()
    while ops and ops[0][0] == "delete":
        ops = ops[1:]
    while ops and ops[-1][0] == "delete":
        ops = ops[:-1]
    parts = [("cut", "", "")] if ops and ops[0][1] > 0 else []
    for tag, i0, i1, j0, j1 in ops:
        parts.append((tag, " ".join(shown for _, shown in a[i0:i1]), " ".join(shown for _, shown in b[j0:j1])))
    if ops and ops[-1][2] < len(a):
        parts.append(("cut", "", ""))
    return parts


def word_diff(canonical: str, occurrence: str) -> str:
    """``word_diff_parts`` as text: ``[-dropped-]``, ``{+added+}``, ``[-old-]{+new+}``, ``…`` for a cut."""
    shown = {"cut": "…", "equal": "{new}", "delete": "[-{old}-]", "insert": "{{+{new}+}}",
             "replace": "[-{old}-]{{+{new}+}}"}
    return " ".join(shown[op].format(old=old, new=new) for op, old, new in word_diff_parts(canonical, occurrence))


def _change(change: Sequence[Any]) -> str:
    op, canonical, theirs, _ = change
    if op in ("spelling", "punctuation", "changed"):
        return f"{op}: {canonical!r} -> {theirs!r}"
    if op == "added":
        return f"added: {theirs!r}"
    return f"{op}: {canonical!r}"  # dropped, omitted


def search_report(hits: list[dict[str, Any]]) -> str:
    """One block per quote: id, speaker, reach, canonical text, and the occurrences that matched."""
    if not hits:
        return "No quote matches."
    blocks = []
    for hit in hits:
        head = (f"#{hit['id']}" if hit["id"] is not None else "(not clustered yet)") + \
            f"  {hit['speaker'] or 'unattributed'}  · {_count(hit['occurrences'], 'occurrence')}, " \
            f"{_count(hit['outlets'], 'outlet')}, first {hit['first_date'] or 'undated'}"
        lines = [head + ("  · ALTERED" if hit["altered"] else ""), _wrap(shorten(hit["quotation"] or "", SHORT))]
        for m in hit["matches"][:3]:
            lines.append(f"    matched: {_where(m)} ({m['type']})")
        if len(hit["matches"]) > 3:
            lines.append(f"    and {len(hit['matches']) - 3} more")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def quote_report(quote: dict[str, Any]) -> str:
    """Canonical text, speaker vote, timeline of occurrences, and each variant as a word diff."""
    occurrences = quote["occurrences"]
    canonical = next((o for o in occurrences if o["key"] == quote["canonical"]), None)
    votes = ", ".join(f"{name} {share:.0%}" for name, share in quote["speakers"]) or "no occurrence names one"
    lines = [f"Quote #{quote['id']}" + ("  · ALTERED: an occurrence changes its wording" if quote["altered"] else ""),
             _wrap(canonical["text"] if canonical else "(its canonical occurrence was re-extracted: ingest again)"),
             "", f"Speaker: {quote['speaker'] or 'unattributed'}  (vote: {votes})",
             "", f"Timeline ({_count(len(occurrences), 'occurrence')}):"]
    for o in occurrences:
        variant = VARIANT_LABELS.get(o["variant"] or "", "?") + (", truncated" if o["truncated"] else "")
        first = "  first" if o["key"] == quote["earliest"] else ""
        lines.append(f"  {_where(o):<40} {o['type']:<9} {variant:<32} {o['speaker'] or 'unattributed'}{first}")
    # Every occurrence but the canonical one and its whole, word-for-word copies.
    variants = [o for o in occurrences if o["key"] != quote["canonical"]
                and (o["variant"] != "verbatim" or o["changes"] or o["truncated"])]
    if variants and canonical:
        lines += ["", "Variants ([-canonical words-]{+its words+}; … marks a cut):"]
        for o in variants:
            lines.append(f"  {_where(o)}  {VARIANT_LABELS.get(o['variant'] or '', '?')}")
            if o["type"] == "indirect":
                lines.append(_wrap("reports: " + o["text"], "    "))
            else:
                lines.append(_wrap(word_diff(canonical["text"], o["text"]), "    "))
            for change in o["changes"]:
                if change[0] != "omitted":
                    lines.append(f"    - {_change(change)}")
    return "\n".join(lines)


def people_report(people: list[dict[str, Any]]) -> str:
    """A table: rank, name, kind, gender, quotes, occurrences, articles."""
    if not people:
        return "No people in this corpus yet."
    width = max(len(p["name"]) for p in people)
    rows = [f"{'':>4}  {'name':<{width}}  {'kind':<12}  {'gender':<7}  {'quotes':>6}  {'times':>5}  {'articles':>8}"]
    for rank, p in enumerate(people, 1):
        rows.append(f"{rank:>4}  {p['name']:<{width}}  {p['kind']:<12}  {p['gender'] or '-':<7}  "
                    f"{p['quotes']:>6}  {p['occurrences']:>5}  {p['articles']:>8}")
    return "\n".join(rows)


def _counted(pairs: list[list[Any]]) -> str:
    return ", ".join(f"{value} ({n})" for value, n in pairs) or "-"


def person_report(people: list[dict[str, Any]]) -> str:
    """Each person: aliases, descriptors and gender with the articles behind them, then their quotes."""
    blocks = []
    for p in people:
        lines = [f"{p['name']}  ({p['kind']}, person #{p['id']})",
                 f"  aliases:     {_counted(p['aliases'])}",
                 f"  descriptors: {_counted(p['descriptors'])}",
                 f"  gender:      {p['gender'] or 'unknown'}  (articles stating it: {_counted(p['genders'])})"]
        if p["handles"]:
            lines.append(f"  handles:     {_counted(p['handles'])}")
        lines.append(f"  in {_count(p['articles'], 'article')}: {', '.join(p['outlets']) or 'no outlet named'}")
        lines.append(f"  quotes ({len(p['quotes'])}):")
        for q in p["quotes"]:
            lines.append(f"    #{q['id']:<5} {q['first_date'] or 'undated'}  "
                         f"{shorten(q['quotation'] or '', SHORT - 20)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def stats_report(stats: dict[str, Any], where: str) -> str:
    """The totals, and the quoted people by gender with their shares."""
    lines = [
        f"{where}: {_count(stats['articles'], 'article')} from {_count(stats['outlets'], 'outlet')}, "
        f"{stats['first_date'] or '?'} to {stats['last_date'] or '?'}",
        f"  {_count(stats['quotes'], 'quote')} ({_count(stats['occurrences'], 'occurrence')}); "
        f"{stats['quotes_in_several_articles']:,} in several articles, {stats['altered_quotes']:,} altered",
        f"  {stats['people']:,} people and {_count(stats['organisations'], 'organisation')}; "
        f"{stats['quoted_people']:,} people quoted",
    ]
    for gender, share in stats["quoted_people_by_gender"].items():
        lines.append(f"    {gender:<8} {share['people']:>6,}  {share['share']:6.1%}")
    return "\n".join(lines)
