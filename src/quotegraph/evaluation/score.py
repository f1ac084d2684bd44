"""Grade predicted quotes against gold annotations, the way the project is graded.

The figures, their rounding and the report layout are those of the shared
grader (``../shared/tools/score.py``), so ``quotegraph eval`` and the grader
print the same lines; ``tests/evaluation/test_score.py`` holds the two to each
other on the dev corpora.

Matching only counts letters and digits: quote marks, spaces and trailing
commas differ between corpora and must never decide a match. Two quotes
overlap by F = 2|A & B| / (|A| + |B|) over the positions of those characters.
Pairs are formed one to one, the best overlap first; "overlap" accepts
F >= 0.5 and "exact" only F == 1. A matched quote's speaker is right when its
normalised name equals gold's name or an alias; where gold gives no name (an
unnamed source, or PolNeAR, which has none), the predicted speaker mention
must share a character with a gold speaker mention. Gold quotes marked
``optional`` are neither missed nor credited, but still absorb a prediction.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

Doc = Mapping[str, Any]
Quote = Mapping[str, Any]

OVERLAP, EXACT = 0.5, 1.0
# Titles a writer may or may not put before a name; they never change who spoke.
HONORIFICS = frozenset("mr mrs ms miss dr prof sir dame lord lady rev".split())
_NOT_WORD = re.compile(r"[^\w\s]")


class Error(NamedTuple):
    """One scoring error, for reading: ``kind`` is "wrong speaker", "missed" or "spurious"."""

    kind: str
    doc_id: Any
    gold: Quote | None
    pred: Quote | None
    text: str


@dataclass
class Counts:
    """True positives, false positives and false negatives of one figure."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Precision, recall and F1 in percent, rounded to one decimal, with the counts."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(100 * f, 1),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def normalise_name(name: str | None) -> str:
    """Fold case, accents, punctuation and honorifics, so "Dr. José Núñez" == "jose nunez"."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(w for w in _NOT_WORD.sub(" ", bare).split() if w not in HONORIFICS)


def letters(text: str, spans: Iterable[Sequence[int]]) -> frozenset[int]:
    """Positions of the letters and digits inside ``spans`` (clipped to the text)."""
    out: set[int] = set()
    for start, end in spans:
        out.update(i for i in range(max(0, int(start)), min(len(text), int(end))) if text[i].isalnum())
    return frozenset(out)


def quote_letters(text: str, quote: Quote) -> frozenset[int]:
    """A quote's letters: its pieces when it has ``spans``, else its ``start``/``end``."""
    return letters(text, quote.get("spans") or [(quote["start"], quote["end"])])


def pair_up(gold: Sequence[frozenset[int]], pred: Sequence[frozenset[int]],
            threshold: float) -> list[tuple[int, int]]:
    """Match gold to predicted quotes one to one, greedily, best overlap first.

    Equal overlaps are taken from the last gold quote (then the last
    prediction) first: the grader's order, which decides ties the same way.
    RETURNS (list): ``(gold index, pred index)`` pairs in the order they were taken.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g and p:
                f = 2 * len(g & p) / (len(g) + len(p))
                if f > 0 and f >= threshold:
                    candidates.append((f, gi, pi))
    candidates.sort(reverse=True)
    taken_g: set[int] = set()
    taken_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in taken_g and pi not in taken_p:
            taken_g.add(gi)
            taken_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def speaker_right(text: str, gold: Quote, pred: Quote) -> bool:
    """Whether a matched prediction names gold's speaker (see the module docstring)."""
    if gold.get("speaker"):
        names = {normalise_name(n) for n in [gold["speaker"], *(gold.get("speaker_aliases") or [])]}
        return normalise_name(pred.get("speaker")) in names
    mention = pred.get("speaker_mention") or {}
    if "start" not in mention or not gold.get("speaker_mentions"):
        return False
    said = letters(text, [(mention["start"], mention["end"])])
    return bool(said & letters(text, gold["speaker_mentions"]))


class Tally:
    """Accumulates the figures over documents, one ``add`` per gold document.

    Kept apart from ``score`` so a caller can stream (gold, prediction) pairs
    without building the mapping by id first.
    """

    def __init__(self, n_errors: int = 0) -> None:
        self.counts = {"overlap": Counts(), "exact": Counts(), "end_to_end": Counts()}
        self.speaker = Counter[bool]()
        self.types: dict[str, Counter[str]] = {}
        self.documents = 0
        self.without_prediction = 0
        self.n_errors = max(0, n_errors)
        self.errors: list[Error] = []

    def add(self, gold_doc: Doc, pred_doc: Doc | None) -> None:
        """Score one document; ``pred_doc`` None means the system gave nothing for it."""
        self.documents += 1
        if pred_doc is None:
            self.without_prediction += 1
        text = gold_doc["text"]
        golds = list(gold_doc.get("quotes") or [])
        preds = list((pred_doc or {}).get("quotes") or [])
        counted = [not g.get("optional") for g in golds]
        g_letters = [quote_letters(text, g) for g in golds]
        p_letters = [quote_letters(text, p) for p in preds]

        exact = pair_up(g_letters, p_letters, EXACT)
        self._count(self.counts["exact"], exact, counted, len(preds))
        overlap = pair_up(g_letters, p_letters, OVERLAP)
        self._count(self.counts["overlap"], overlap, counted, len(preds))

        doc_errors = []
        e2e = self.counts["end_to_end"]
        for gi, pi in overlap:
            if not counted[gi]:
                continue
            right = speaker_right(text, golds[gi], preds[pi])
            self.speaker[right] += 1
            e2e.tp += right
            e2e.fp += not right
            e2e.fn += not right
            if not right:
                doc_errors.append(Error("wrong speaker", gold_doc["id"], golds[gi], preds[pi], text))
        found_g = {gi for gi, _ in overlap}
        found_p = {pi for _, pi in overlap}
        missed = [gi for gi in range(len(golds)) if counted[gi] and gi not in found_g]
        spurious = [pi for pi in range(len(preds)) if pi not in found_p]
        e2e.fn += len(missed)
        e2e.fp += len(spurious)
        for gi, g in enumerate(golds):
            if counted[gi]:
                by_type = self.types.setdefault(g.get("type") or "unknown", Counter())
                by_type["gold"] += 1
                by_type["found"] += gi in found_g
        doc_errors += [Error("missed", gold_doc["id"], golds[gi], None, text) for gi in missed]
        doc_errors += [Error("spurious", gold_doc["id"], None, preds[pi], text) for pi in spurious]
        self.errors += doc_errors[: self.n_errors - len(self.errors)]

    @staticmethod
    def _count(counts: Counts, pairs: list[tuple[int, int]], counted: list[bool], n_pred: int) -> None:
        matched = {gi for gi, _ in pairs}
        counts.tp += sum(1 for gi in matched if counted[gi])
        counts.fn += sum(1 for gi, c in enumerate(counted) if c and gi not in matched)
        counts.fp += n_pred - len(pairs)

    def result(self) -> dict[str, Any]:
        """The figures as one JSON-ready dict (the grader's ``--json`` output)."""
        out: dict[str, Any] = {name: c.as_dict() for name, c in self.counts.items()}
        judged = self.speaker[True] + self.speaker[False]
        out["speaker_accuracy"] = round(100 * self.speaker[True] / judged, 1) if judged else 0.0
        out["recall_by_type"] = {t: round(100 * c["found"] / c["gold"], 1)
                                 for t, c in sorted(self.types.items())}
        out["documents"] = self.documents
        out["documents_without_prediction"] = self.without_prediction
        return out


def score(gold_docs: Iterable[Doc], pred_docs_by_id: Mapping[Any, Doc],
          n_errors: int = 0) -> tuple[dict[str, Any], list[Error]]:
    """Score predictions against gold documents.

    gold_docs (iterable of dict): ``id``, ``text`` and ``quotes`` (the dev corpus format).
    pred_docs_by_id (mapping): id -> predicted document with ``quotes`` (``ArticleResult.to_dict()``).
    n_errors (int): how many errors to return, in document order.
    RETURNS (tuple): the figures (dict) and the first ``n_errors`` errors.
    """
    tally = Tally(n_errors)
    for doc in gold_docs:
        tally.add(doc, pred_docs_by_id.get(doc["id"]))
    return tally.result(), tally.errors


def _snippet(text: str, start: int, end: int, width: int = 90) -> str:
    """The quoted text on one line, its middle cut out when longer than ``width``."""
    frag = text[start:end].replace("\n", " ")
    half = width // 2
    return frag if len(frag) <= width else f"{frag[:half]} ... {frag[-half:]}"


def format_report(result: Mapping[str, Any], errors: Iterable[Error] = ()) -> str:
    """The grader's text report: one line per figure, then each error (no final newline)."""
    lines = []
    for name in ("overlap", "exact", "end_to_end"):
        d = result[name]
        lines.append(f"{name:11s} P {d['p']:5.1f}  R {d['r']:5.1f}  F1 {d['f1']:5.1f}"
                     f"   (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})")
    lines.append(f"speaker accuracy on matched quotes: {result['speaker_accuracy']:.1f}")
    lines.append("recall by type: " + ", ".join(f"{t} {v:.1f}" for t, v in result["recall_by_type"].items()))
    if result["documents_without_prediction"]:
        lines.append(f"documents without a prediction: {result['documents_without_prediction']}"
                     f" of {result['documents']}")
    for err in errors:
        lines += ["", f"[{err.kind}] {err.doc_id}"]
        for role, q in (("gold", err.gold), ("pred", err.pred)):
            if q:
                lines.append(f"  {role}  {q.get('type')}: "
                             f"{_snippet(err.text, q['start'], q['end'])!r} -> {q.get('speaker')}")
    return "\n".join(lines)
