"""The ``Corpus`` API beyond what the CLI tests show: argument checks, name matching, clustering anew."""
from __future__ import annotations

from importlib import resources

import pytest
from cli_helpers import run

from quotegraph import Corpus
from quotegraph.errors import QueryError, StoreError
from quotegraph.ingest import run as ingest


@pytest.fixture
def empty(db_where):
    with Corpus(db_where) as corpus:
        yield corpus


def test_corpus_query_side_never_creates_a_database(tmp_path):
    with pytest.raises(StoreError, match="E033 .*nowhere.db: no such corpus database"):
        Corpus(tmp_path / "nowhere.db", create=False)
    assert not (tmp_path / "nowhere.db").exists()


@pytest.mark.parametrize(("arguments", "code"), [
    ({"since": "2026-02-30"}, "E050"), ({"until": "03/04/2026"}, "E050"), ({"since": "2026-3"}, "E050"),
    ({"type": "Direct"}, "E051"), ({"limit": -1}, "E057"),
])
def test_corpus_search_checks_its_arguments(empty, arguments, code):
    with pytest.raises(QueryError, match=f"^{code} "):
        empty.search("ferry", **arguments)


@pytest.mark.parametrize("since", ["2026", "2026-03", "2026-03-02", "", None])
def test_corpus_search_takes_a_year_month_or_day(empty, since):
    assert empty.search("ferry", since=since) == []


def test_corpus_empty_answers(empty):
    assert empty.people() == [] and empty.search("") == []
    assert empty.stats()["quoted_people_by_gender"] == {}
    with pytest.raises(QueryError, match="^E052 "):
        empty.quote(1)
    with pytest.raises(QueryError, match="^E054 "):
        empty.person("Delia Marchbank")


@pytest.mark.slow
def test_corpus_person_by_name_surname_or_title(sample_db):
    with Corpus(sample_db) as corpus:
        [osterby] = corpus.person("Dr. Halina Osterby")
        assert osterby["name"] == "Halina Osterby" and osterby["gender"] == "female"
        assert corpus.person("osterby") == corpus.person("HALINA OSTERBY") == [osterby]
        [varholm] = corpus.person("Varholm")
        assert varholm["name"] == "Ines Varholm"  # a full name before the bare surname its articles use more
        assert ["Varholm", 2] in varholm["aliases"]
        with pytest.raises(QueryError, match="^E054 "):
            corpus.person("Halina Os")  # whole words only


@pytest.mark.slow
def test_corpus_recluster_changes_nothing_when_nothing_changed(sample_db, tmp_path):
    with Corpus(sample_db) as corpus:
        before = list(corpus.store.export_rows())
        assert not corpus.clusters_stale
        corpus.recluster()
        assert list(corpus.store.export_rows()) == before


@pytest.mark.slow
def test_corpus_cli_ingest_sample_summary(tmp_path):
    db = str(tmp_path / "s.db")
    result = run("ingest", "--sample", "--db", db, "--no-progress")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Read 10 articles") and lines[2].startswith(f"{db} holds 10 articles, ")
    assert lines[3].startswith("Across articles: ") and " of them in several articles and " in lines[3]
    assert "0 added, 0 replaced, 10 unchanged" in run("ingest", "--sample", "--db", db).stdout


def test_corpus_cli_ingest_takes_paths_or_sample_not_both(tmp_path):
    for args in ((), ("--sample", str(tmp_path))):
        result = run("ingest", *args, "--db", str(tmp_path / "c.db"))
        assert result.exit_code == 2 and "give a PATH" in result.stderr


@pytest.mark.slow
def test_corpus_cli_warns_when_an_ingest_stopped_before_clustering(tmp_path):
    db = str(tmp_path / "cut.db")
    with Corpus(db) as corpus:
        ingest.ingest(corpus.store, [], sample=True)  # what a run killed before clustering leaves
    result = run("search", "back down", "--db", db)
    assert result.exit_code == 0 and result.stderr == (
        f"Warning: {db}: an ingest stopped before clustering; run it again to bring quotes and people up to date\n")
    assert result.stdout.startswith("(not clustered yet)  Delia Marchbank")
    run("ingest", "--sample", "--db", db)
    result = run("search", "back down", "--db", db)
    assert result.stderr == "" and result.stdout.startswith("#")


@pytest.mark.slow
def test_corpus_quote_keeps_its_id_when_later_ingests_add_occurrences(tmp_path):
    samples = resources.files("quotegraph").joinpath("samples")
    first = [str(samples.joinpath(f"{name}.txt")) for name in (
        "harbour-gazette-2026-03-02-ferry-strike", "coastline-courier-2026-03-02-skarrow-commuters-stranded")]
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest(first)
        before = corpus.quote(corpus.find_quote("not back down"))
        corpus.ingest([str(samples)])
        after = corpus.quote(before["id"])
    assert {o["key"] for o in before["occurrences"]} < {o["key"] for o in after["occurrences"]}
    assert after["canonical"] == before["canonical"]
