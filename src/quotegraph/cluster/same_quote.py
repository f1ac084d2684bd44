"""The definition of "the same quote": normalisation, shingles, MinHash parameters, thresholds.

Everything that decides whether two occurrences quote the same words lives in
this one module, as pure functions of the two texts, so that the corpus
clustering here and a later batch job (Spark) can share exactly one
definition; change a constant here and both change together.

Two texts are compared as sequences of *normalised words*: case, accents,
apostrophes and every punctuation mark are folded away, British spellings
become American ones (``data/spelling_variants.txt``) and number words become
digits (``data/number_words.txt``). So quote-mark styles, case, punctuation,
spelling and number style never separate two occurrences; the words that
remain are compared by alignment, which tolerates a changed word or two (a
misquote is still the same quote, flagged later as altered).

A shorter text counts as the same quote when it aligns *inside* the longer one
(a truncation, a partial quote, one half of a split quote): the alignment
score is taken over the best-matching stretch of the longer text
(``rapidfuzz.fuzz.partial_ratio_alignment`` over the word sequences). Texts
under ``MIN_WORDS`` words are too short for a fuzzy match to mean anything
("in full", "It's time"), so they match only as an exact run of words.

Candidate pairs come from MinHash LSH over overlapping *windows* of words
rather than whole texts: a ten-word cut of a hundred-word quote has a tiny
Jaccard similarity with it, but shares a whole window with it.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

# Words: letters and digits, with apostrophes inside (don't, I’ve, Varholm’s).
WORD = re.compile(r"[^\W_]+(?:['’ʼ‘][^\W_]+)*")
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
# Quotation marks and spacing are not punctuation of the quoted words.
QUOTE_MARKS = re.compile(r"[\s\"'“”‘’„‚«»‹›「」『』]+")
# How the pieces of a quote that an attribution interrupts are joined (Occurrence.text).
SPLIT = " ... "
ELLIPSIS = ("...", "…")

# Windows: WINDOW words every STRIDE words. With STRIDE 2, a text of WINDOW
# words or more that lies inside a longer one has a window that matches one of
# the longer text's windows in at least WINDOW - 1 words.
WINDOW = 8
STRIDE = 2
# MinHash over the telling bigrams of each window (``bigrams``); BANDS x ROWS =
# NUM_PERM. Windows sharing 6 of 7 bigrams (Jaccard 0.75) collide in some band
# with probability 0.9999, with one word changed (5/9) 0.91; windows sharing a
# third of their bigrams 0.2 (a wasted alignment, not an error). Four rows a
# band, not three, cut the chance collisions of common phrases five-fold.
NUM_PERM = 96
BANDS = 24
ROWS = 4
SEED = 20260302
# Shortest text matched fuzzily: one window. Shorter ones ("in full", "It's
# time", "We will not back down") match only as an exact run of words.
MIN_WORDS = WINDOW
# Alignment score (0-100: rapidfuzz's normalised Indel similarity of the word
# sequences, over the best-matching stretch of the longer) from which two texts
# are the same quote: one changed word in ten words scores 90, a shared
# half-sentence well under 85. Words, not characters, are aligned: the
# spelling is normalised already, and it is ten times faster on long quotes.
MATCH_SCORE = 85.0
# A match covering at least this share of the longer text's words is a
# full-length match (a variant of the whole quote), not a cut.
FULL_LENGTH = 0.8
# An indirect report paraphrases a quote when the quote's words, in order,
# cover this share of the shorter of the two (by longest common subsequence)
# and they share at least PARAPHRASE_WORDS words that are not function words.
# On the bundled samples the one true paraphrase scores 0.45 with 5 shared
# words; the closest unrelated report/quote pair, 0.27 with 2.
PARAPHRASE_ORDER = 0.4
PARAPHRASE_WORDS = 3


def _lines(name: str) -> list[list[str]]:
    text = resources.files("quotegraph.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.split() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _inflections(word: str) -> list[str]:
    """Regular inflections, formed alike for both spellings so they pair up by position."""
    if word.endswith("e"):
        return [word, word + "s", word + "d", word[:-1] + "ing", word + "r", word + "rs"]
    return [word, word + "s", word + "ed", word + "ing", word + "er", word + "ers"]


@functools.lru_cache(maxsize=1)
def word_map() -> dict[str, str]:
    """Map a British spelling or a number word to the form words are compared in."""
    out: dict[str, str] = {}
    for british, american in _lines("spelling_variants.txt"):
        for b, a in zip(_inflections(british), _inflections(american), strict=False):
            out.setdefault(b, a)
    for word, digits in _lines("number_words.txt"):
        out[word] = digits
    return out


@functools.lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Words too common to show that a report paraphrases a quote."""
    return frozenset(line[0] for line in _lines("function_words.txt"))


def fold(word: str) -> str:
    """A word without case, accents or apostrophes: "Café’s" -> "cafes"."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return bare.casefold().translate(APOSTROPHES).replace("'", "")


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a quote, in the forms the comparison and the variant report need.

    norm: the comparison key (folded, spelling and number style normalised).
    form: the word as written, only case and apostrophe glyphs folded, so that
        honour/honor or ten/10 show as spelling differences.
    before: the punctuation between the previous word and this one, quote
        marks and spacing removed; it contains ``...`` where the text has an
        ellipsis or the join of a split quote.
    """

    norm: str
    form: str
    before: str


@functools.lru_cache(maxsize=1 << 16)
def _forms(token: str) -> tuple[str, str]:
    """(norm, form) of one word as written; cached, as news repeats its words."""
    folded = fold(token)
    return word_map().get(folded, folded), token.casefold().translate(APOSTROPHES)


def words(text: str) -> tuple[Word, ...]:
    """The words of a quote's text, with the punctuation between them."""
    out = []
    last = 0
    for m in WORD.finditer(text):
        between = text[last:m.start()]
        before = QUOTE_MARKS.sub("", between.replace("…", "...")) if between.strip() else ""
        out.append(Word(*_forms(m.group()), before))
        last = m.end()
    return tuple(out)


def norms(text: str) -> tuple[str, ...]:
    """The normalised words of a text: what "the same quote" compares."""
    return tuple(w.norm for w in words(text))


# A quoted fragment inside an indirect report: double marks or guillemets, or
# single curly marks that open after a space and close before a non-letter (so
# "the viaduct’s piers" is an apostrophe). The store's text of a report may
# stop before its last closing mark, so a fragment may also run to the end.
FRAGMENT = re.compile(r"[“„«‹\"]([^“”„«»‹›\"]+)(?:[”»›“\"]|$)|(?:^|(?<=\s))‘([^‘’]+(?:’\w[^‘’]*)*)(?:’(?!\w)|$)")


def fragments(text: str) -> list[tuple[str, ...]]:
    """The normalised words of each quoted fragment in a report's text: the words it gives verbatim."""
    return [found for m in FRAGMENT.finditer(text) if (found := norms(m.group(1) or m.group(2)))]


def window_starts(length: int) -> list[int]:
    """Where the windows of a text of ``length`` words start: every STRIDE words, and the tail."""
    last = max(length - WINDOW, 0)
    starts = list(range(0, last + 1, STRIDE))
    if starts[-1] != last:
        starts.append(last)  # the tail, so the last words are in a window too
    return starts


def bigrams(seq: Sequence[str]) -> list[tuple[bytes, bool]]:
    """Each pair of neighbouring words as a shingle, and whether it tells anything.

    A pair of function words ("of the", "i was") tells nothing: every quote has
    some, and windows sharing only those would all be candidates of each other.
    """
    common = function_words()
    return [(f"{a} {b}".encode(), a not in common or b not in common) for a, b in itertools.pairwise(seq)]


def windows(seq: Sequence[str]) -> list[list[bytes]]:
    """The shingles of each window of ``seq`` (one window when it is short).

    A window's shingles are its telling bigrams, or all its bigrams when none
    tells anything, or its one word. This is the definition;
    ``candidates.window_signatures`` computes the same windows' MinHashes from
    per-shingle hashes, and a test holds them equal.
    """
    pairs = bigrams(seq)
    out = []
    for s in window_starts(len(seq)):
        part = pairs[s:s + WINDOW - 1]
        out.append([b for b, telling in part if telling] or [b for b, _ in part] or [seq[s].encode()])
    return out


@dataclass(frozen=True, slots=True)
class Match:
    """How a shorter text lies inside a longer one.

    score: alignment score, 0-100, over the best-matching stretch of the longer text.
    start, end: that stretch, as word indexes into the longer text.
    full_length: the match covers (nearly) all of the longer text too.
    """

    score: float
    start: int
    end: int
    full_length: bool


def run_at(short: Sequence[str], long: Sequence[str]) -> int:
    """Where ``short`` first occurs as a run of words in ``long``, or -1."""
    n, target = len(short), tuple(short)
    return next((i for i in range(len(long) - n + 1) if tuple(long[i:i + n]) == target), -1)


def locate(short: Sequence[str], long: Sequence[str], *, cutoff: float = 0.0) -> Match | None:
    """The stretch of ``long`` that ``short`` (at least ``MIN_WORDS`` words) aligns best with.

    RETURNS: the Match, or None when its score is under ``cutoff``.
    """
    found = fuzz.partial_ratio_alignment(list(short), list(long), score_cutoff=cutoff)
    if found is None:
        return None
    return Match(found.score, found.dest_start, found.dest_end, len(short) >= FULL_LENGTH * len(long))


def match(short: Sequence[str], long: Sequence[str]) -> Match | None:
    """How normalised words ``short`` lie inside ``long`` (no shorter than it), or None.

    Under ``MIN_WORDS`` words, only an exact run of words matches.
    """
    if not short or len(short) > len(long):
        return None
    if len(short) < MIN_WORDS:
        at = run_at(short, long)
        return Match(100.0, at, at + len(short), len(short) == len(long)) if at >= 0 else None
    return locate(short, long, cutoff=MATCH_SCORE)


def same_quote(a_text: str, b_text: str) -> bool:
    """Whether two quotations are the same quote: one is, up to normalisation, inside the other.

    The predicate the clustering confirms every candidate pair with; clustering
    adds corpus-level rules on top (a short fragment joins only an unambiguous
    cluster), see ``quotegraph.cluster.quotes``.
    """
    a, b = norms(a_text), norms(b_text)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return match(short, long) is not None


def content(seq: Sequence[str]) -> set[str]:
    """The words of ``seq`` that are not function words: the evidence of a paraphrase."""
    common = function_words()
    return {w for w in seq if w not in common}


def paraphrase_score(reported: Sequence[str], quoted: Sequence[str]) -> float:
    """How well an indirect report's normalised words follow a quote's, 0-1 (0: not a paraphrase).

    A report keeps the quote's telling words in their order but changes
    pronouns and tenses, so the test is the longest common subsequence of the
    two, over the shorter one, plus a few shared words that are not function words.
    """
    if not reported or not quoted or len(content(reported) & content(quoted)) < PARAPHRASE_WORDS:
        return 0.0
    score = LCSseq.similarity(list(reported), list(quoted)) / min(len(reported), len(quoted))
    return score if score >= PARAPHRASE_ORDER else 0.0


def paraphrases(reported_text: str, quoted_text: str) -> bool:
    """Whether an indirect report (no quotation marks) restates the words of a quote."""
    return paraphrase_score(norms(reported_text), norms(quoted_text)) > 0.0
