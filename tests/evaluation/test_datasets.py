"""Reading gold corpora: malformed annotations are refused with the file and line."""
from __future__ import annotations

import hashlib
import json

import pytest

from quotegraph.errors import InputError
from quotegraph.evaluation import evaluate, read_gold, read_predictions, score, sha256_file

TEXT = 'The minister said: "We are ready." Critics disagreed.'
QUOTE = {"start": 20, "end": 33, "type": "direct", "speaker": "The minister",
         "speaker_mentions": [[0, 12]], "cue": [13, 17]}


def write_jsonl(path, *objects):
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path


def test_datasets_read_gold_streams_valid_articles(tmp_path):
    path = write_jsonl(tmp_path / "g.jsonl", {"id": "a", "text": TEXT, "quotes": [QUOTE]}, {"id": "b", "text": ""})
    docs = read_gold(path)
    assert next(docs)["quotes"][0]["speaker"] == "The minister"
    assert next(docs)["id"] == "b"


@pytest.mark.parametrize(("change", "message"), [
    ({"end": len(TEXT) + 1}, "E103"),
    ({"start": -1}, "E103"),
    ({"start": 30, "end": 20}, "E103"),
    ({"spans": [[20, 25], [27, 99]]}, "E103"),
    ({"speaker_mentions": [[12, 0]]}, "E103"),
    ({"cue": [13, 500]}, "E103"),
    ({"start": "20"}, "E102"),
    ({"cue": [13]}, "E102"),
])
def test_datasets_read_gold_rejects_malformed_offsets(tmp_path, change, message):
    path = write_jsonl(tmp_path / "g.jsonl", {"id": "a", "text": TEXT, "quotes": [{**QUOTE, **change}]})
    with pytest.raises(InputError, match=rf"{message} .*g\.jsonl:1"):
        list(read_gold(path))


@pytest.mark.parametrize("line", ['{"id": "a", "text": ', '["a"]', '{"text": "no id"}', '{"id": "a"}'])
def test_datasets_read_gold_rejects_malformed_lines(tmp_path, line):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "ok", "text": ""}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.jsonl:3"):
        list(read_gold(path))


def test_datasets_sha256_file_is_sha256_of_the_bytes(tmp_path):
    path = write_jsonl(tmp_path / "g.jsonl", {"id": "a", "text": TEXT})
    assert sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_datasets_evaluate_grades_a_prediction_file(tmp_path):
    gold = write_jsonl(tmp_path / "g.jsonl", {"id": "a", "text": TEXT, "quotes": [QUOTE]}, {"id": "b", "text": TEXT})
    pred_doc = {"id": "a", "quotes": [{"start": 19, "end": 34, "type": "direct", "speaker": "the Minister"}]}
    pred = write_jsonl(tmp_path / "p.jsonl", pred_doc)
    result, errors = evaluate(gold, pred_path=pred, n_errors=5)
    assert (result, errors) == score(read_gold(gold), read_predictions(pred), 5)
    assert result["exact"]["tp"] == 1
    assert result["documents_without_prediction"] == 1
    assert errors == []
