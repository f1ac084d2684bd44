"""The scorer: hand-made cases of each rule, then agreement with the shared grader."""
from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from quotegraph.evaluation import format_report, read_gold, score
from quotegraph.evaluation.gate import load_floors, run_of
from quotegraph.evaluation.score import normalise_name

DEV_FILES = sorted({run_of(name)[0] for name in load_floors()["files"]})

TEXT = ('Dr. José Núñez said: "We will open the new bridge next spring, whatever it costs." '
        'Mayor Ana Ruiz disagreed. "It costs too much," she said, "and nobody asked the residents." '
        'Officials said the plan was sound.')


def at(fragment: str) -> list[int]:
    """[start, end] of the (only) occurrence of ``fragment`` in TEXT."""
    start = TEXT.index(fragment)
    assert TEXT.count(fragment) == 1, fragment
    return [start, start + len(fragment)]


BRIDGE = at("We will open the new bridge next spring, whatever it costs.")
COSTS, RESIDENTS = at("It costs too much,"), at("and nobody asked the residents.")
SOUND = at("the plan was sound")
G_BRIDGE = {"start": BRIDGE[0], "end": BRIDGE[1], "type": "direct", "speaker": "José Núñez",
            "speaker_mentions": [at("Dr. José Núñez")], "cue": None}
G_COSTS = {"start": COSTS[0], "end": RESIDENTS[1], "spans": [COSTS, RESIDENTS], "type": "direct",
           "speaker": "Ana Ruiz", "speaker_aliases": ["Mayor Ruiz"], "speaker_mentions": [at("she")]}
G_SOUND = {"start": SOUND[0], "end": SOUND[1], "type": "indirect", "speaker": None,
           "speaker_mentions": [at("Officials")]}


def pred(span, speaker=None, mention=None, spans=None, type="direct"):
    """A predicted quote in the contract's shape."""
    q = {"start": span[0], "end": span[1], "type": type, "speaker": speaker, "cue": None,
         "speaker_mention": {"start": mention[0], "end": mention[1], "text": TEXT[mention[0]:mention[1]]}
         if mention else None}
    if spans:
        q["spans"] = spans
    return q


def grade(golds, preds, n_errors=0):
    gold_doc = {"id": "d1", "text": TEXT, "quotes": golds}
    return score([gold_doc], {"d1": {"id": "d1", "quotes": preds}}, n_errors)


def counts(figure):
    return figure["tp"], figure["fp"], figure["fn"]


def test_score_quote_marks_and_commas_never_decide_a_match():
    marked = [BRIDGE[0] - 1, BRIDGE[1] + 1]  # with both quote marks
    result, _ = grade([G_BRIDGE], [pred(marked, "José Núñez")])
    assert counts(result["exact"]) == (1, 0, 0)
    assert result["exact"]["f1"] == 100.0


def test_score_overlap_accepts_half_exact_does_not():
    most = at("We will open the new bridge next spring")
    result, _ = grade([G_BRIDGE], [pred(most, "José Núñez")])
    assert counts(result["overlap"]) == (1, 0, 0)
    assert counts(result["exact"]) == (0, 1, 1)
    little = at("whatever it costs")
    result, _ = grade([G_BRIDGE], [pred(little, "José Núñez")])
    assert counts(result["overlap"]) == (0, 1, 1)


def test_score_matches_one_to_one_best_first():
    most = at("We will open the new bridge next spring")
    preds = [pred(most, "Ana Ruiz"), pred(BRIDGE, "José Núñez"), pred(BRIDGE, "José Núñez")]
    result, _ = grade([G_BRIDGE], preds)
    assert counts(result["exact"]) == (1, 2, 0)
    assert counts(result["overlap"]) == (1, 2, 0)
    assert counts(result["end_to_end"]) == (1, 2, 0)  # the exact copy won, not the first listed


def test_score_discontinuous_quote_needs_its_pieces_for_exact():
    envelope = [COSTS[0], RESIDENTS[1]]  # includes "she said"
    result, _ = grade([G_COSTS], [pred(envelope, "Ana Ruiz")])
    assert counts(result["overlap"]) == (1, 0, 0)
    assert counts(result["exact"]) == (0, 1, 1)
    result, _ = grade([G_COSTS], [pred(envelope, "Ana Ruiz", spans=[COSTS, RESIDENTS])])
    assert counts(result["exact"]) == (1, 0, 0)


def test_score_optional_quote_is_neither_missed_nor_credited():
    optional = {**G_SOUND, "optional": True}
    result, _ = grade([G_BRIDGE, optional], [pred(BRIDGE, "José Núñez")])
    assert counts(result["overlap"]) == (1, 0, 0)
    result, _ = grade([G_BRIDGE, optional], [pred(BRIDGE, "José Núñez"), pred(SOUND)])
    assert counts(result["overlap"]) == (1, 0, 0)
    assert counts(result["end_to_end"]) == (1, 0, 0)
    assert result["recall_by_type"] == {"direct": 100.0}


@pytest.mark.parametrize(("name", "right"), [
    ("José Núñez", True),
    ("jose nunez", True),
    ("Dr. José Núñez", True),
    ("Prof JOSE NUÑEZ", True),
    ("José", False),
    ("Núñez José", False),
    (None, False),
])
def test_score_speaker_name_normalised(name, right):
    result, _ = grade([G_BRIDGE], [pred(BRIDGE, name)])
    assert result["speaker_accuracy"] == (100.0 if right else 0.0)
    assert counts(result["end_to_end"]) == ((1, 0, 0) if right else (0, 1, 1))


def test_score_speaker_alias_counts():
    result, _ = grade([G_COSTS], [pred(COSTS, "Mayor Ruiz")])
    assert result["speaker_accuracy"] == 100.0


def test_normalise_name_folds_case_accents_punctuation_honorifics():
    assert normalise_name("Mrs. Zoë O'Neill-Brown") == "zoe o neill brown"
    assert normalise_name(None) == normalise_name("") == ""


@pytest.mark.parametrize(("speaker", "mention", "right"), [
    (None, at("Officials"), True),
    (None, [at("Officials")[0] + 3, at("Officials")[1] + 4], True),  # shares letters
    ("Officials", at("Mayor Ana Ruiz"), False),
    ("Officials", None, False),  # where gold has no name, a name alone is not judged
])
def test_score_unnamed_speaker_by_mention_overlap(speaker, mention, right):
    result, _ = grade([G_SOUND], [pred(SOUND, speaker, mention, type="indirect")])
    assert result["speaker_accuracy"] == (100.0 if right else 0.0)


def test_score_document_without_prediction_and_recall_by_type():
    gold = [{"id": "d1", "text": TEXT, "quotes": [G_BRIDGE, G_COSTS, G_SOUND]},
            {"id": "d2", "text": TEXT, "quotes": [G_SOUND]}]
    result, _ = score(gold, {"d1": {"id": "d1", "quotes": [pred(BRIDGE, "Jose Nunez")]}})
    assert result["documents"] == 2
    assert result["documents_without_prediction"] == 1
    assert result["recall_by_type"] == {"direct": 50.0, "indirect": 0.0}
    assert result["overlap"] == {"p": 100.0, "r": 25.0, "f1": 40.0, "tp": 1, "fp": 0, "fn": 3}


def test_score_errors_in_document_order_and_report_layout():
    preds = [pred(BRIDGE, "Ana Ruiz"), pred(at("Mayor Ana Ruiz disagreed."), "Ana Ruiz")]
    result, errors = grade([G_BRIDGE, G_SOUND], preds, n_errors=10)
    assert [e.kind for e in errors] == ["wrong speaker", "missed", "spurious"]
    assert grade([G_BRIDGE, G_SOUND], preds, n_errors=2)[1] == errors[:2]
    assert format_report(result, errors).splitlines() == [
        "overlap     P  50.0  R  50.0  F1  50.0   (tp 1, fp 1, fn 1)",
        "exact       P  50.0  R  50.0  F1  50.0   (tp 1, fp 1, fn 1)",
        "end_to_end  P   0.0  R   0.0  F1   0.0   (tp 0, fp 2, fn 2)",
        "speaker accuracy on matched quotes: 0.0",
        "recall by type: direct 100.0, indirect 0.0",
        "",
        "[wrong speaker] d1",
        "  gold  direct: 'We will open the new bridge next spring, whatever it costs.' -> José Núñez",
        "  pred  direct: 'We will open the new bridge next spring, whatever it costs.' -> Ana Ruiz",
        "",
        "[missed] d1",
        "  gold  indirect: 'the plan was sound' -> None",
        "",
        "[spurious] d1",
        "  pred  direct: 'Mayor Ana Ruiz disagreed.' -> Ana Ruiz",
    ]


# Agreement with the shared grader ----------------------------------------------------------

def perturb(gold_docs, seed=13):
    """Predictions derived from gold, wrong in every way the grader distinguishes.

    Offsets shifted (sometimes past the text's ends), quotes dropped, cut,
    duplicated, pieces merged, speakers renamed or re-spelled, mentions moved,
    spurious quotes added, whole documents left out.
    """
    rng = random.Random(seed)
    out = {}
    for doc in gold_docs:
        if rng.random() < 0.03:
            continue
        n = len(doc["text"])
        names = [q["speaker"] for q in doc["quotes"] if q.get("speaker")] or ["Nobody"]
        preds = []
        for g in doc["quotes"]:
            if rng.random() < 0.1:
                continue
            start, end = g["start"], g["end"]
            r = rng.random()
            if r < 0.35:
                start, end = start + rng.randint(-15, 15), end + rng.randint(-15, 15)
            elif r < 0.5:
                end = start + (end - start) // rng.randint(2, 4)
            q = {"start": start, "end": end, "type": rng.choice([g.get("type"), "direct", "partial"]),
                 "speaker": g.get("speaker"), "speaker_mention": None, "cue": None}
            if g.get("spans") and len(g["spans"]) > 1 and rng.random() < 0.5:
                q["spans"] = g["spans"]
            r = rng.random()
            if r < 0.15:
                q["speaker"] = rng.choice(names + [None, "Someone Else"])
            elif r < 0.25 and q["speaker"]:
                q["speaker"] = rng.choice(["Mr. ", "dr ", ""]) + q["speaker"].upper()
            mentions = g.get("speaker_mentions") or []
            r = rng.random()
            if mentions and r < 0.7:
                ms, me = mentions[0]
                if r > 0.5:
                    ms, me = ms + rng.randint(-20, 20), me + rng.randint(-20, 20)
                q["speaker_mention"] = {"start": ms, "end": me, "text": ""}
            elif r < 0.85:
                ms = rng.randrange(n)
                q["speaker_mention"] = {"start": ms, "end": ms + 12, "text": ""}
            preds.append(q)
            if rng.random() < 0.05:
                preds.append(dict(q))
        for _ in range(rng.randint(0, 3)):
            s = rng.randrange(n)
            preds.append({"start": s, "end": s + rng.randint(0, 200), "type": "direct",
                          "speaker": rng.choice(names), "speaker_mention": None, "cue": None})
        rng.shuffle(preds)
        out[doc["id"]] = {"id": doc["id"], "quotes": preds}
    return out


def grader(shared_dir, gold_path, preds_by_id, tmp_path, *args):
    """Stdout of the shared grader on ``preds_by_id`` written as a JSONL file."""
    pred_path = tmp_path / "pred.jsonl"
    with open(pred_path, "w", encoding="utf-8") as f:
        for doc in preds_by_id.values():
            f.write(json.dumps(doc) + "\n")
    cmd = [sys.executable, str(shared_dir / "tools" / "score.py"), str(gold_path), str(pred_path), *args]
    run = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return run.stdout


def assert_agrees(shared_dir, gold_path, preds_by_id, tmp_path):
    """Same dict as the grader's ``--json``, and the same report with 40 errors."""
    gold = list(read_gold(gold_path))
    ours, _ = score(gold, preds_by_id)
    assert ours == json.loads(grader(shared_dir, gold_path, preds_by_id, tmp_path, "--json"))
    report = format_report(*score(gold, preds_by_id, n_errors=40))
    assert report + "\n" == grader(shared_dir, gold_path, preds_by_id, tmp_path, "--errors", "40")


@pytest.mark.parametrize("name", DEV_FILES)
def test_score_agrees_with_grader_on_perturbed_gold(shared_dir, tmp_path, name):
    gold_path = shared_dir / "data" / name
    assert_agrees(shared_dir, gold_path, perturb(read_gold(gold_path)), tmp_path)


def test_score_agrees_with_grader_on_hand_made_gold(shared_dir, tmp_path):
    gold_path = tmp_path / "gold.jsonl"
    golds = [G_BRIDGE, G_COSTS, {**G_SOUND, "optional": True}]
    gold_path.write_text(json.dumps({"id": "d1", "text": TEXT, "quotes": golds}) + "\n", encoding="utf-8")
    preds = [pred(BRIDGE, "Dr Jose Nunez"), pred(BRIDGE), pred([COSTS[0], RESIDENTS[1]], "Mayor Ruiz"),
             pred(SOUND, None, at("Officials")), pred([0, 3])]
    assert_agrees(shared_dir, gold_path, {"d1": {"id": "d1", "quotes": preds}}, tmp_path)


@pytest.mark.slow
def test_score_agrees_with_grader_on_engine_output(shared_dir, tmp_path, engine_predictions):
    preds = {doc["id"]: doc for doc in engine_predictions("ggt-dev.jsonl")}
    assert_agrees(shared_dir, shared_dir / "data" / "ggt-dev.jsonl", preds, tmp_path)
