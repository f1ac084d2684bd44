"""The accuracy gate: its rules on hand-made figures, then the engine on the dev files."""
from __future__ import annotations

import pytest

from quotegraph.evaluation import read_gold, score, sha256_file
from quotegraph.evaluation.gate import EPSILON, METRICS, check, entry, load_floors, repin, run_of

FLOORS = {"files": {"dev.jsonl": {"sha256": "abc", "overlap_f1": 80.0, "exact_f1": 50.0,
                                  "end_to_end_f1": 60.0, "speaker_accuracy": 70.0}}}


def measured(**changes):
    return {"dev.jsonl": {**FLOORS["files"]["dev.jsonl"], **changes}}


def test_gate_passes_at_and_within_epsilon_of_the_floors():
    assert check(measured(), FLOORS) == []
    assert check(measured(exact_f1=50.0 - EPSILON + 0.05, overlap_f1=95.0), FLOORS) == []


def test_gate_fails_below_a_floor():
    failures = check(measured(end_to_end_f1=59.0), FLOORS)
    assert len(failures) == 1 and "end_to_end_f1 59.0 is below its floor 60.0" in failures[0]


def test_gate_fails_loudly_when_a_corpus_changed():
    failures = check(measured(sha256="def", overlap_f1=99.0), FLOORS)
    assert len(failures) == 1 and "CORPUS CHANGED" in failures[0] and "def" in failures[0]


def test_gate_fails_on_unmeasured_and_unpinned_files():
    other = {"other.jsonl": measured()["dev.jsonl"]}
    assert sorted(check(other, FLOORS)) == ["dev.jsonl: not measured",
                                            "other.jsonl: no floors pinned for this file; pin them with --pin"]


def test_gate_repin_raises_floors_and_keeps_them_through_noise():
    files, regressions = repin(FLOORS, measured(overlap_f1=85.0, exact_f1=50.0 - EPSILON / 2, sha256="new"))
    assert regressions == []
    assert files["dev.jsonl"] == {**FLOORS["files"]["dev.jsonl"], "overlap_f1": 85.0, "sha256": "new"}


def test_gate_repin_refuses_to_lower_a_floor_unless_allowed():
    files, regressions = repin(FLOORS, measured(speaker_accuracy=60.0))
    assert regressions == ["dev.jsonl: speaker_accuracy 60.0 would lower the floor 70.0"]
    assert files["dev.jsonl"]["speaker_accuracy"] == 70.0
    files, regressions = repin(FLOORS, measured(speaker_accuracy=60.0), allow_regression=True)
    assert len(regressions) == 1 and files["dev.jsonl"]["speaker_accuracy"] == 60.0


def test_gate_floors_pin_every_metric_of_the_dev_files_as_they_are(shared_dir):
    for name, floor in load_floors()["files"].items():
        assert set(floor) == {"sha256", *METRICS}
        file, _ = run_of(name)
        assert sha256_file(shared_dir / "data" / file) == floor["sha256"], f"{name} changed: review, then re-pin"


def test_gate_run_names_carry_a_profile():
    assert run_of("polnear-dev.jsonl --attributions") == ("polnear-dev.jsonl", {"attributions": True})
    assert run_of("ggt-dev.jsonl") == ("ggt-dev.jsonl", {})
    with pytest.raises(ValueError, match="unknown profile"):
        run_of("ggt-dev.jsonl --nonsense")


@pytest.mark.slow
def test_gate_engine_meets_the_floors(shared_dir, engine_predictions):
    results = {}
    for name in load_floors()["files"]:
        path = shared_dir / "data" / run_of(name)[0]
        preds = {doc["id"]: doc for doc in engine_predictions(name)}
        results[name] = entry(path, score(read_gold(path), preds)[0])
    assert check(results) == []
